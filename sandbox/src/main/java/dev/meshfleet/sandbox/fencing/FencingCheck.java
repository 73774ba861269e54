package dev.meshfleet.sandbox.fencing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.testkit.WriteLog;

/**
 * The sandbox's fencing check at the end of a run: reads install-plans (each cluster's partition) and every
 * installation event from the beginning, takes the API server's write log, and asks {@link FencingAudit}.
 */
public final class FencingCheck {
    private static final String INSTALLER_SOURCE = "installer/";

    /** The stale writes found, and how many writes named a writer at all. */
    public record Result(List<FencingAudit.Write> stale, int judged) {
        /** The line the sandbox prints. */
        public String line() {
            return "sandbox: fencing: " + stale.size() + " writes by a replica to a cluster it no longer owned ("
                    + judged + " writes by installers checked against their ownership epochs)";
        }
    }

    private FencingCheck() {
    }

    public static Result check(String bootstrapServers, WriteLog log) {
        Map<String, Integer> partitionOf = new HashMap<>();
        readAll(bootstrapServers, Topics.INSTALL_PLANS, r -> {
            if (r.key() != null) {
                partitionOf.put(new String(r.key(), StandardCharsets.UTF_8), r.partition());
            }
        });
        AvroSerde<InstallationEvent> serde = AvroSerde.of(InstallationEvent.class);
        List<FencingAudit.Event> events = new ArrayList<>();
        readAll(bootstrapServers, Topics.INSTALLATION_EVENTS, r -> {
            if (r.value() == null) {
                return;
            }
            InstallationEvent e;
            try {
                e = serde.deserialize(r.topic(), r.value());
            } catch (RuntimeException undecodable) {
                return; // not an installer's event we can judge by
            }
            if (e.getSource().startsWith(INSTALLER_SOURCE)) {
                events.add(new FencingAudit.Event(e.getCluster(), e.getSource().substring(INSTALLER_SOURCE.length()),
                        e.getSourceEpoch(), e.getTime().toEpochMilli()));
            }
        });
        List<FencingAudit.Write> writes = new ArrayList<>();
        for (WriteLog.Write w : log.writes()) {
            w.writer().ifPresent(writer -> writes.add(new FencingAudit.Write(w.cluster(), writer.replica(),
                    writer.epoch(), w.receivedAtMillis())));
        }
        return new Result(FencingAudit.stale(writes, partitionOf, FencingAudit.starts(events, partitionOf)),
                writes.size());
    }

    /** Every record of the topic up to its end now. */
    private static void readAll(String bootstrapServers, String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
            }
        }
    }
}
