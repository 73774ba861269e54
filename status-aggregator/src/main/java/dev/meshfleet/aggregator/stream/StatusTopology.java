package dev.meshfleet.aggregator.stream;

import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.FoldOutcome;
import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;

/**
 * installation-events (key: owner) -> fold per owner into a table -> lifecycle-status (key: owner),
 * and every new status to {@code statusSink} (the CR writer). An event that cannot be decoded or whose fold
 * throws goes to the DLQ through the StreamsDeadLetterHandler configured on the streams instance.
 */
public final class StatusTopology {
    public static final String STORE = "lifecycle-status-store";
    private static final Logger LOG = Logger.getLogger(StatusTopology.class);

    private StatusTopology() {
    }

    public static Topology build(String eventsTopic, String statusTopic,
            BiConsumer<String, LifecycleStatus> statusSink) {
        AvroSerde<InstallationEvent> events = AvroSerde.of(InstallationEvent.class);
        AvroSerde<LifecycleStatus> statuses = AvroSerde.of(LifecycleStatus.class);
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, LifecycleStatus> table = builder
                .stream(eventsTopic, Consumed.with(Serdes.String(), events))
                .filter((key, event) -> key != null && event != null)
                .groupByKey(Grouped.with(Serdes.String(), events))
                .aggregate(() -> null, (key, event, status) -> fold(key, event, status),
                        Materialized.<String, LifecycleStatus, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(statuses));
        var changes = table.toStream();
        changes.to(statusTopic, Produced.with(Serdes.String(), statuses));
        changes.foreach((key, status) -> {
            if (status != null) {
                statusSink.accept(key, status);
            }
        });
        return builder.build();
    }

    static LifecycleStatus fold(String key, InstallationEvent avroEvent, LifecycleStatus avroStatus) {
        Event event = AvroStatus.event(avroEvent);
        FoldOutcome outcome = StatusFold.fold(AvroStatus.status(avroStatus), event);
        log(key, event, outcome);
        return AvroStatus.avro(outcome.status());
    }

    private static void log(String key, Event event, FoldOutcome outcome) {
        MDC.put("owner", key);
        MDC.put("cluster", event.cluster());
        MDC.put("revision", event.revision());
        try {
            if (outcome instanceof Applied applied) {
                if (applied.stateChanged()) {
                    LOG.infof("%s/%s %s -> %s (generation %d, %s)", event.cluster(), event.revision(),
                            applied.before() == null ? "none" : applied.before().state().name(),
                            applied.after().state().name(), event.generation(), event.source());
                } else {
                    LOG.debugf("%s/%s still %s", event.cluster(), event.revision(), applied.after().state().name());
                }
            } else if (outcome instanceof Ignored ignored) {
                // Illegal transitions and unknown states point at a bug upstream: worth a line each.
                // Duplicates and stale events are the normal price of at-least-once delivery.
                switch (ignored.reason()) {
                    case ILLEGAL_TRANSITION, UNKNOWN_STATE, UNKNOWN_SOURCE -> LOG.warnf("ignored %s: %s",
                            ignored.reason(), ignored.detail());
                    default -> LOG.debugf("ignored %s: %s", ignored.reason(), ignored.detail());
                }
            }
        } finally {
            MDC.remove("owner");
            MDC.remove("cluster");
            MDC.remove("revision");
        }
    }
}
