package dev.meshfleet.sandbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Writes an audit of the size issue 11 item 9 asks about onto the topics: {@code resources} ILMs, each naming
 * {@code clusters} clusters, upgraded generation after generation (a new tag each time), and for every generation and
 * cluster the four events an upgrade gives (INSTALL_PENDING or UPDATING, INSTALLING, a health check, HEALTHY), all within
 * the last 20 days so that the 30-day retention of installation-events keeps them.
 */
public final class AuditLoad {
    /** Events per installation per generation. */
    static final int EVENTS_PER_ROLLOUT = 4;

    private AuditLoad() {
    }

    /** What was written, and the instant between the first two generations (for {@code fleet --at}). */
    public record Written(long specChanges, long events, int generations, List<String> keys, Instant between) {
    }

    /** Generations per resource so that about {@code events} installation events are written. */
    public static int generations(long events, int resources, int clusters) {
        return (int) Math.max(1, events / ((long) resources * clusters * EVENTS_PER_ROLLOUT));
    }

    public static Written write(KafkaClientSettings kafka, long events, int resources, int clusters, Instant now)
            throws Exception {
        int generations = generations(events, resources, clusters);
        Instant start = now.minus(Duration.ofDays(20));
        Duration step = Duration.ofDays(19).dividedBy(generations);
        Map<String, Object> own = Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.CLIENT_ID_CONFIG, "meshfleet-bench-audit");
        List<String> keys = new ArrayList<>();
        long changes = 0;
        long written = 0;
        try (var specs = new KafkaProducer<>(kafka.forClient("bench audit", own), new StringSerializer(),
                AvroSerde.of(SpecChange.class).serializer());
                var installs = new KafkaProducer<>(kafka.forClient("bench audit", own), new StringSerializer(),
                        AvroSerde.of(InstallationEvent.class).serializer())) {
            Future<RecordMetadata> last = null;
            List<OwnerRef> owners = new ArrayList<>();
            for (int r = 0; r < resources; r++) {
                String name = "istiod-" + r;
                keys.add(OwnerKeys.of(ResourceKind.IstioLifecycleManager, "gloo-mesh", name));
                owners.add(OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager)
                        .setNamespace("gloo-mesh").setName(name).setUid("uid-" + r).build());
            }
            // In the order of time, as the services append them: generation after generation, each resource's in turn
            // (fleet --at reads a partition up to its first record stamped after the instant).
            for (int g = 1; g <= generations; g++) {
                for (int r = 0; r < resources; r++) {
                    String key = keys.get(r);
                    OwnerRef owner = owners.get(r);
                    String name = owner.getName();
                    Instant at = start.plus(step.multipliedBy(g - 1)).plusSeconds(r);
                    specs.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key, SpecChange.newBuilder().setUid("uid-" + r)
                            .setKind(ResourceKind.IstioLifecycleManager).setNamespace("gloo-mesh").setName(name)
                            .setGeneration(g).setResourceVersion(Integer.toString(g)).setOperation(Operation.UPSERT)
                            .setActor("bench").setObservedAt(at).setSpecJson(spec(clusters, g)).build()));
                    changes++;
                    String[] states = {g == 1 ? "INSTALL_PENDING" : "UPDATING_CONTROL_PLANE", "INSTALLING_CONTROL_PLANE",
                            "RECONCILING_CONTROL_PLANE", "HEALTHY"};
                    for (int c = 1; c <= clusters; c++) {
                        for (int s = 0; s < states.length; s++) {
                            InstallationEvent e = InstallationEvent.newBuilder().setOwner(owner).setGeneration(g)
                                    .setCluster("cluster" + c).setRevision("1-24").setState(states[s])
                                    .setSource("installer/installer-" + (c % 4)).setSequence(s)
                                    .setTime(at.plusMillis(c * 10L + s * 1000L)).build();
                            last = installs.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, null,
                                    e.getTime().toEpochMilli(), key, e));
                            written++;
                        }
                    }
                }
            }
            specs.flush();
            installs.flush();
            if (last != null) {
                last.get();
            }
        }
        return new Written(changes, written, generations, keys, start.plus(step.dividedBy(2)));
    }

    static String spec(int clusters, int generation) {
        StringBuilder names = new StringBuilder();
        for (int c = 1; c <= clusters; c++) {
            names.append(c == 1 ? "" : ",").append("{\"name\":\"cluster").append(c).append("\"}");
        }
        return "{\"installations\":[{\"clusters\":[" + names + "],\"istioOperatorSpec\":{\"tag\":\"1.24." + generation
                + "-solo\"},\"revision\":\"1-24\"}]}";
    }
}
