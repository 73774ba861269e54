package dev.meshfleet.aggregator.stream;

import java.time.Duration;
import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.FoldOutcome;
import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * installation-events (key: owner) -> {@link FoldProcessor} (the fold, persisted per cluster) ->
 * lifecycle-status (key: owner, the whole status, at most once per publish interval per owner), and
 * every published status to {@code statusSink} (the CR writer). An event that cannot be decoded or whose
 * fold throws goes to the DLQ through the StreamsDeadLetterHandler configured on the streams instance.
 */
public final class StatusTopology {
    /** The fold's stores: the owners' own fields, and one record per (owner, cluster). */
    public static final String OWNER_STORE = FoldProcessor.OWNER_STORE;
    public static final String CLUSTER_STORE = FoldProcessor.CLUSTER_STORE;
    /** The default publish interval: statuses reach the writer, which coalesces further, this often at most. */
    public static final Duration PUBLISH_INTERVAL = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(StatusTopology.class);

    private StatusTopology() {
    }

    public static Topology build(String eventsTopic, String statusTopic,
            BiConsumer<String, LifecycleStatus> statusSink) {
        return build(eventsTopic, statusTopic, PUBLISH_INTERVAL, statusSink);
    }

    public static Topology build(String eventsTopic, String statusTopic, Duration publishInterval,
            BiConsumer<String, LifecycleStatus> statusSink) {
        return build(eventsTopic, statusTopic, publishInterval, statusSink,
                OpenTelemetry.noop().getTracer("status-aggregator"));
    }

    /** Each event folded in a span of its change's trace ({@link FoldProcessor}). */
    public static Topology build(String eventsTopic, String statusTopic, Duration publishInterval,
            BiConsumer<String, LifecycleStatus> statusSink, Tracer tracer) {
        AvroSerde<InstallationEvent> events = AvroSerde.of(InstallationEvent.class);
        AvroSerde<LifecycleStatus> statuses = AvroSerde.of(LifecycleStatus.class);
        Topology topology = new Topology();
        topology.addSource("installation-events", Serdes.String().deserializer(), events.deserializer(), eventsTopic);
        topology.addProcessor("fold", () -> new FoldProcessor(publishInterval, statusSink, StatusTopology::log, tracer),
                "installation-events");
        topology.addStateStore(store(FoldProcessor.OWNER_STORE, statuses), "fold");
        topology.addStateStore(store(FoldProcessor.CLUSTER_STORE, statuses), "fold");
        topology.addSink("lifecycle-status", statusTopic, Serdes.String().serializer(), statuses.serializer(), "fold");
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, LifecycleStatus>> store(String name,
            AvroSerde<LifecycleStatus> statuses) {
        // No caching: the processor keeps the statuses in memory itself, and writes only what changed.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), statuses)
                .withCachingDisabled();
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
