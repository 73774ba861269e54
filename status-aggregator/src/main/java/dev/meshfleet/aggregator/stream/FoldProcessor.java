package dev.meshfleet.aggregator.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.FoldOutcome;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusChange;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.schemas.trace.TraceHeaders;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The fold at fleet size: one owner's status is kept whole in memory, and persisted as one record
 * per cluster (owner store: the owner's own fields; cluster store: key {@code owner NUL cluster}).
 * An event costs the fold and the records of the clusters it changed, not a read and a write of a
 * status that names a thousand clusters. The whole status is published (to lifecycle-status and to
 * the CR writer) at most once per {@code publishInterval} per owner, and only when a reader of the
 * status would see a difference ({@link StatusChange#reportChanged()}), and a status naming many clusters less
 * often ({@link PublishPacing}: every second at 1,000 clusters).
 *
 * <p>Crash safety: the store writes happen in {@link #process}, so they are committed with the
 * input offsets. A status folded but not yet published when the process dies is published after
 * the restart: {@link #init} loads every stored owner and publishes it once (the writer compares
 * before it writes, so that costs a read per CR, not a write).
 *
 * <p>At rest: the publishing punctuator is scheduled only while some owner waits to be published, and cancelled by
 * the punctuation that finds nothing left. Streams commits a task after each of its punctuations, so a punctuator
 * that kept firing on an idle fleet committed every task's offsets five times a second for nothing.
 *
 * <p>Tracing: each event is folded in a span {@code fold}, a child of the installer's or the translator's span that
 * the event's headers carry. A status is published with the context of the last fold that changed it (in the
 * record's headers, and current while the writer is offered it), so the status write joins that change's trace.
 */
final class FoldProcessor implements Processor<String, InstallationEvent, String, LifecycleStatus> {
    static final String OWNER_STORE = "lifecycle-owner-store";
    static final String CLUSTER_STORE = "lifecycle-cluster-store";
    private static final char SEPARATOR = '\u0000';

    private final Duration publishInterval;
    private final BiConsumer<String, LifecycleStatus> statusSink;
    private final FoldLog log;
    private final Map<String, Status> statuses = new HashMap<>();
    private final Set<String> unpublished = new LinkedHashSet<>();
    /** Per owner, the punctuation time of its last publish: a large status waits out {@link PublishPacing}. */
    private final Map<String, Long> lastPublished = new HashMap<>();
    /** Per unpublished owner: the context of the fold that last changed its report. */
    private final Map<String, Context> traces = new HashMap<>();
    private final Tracer tracer;
    private ProcessorContext<String, LifecycleStatus> context;
    private KeyValueStore<String, LifecycleStatus> owners;
    private KeyValueStore<String, LifecycleStatus> clusters;
    /** The publishing punctuator while one is scheduled, else null. */
    private Cancellable publishing;

    FoldProcessor(Duration publishInterval, BiConsumer<String, LifecycleStatus> statusSink,
            FoldLog log, Tracer tracer) {
        this.tracer = tracer;
        this.publishInterval = publishInterval;
        this.statusSink = statusSink;
        this.log = log;
    }

    /** Where each fold's outcome is logged. */
    interface FoldLog {
        void folded(String owner, Event event, FoldOutcome outcome);
    }

    static String clusterKey(String owner, String cluster) {
        return owner + SEPARATOR + cluster;
    }

    @Override
    public void init(ProcessorContext<String, LifecycleStatus> context) {
        this.context = context;
        this.owners = context.getStateStore(OWNER_STORE);
        this.clusters = context.getStateStore(CLUSTER_STORE);
        // Streams initializes the same instance again when it revives a task whose state it wiped and
        // restored: what was loaded before may be ahead of the restored stores.
        statuses.clear();
        unpublished.clear();
        traces.clear();
        lastPublished.clear();
        stopPublishing();
        load();
        publishSoon();
    }

    private void stopPublishing() {
        if (publishing != null) {
            publishing.cancel();
            publishing = null;
        }
    }

    /** Schedules the publishing punctuator unless it is scheduled or nothing waits. */
    private void publishSoon() {
        if (publishing == null && !unpublished.isEmpty()) {
            publishing = context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publish);
        }
    }

    private void load() {
        Map<String, List<LifecycleStatus>> byOwner = new HashMap<>();
        try (KeyValueIterator<String, LifecycleStatus> all = clusters.all()) {
            while (all.hasNext()) {
                KeyValue<String, LifecycleStatus> next = all.next();
                String owner = next.key.substring(0, next.key.indexOf(SEPARATOR));
                byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(next.value);
            }
        }
        try (KeyValueIterator<String, LifecycleStatus> all = owners.all()) {
            while (all.hasNext()) {
                KeyValue<String, LifecycleStatus> next = all.next();
                statuses.put(next.key, AvroStatus.assemble(next.value, byOwner.getOrDefault(next.key, List.of())));
                unpublished.add(next.key);
            }
        }
    }

    @Override
    public void process(Record<String, InstallationEvent> record) {
        String owner = record.key();
        if (owner == null || record.value() == null) {
            return;
        }
        if (record.value().getOwner().getKind() == ResourceKind.Unknown) {
            // A kind added after this build (docs/adr/0027): its states cannot be read, and folding it as another kind
            // would write a wrong status. The event log keeps it for the upgraded aggregator.
            org.jboss.logging.Logger.getLogger(FoldProcessor.class).warnf(
                    "event of %s skipped: its owner kind is one this aggregator does not know (Unknown); upgrade it",
                    owner);
            return;
        }
        Span span = TraceHeaders.startConsumer(tracer, "fold", record.headers());
        try (Scope ignored = span.makeCurrent()) {
            fold(owner, record);
        } finally {
            span.end();
        }
    }

    private void fold(String owner, Record<String, InstallationEvent> record) {
        Event event = AvroStatus.event(record.value());
        Status before = statuses.get(owner);
        FoldOutcome outcome = StatusFold.fold(before, event);
        log.folded(owner, event, outcome);
        Status after = outcome.status();
        StatusChange change = StatusChange.between(before, after);
        if (change.ownerChanged()) {
            owners.put(owner, AvroStatus.ownerRecord(after));
        }
        for (String cluster : change.changedClusters()) {
            if (after.clusters().containsKey(cluster)) {
                clusters.put(clusterKey(owner, cluster), AvroStatus.clusterRecord(after, cluster));
            } else {
                clusters.delete(clusterKey(owner, cluster));
            }
        }
        statuses.put(owner, after);
        if (change.reportChanged()) {
            unpublished.add(owner);
            traces.put(owner, Context.current());
            publishSoon();
        }
    }

    private void publish(long timestamp) {
        if (unpublished.isEmpty()) {
            // A whole interval passed with nothing to publish: stop until the next change (see the class comment).
            stopPublishing();
            return;
        }
        List<String> due = new ArrayList<>();
        for (Iterator<String> waiting = unpublished.iterator(); waiting.hasNext();) {
            String owner = waiting.next();
            Long last = lastPublished.get(owner);
            if (last == null || timestamp - last >= PublishPacing.interval(publishInterval,
                    statuses.get(owner).clusters().size()).toMillis()) {
                waiting.remove();
                due.add(owner);
            }
        }
        for (String owner : due) {
            LifecycleStatus status = AvroStatus.avro(statuses.get(owner));
            Context trace = traces.getOrDefault(owner, Context.root());
            traces.remove(owner);
            lastPublished.put(owner, timestamp);
            try (Scope ignored = trace.makeCurrent()) {
                context.forward(new Record<>(owner, status, timestamp, TraceHeaders.inject(trace, new RecordHeaders())));
                statusSink.accept(owner, status);
            }
        }
    }
}
