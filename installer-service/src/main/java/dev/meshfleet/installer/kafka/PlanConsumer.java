package dev.meshfleet.installer.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import dev.meshfleet.installer.fencing.PartitionLeases;
import dev.meshfleet.schemas.GroupHeartbeat;
import dev.meshfleet.installer.trace.PlanTraces;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.reconcile.Ownership;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.installer.work.WorkQueue;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.dlq.DeadLetters;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.trace.TraceHeaders;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Reads install-plans in the installer's consumer group. The partitions assigned to this replica
 * decide the clusters it owns.
 *
 * <p>Offsets are never committed: install-plans is compacted and its latest record per cluster is
 * that cluster's whole desired state, so on every assignment the partition is read again from the
 * beginning. That makes a replica that takes over a partition know every cluster on it, including
 * clusters whose plan has not changed for months, without any state of its own. A cluster is
 * reconciled only once its partition has been read up to the end offset seen at assignment, so a
 * stale record early in the log is never acted on.
 *
 * <p>Rebalancing is cooperative (the cooperative-sticky assignor): when a replica joins or leaves,
 * only the partitions that move are revoked and assigned, one partition at a time in the listener,
 * and every other partition keeps its clusters, its epoch and its reconciles meanwhile. The epoch
 * of a partition is the group generation at which this replica was assigned it; the generation
 * grows with every rebalance, and a cooperative handover takes two (revoke, then assign), so the
 * new owner's epoch is always greater than the old owner's. With a group instance id (static
 * membership) a replica restarted within the session timeout gets its partitions back without a
 * rebalance; closing leaves the group whatever the membership, so that a replica stopped on purpose hands its
 * partitions over at once (ADR 0011).
 *
 * <p>A record that cannot be decoded goes to {@code <topic>.dlq} with the error and its source in headers; the
 * partition moves past it only once the broker has confirmed the dead letter (otherwise the record is read
 * again a second later). Since every assignment reads the partition from the beginning, a poison record
 * still in the log is dead-lettered again by each replica that takes its partition: the dead letters name
 * their source offset, and {@code ./meshfleet dlq list} shows each.
 *
 * <p>Each assigned partition's Lease ({@link PartitionLeases}) is acquired on assignment and released on
 * revocation; a partition's clusters go to the workers only once it is caught up and its lease is held, so
 * a previous owner that was paused past its session timeout has stopped writing first (ADR 0013).
 *
 * <p>An error that ends the consumer thread (an OutOfMemoryError, a bug) is logged and kept:
 * {@link #failure()} makes liveness DOWN so that the process is restarted instead of staying up
 * with no partitions read.
 */
public class PlanConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PlanConsumer.class);
    /** Named in the dead letters' headers. */
    public static final String SERVICE = "installer-service";
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    private final String topic;
    /** The consumer's own settings, over the user's kafka.* ones. */
    private final Map<String, Object> props = new LinkedHashMap<>();
    private final KafkaClientSettings kafka;
    private final Ownership ownership;
    private final PartitionLeases leases;
    private final WorkQueue queue;
    private final Duration defaultWaitTimeout;
    private final AvroSerde<ClusterDesiredState> serde = AvroSerde.of(ClusterDesiredState.class);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lastPoll = new AtomicLong();
    private final AtomicBoolean joined = new AtomicBoolean();
    /** How many assigned partitions are not handed to the workers yet (read, or lease, pending); for readiness' data. */
    private volatile int waiting;
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();
    /**
     * The latest plans read per cluster of each partition still catching up, handed to {@link Ownership} only once
     * the partition is caught up: until then a cluster's record may be an old one (its plans before a GLM was
     * added, say), and a worker reconciling it (the periodic resync, a Secret registered) would prune what the
     * newer records still want.
     */
    private final Map<TopicPartition, Map<String, List<Plan>>> pending = new HashMap<>();
    /**
     * Per owned partition, the offset after the last record handled under this assignment. Without committed
     * offsets the client seeks even a partition this replica keeps through a cooperative rebalance back to
     * the beginning (seen in the sandbox: "Seeking to ... earliest offset" of every kept partition); its
     * records already handled must not be handed over again, or a cluster would go back to an older plan
     * (uninstalling what a later one added) until the newest is read again.
     */
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    private final Runnable onDeadLetter;
    private volatile DeadLetterWriter deadLetterWriter;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile Runnable prepare;
    private volatile Throwable failure;
    private Tracer tracer = OpenTelemetry.noop().getTracer("installer-service");
    private PlanTraces traces = new PlanTraces();
    private MeterRegistry meters;

    public PlanConsumer(KafkaClientSettings kafka, String topic, String groupId, String clientId, Ownership ownership,
            PartitionLeases leases, WorkQueue queue, Duration defaultWaitTimeout, Runnable onDeadLetter) {
        this(kafka, topic, groupId, clientId, "", ownership, leases, queue, defaultWaitTimeout, onDeadLetter);
    }

    /**
     * @param kafka           the user's kafka.* client settings; the consumer's own (group, assignor, offsets never
     *                        committed, read from the beginning) win over them: the ownership and epochs rest on them
     * @param groupInstanceId static membership ({@code group.instance.id}); empty for none
     * @param leases          the partitions' leases: acquired on assignment, released on revocation
     */
    public PlanConsumer(KafkaClientSettings kafka, String topic, String groupId, String clientId, String groupInstanceId,
            Ownership ownership, PartitionLeases leases, WorkQueue queue, Duration defaultWaitTimeout,
            Runnable onDeadLetter) {
        this.kafka = kafka;
        this.topic = topic;
        this.ownership = ownership;
        this.leases = leases;
        this.queue = queue;
        this.defaultWaitTimeout = defaultWaitTimeout;
        this.onDeadLetter = onDeadLetter;
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        if (groupInstanceId != null && !groupInstanceId.isBlank()) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
    }

    /**
     * The consumer's session timeout: how long the group waits for a replica that stopped heartbeating (a crash, a
     * long pause) before its partitions go to the others. A static member restarted within it takes them back
     * without a rebalance.
     */
    public PlanConsumer sessionTimeout(Duration timeout) {
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, GroupHeartbeat.intervalMillis(timeout));
        return this;
    }

    /** Each record read in a span of its change's trace, remembered for the events it leads to. Before {@link #start()}. */
    public PlanConsumer traced(Tracer tracer, PlanTraces traces) {
        this.tracer = tracer;
        this.traces = traces;
        return this;
    }

    /**
     * The consumer's and the DLQ producer's client metrics (the consumer's records-lag per partition is the
     * installer's lag: it commits no offsets, so no group lag exists to read). Before {@link #start()}.
     */
    public PlanConsumer metrics(MeterRegistry meters) {
        this.meters = meters;
        return this;
    }

    public void start() {
        thread = new Thread(this, "installer-plans-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the consumer is in its group and polling (readiness). */
    public boolean healthy() {
        return failure == null && joined.get() && System.currentTimeMillis() - lastPoll.get() < 30_000;
    }

    /** What ended the consumer thread unexpectedly; empty while it runs or after a normal close (liveness). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Runs once on the consumer thread before it subscribes, retried until it succeeds (the cluster registry synced, topic creation). */
    public void beforeSubscribe(Runnable prepare) {
        this.prepare = prepare;
    }

    @Override
    public void run() {
        try {
            consume();
        } catch (Throwable e) {
            // Nothing reads install-plans any more: say so and let liveness restart the process.
            failure = e;
            LOG.errorf(e, "install-plans consumer thread died (%s); liveness is DOWN so that the process is"
                    + " restarted", e.getClass().getSimpleName());
        } finally {
            joined.set(false);
        }
    }

    private void consume() {
        // Kafka may come up after us: keep trying rather than fail startup, readiness stays DOWN meanwhile.
        while (running.get() && prepare != null) {
            try {
                prepare.run();
                break;
            } catch (RuntimeException e) {
                LOG.warnf("not subscribing yet (%s); retrying in 5s", e.getMessage());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        var dlqProps = kafka.forClient("installer dead-letter producer", Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.forClient("installer install-plans consumer", props),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(dlqProps, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            if (meters != null) {
                clientMetrics.add(new KafkaClientMetrics(c));
                clientMetrics.add(new KafkaClientMetrics(dlq));
                clientMetrics.forEach(m -> m.bindTo(meters));
            }
            consumer = c;
            DeadLetterWriter writer = deadLetterWriter != null ? deadLetterWriter
                    : deadLetter -> dlq.send(deadLetter).get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            c.subscribe(List.of(topic), new Rebalance(c));
            while (running.get()) {
                var records = c.poll(Duration.ofMillis(200));
                lastPoll.set(System.currentTimeMillis());
                boolean deadLetterFailed = false;
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        if (!handle(record, writer)) {
                            // Not written to the DLQ: read it again, and nothing after it in this partition before.
                            c.seek(tp, record.offset());
                            deadLetterFailed = true;
                            break;
                        }
                    }
                }
                checkCaughtUp(c);
                if (deadLetterFailed) {
                    pause(DEAD_LETTER_RETRY);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
            // close() woke us up to stop
        } finally {
            // A replica that closes its consumer is going away: leave the group so that its partitions go to the
            // others at once, static member or not. Only a crash leaves the member to its session timeout, and then
            // a restart under the same group.instance.id takes the partitions back without a rebalance.
            c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
            clientMetrics.forEach(KafkaClientMetrics::close);
        }
    }

    /** False when the record could not be decoded and its dead letter was not confirmed: it must be read again. */
    private boolean handle(ConsumerRecord<byte[], byte[]> record, DeadLetterWriter dlq) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < nextOffset.getOrDefault(tp, 0L)) {
            return true; // read again after the client reset a kept partition's position: handled already
        }
        String cluster = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        List<Plan> plans;
        try {
            if (cluster == null || cluster.isEmpty()) {
                throw new IllegalArgumentException("install-plans record without a cluster key");
            }
            if (record.value() == null) {
                // Tombstone: nothing is desired in the cluster any more.
                plans = List.of();
            } else {
                ClusterDesiredState state = serde.deserialize(record.topic(), record.value());
                plans = state.getInstallations().stream().map(p -> Plan.from(p, defaultWaitTimeout)).toList();
            }
        } catch (RuntimeException e) {
            String dlqTopic = dev.meshfleet.schemas.Topics.dlq(record.topic());
            try {
                dlq.write(DeadLetters.of(record, e, SERVICE));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception notWritten) {
                LOG.errorf("install-plans record %d/%d cannot be decoded (%s) and its dead letter was not written to"
                        + " %s (%s); reading it again", record.partition(), record.offset(), DeadLetters.describe(e),
                        dlqTopic, DeadLetters.describe(notWritten));
                return false;
            }
            LOG.warnf("install-plans record %d/%d cannot be decoded (%s); sent to %s", record.partition(),
                    record.offset(), DeadLetters.describe(e), dlqTopic);
            nextOffset.put(tp, record.offset() + 1);
            onDeadLetter.run();
            return true;
        }
        nextOffset.put(tp, record.offset() + 1);
        Span span = TraceHeaders.startConsumer(tracer, "install-plans read", record.headers());
        span.setAttribute("meshfleet.cluster", cluster);
        traces.read(cluster, plans, Context.root().with(span));
        span.end();
        if (catchingUp.containsKey(tp)) {
            pending.computeIfAbsent(tp, t -> new HashMap<>()).put(cluster, plans);
        } else if (ownership.desired(cluster, record.partition(), plans)) {
            queue.submit(cluster, Trigger.CHANGE);
        }
        return true;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a dead letter and returns once the broker has it; throws if it does not. */
    @FunctionalInterface
    interface DeadLetterWriter {
        void write(ProducerRecord<byte[], byte[]> deadLetter) throws Exception;
    }

    /** Replaces the DLQ producer (tests: a DLQ that refuses, then accepts). Before {@link #start()}. */
    void writeDeadLettersWith(DeadLetterWriter writer) {
        this.deadLetterWriter = writer;
    }

    /** Assigned partitions whose clusters are not handed to the workers yet: still read, or their lease not held. */
    public int partitionsWaiting() {
        return waiting;
    }

    private void checkCaughtUp(KafkaConsumer<byte[], byte[]> c) {
        waiting = catchingUp.size();
        if (catchingUp.isEmpty()) {
            return;
        }
        List<TopicPartition> done = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : catchingUp.entrySet()) {
            // Caught up, and the partition's lease held: a previous owner that may still be writing has stopped.
            if (c.position(e.getKey()) >= e.getValue() && leases.holds(e.getKey().partition())) {
                done.add(e.getKey());
            }
        }
        for (TopicPartition tp : done) {
            catchingUp.remove(tp);
            pending.getOrDefault(tp, Map.of()).forEach((cluster, plans) -> ownership.desired(cluster, tp.partition(),
                    plans));
            pending.remove(tp);
            // Assignment: every cluster of the partition is reconciled and its state re-emitted under the new epoch;
            // its drift is repaired at its turn of the periodic repair, not all at once here (ADR 0042).
            ownership.clustersOf(tp.partition()).forEach(cluster -> queue.submit(cluster, Trigger.RESUME));
        }
        waiting = catchingUp.size();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined.set(true);
            long epoch = c.groupMetadata().generationId();
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of() : c.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                ownership.assigned(tp.partition(), epoch);
                // Acquired while the partition is read: waiting out a paused previous owner's lease overlaps the catch-up.
                leases.want(tp.partition(), epoch);
                nextOffset.remove(tp);
                catchingUp.put(tp, ends.getOrDefault(tp, 0L));
            }
            if (!partitions.isEmpty()) {
                // Cooperative: only the partitions added by this rebalance; the others were kept as they were.
                LOG.infof("assigned install-plans partitions %s under epoch %d", partitions, epoch);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions, "lost");
        }

        private void drop(Collection<TopicPartition> partitions, String how) {
            for (TopicPartition tp : partitions) {
                catchingUp.remove(tp);
                pending.remove(tp);
                nextOffset.remove(tp);
                Set<String> dropped = ownership.revoked(tp.partition());
                dropped.forEach(queue::forget);
                dropped.forEach(traces::forget);
                // No write for the partition's clusters from here on; the next owner takes the lease at once.
                leases.release(tp.partition());
            }
            if (!partitions.isEmpty()) {
                LOG.infof("install-plans partitions %s %s; their clusters are no longer reconciled here", partitions, how);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
