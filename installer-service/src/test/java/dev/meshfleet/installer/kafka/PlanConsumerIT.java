package dev.meshfleet.installer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.fencing.LeaseTiming;
import dev.meshfleet.installer.fencing.PartitionLeases;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.reconcile.Ownership;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.installer.work.WorkQueue;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ChartRelease;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.UpgradePolicy;
import dev.meshfleet.testkit.InProcessKafka;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.PoisonRecords;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

/** Two installer replicas' consumers in one JVM against the real in-process broker. */
class PlanConsumerIT {
    private static final int PARTITIONS = 4;
    private static final int CLUSTERS = 40;

    private final String bootstrap = InProcessKafka.shared().bootstrapServers();
    private final String topic = "install-plans-" + UUID.randomUUID();
    private final String group = "installer-" + UUID.randomUUID();
    private final List<AutoCloseable> open = new ArrayList<>();
    /** The management cluster, for the partitions' Leases. */
    private final MockApiServer management = MockApiServer.start();

    /**
     * A replica's consumer, started, with its leases; closed in order: the queue, the consumer (which releases
     * its partitions' leases on revocation), the leases.
     */
    private PlanConsumer consume(String replica, Ownership ownership, WorkQueue queue, LeaseTiming timing) {
        PartitionLeases leases = new PartitionLeases(management.client(), "default", topic, replica, timing,
                System::nanoTime, Clock.systemUTC());
        leases.start();
        PlanConsumer consumer = new PlanConsumer(KafkaClientSettings.bootstrap(bootstrap), topic, group, replica, ownership, leases, queue,
                Duration.ofMinutes(5), () -> {
                });
        open.add(queue);
        open.add(consumer);
        open.add(leases);
        consumer.start();
        return consumer;
    }

    /** Ownership that remembers every assignment and revocation, as the listener made them. */
    static final class Recording extends Ownership {
        final List<long[]> assignments = new CopyOnWriteArrayList<>();
        final List<Integer> revocations = new CopyOnWriteArrayList<>();

        @Override
        public void assigned(int partition, long epoch) {
            assignments.add(new long[] {partition, epoch});
            super.assigned(partition, epoch);
        }

        @Override
        public Set<String> revoked(int partition) {
            revocations.add(partition);
            return super.revoked(partition);
        }

        Set<Integer> owned() {
            return Set.copyOf(partitionsWithEpoch().keySet());
        }

        /** The latest epoch per partition currently owned. */
        Map<Integer, Long> partitionsWithEpoch() {
            Map<Integer, Long> latest = new ConcurrentHashMap<>();
            assignments.forEach(a -> latest.put((int) a[0], a[1]));
            latest.keySet().removeIf(p -> clustersOf(p).isEmpty());
            return latest;
        }
    }

    /** A replica: its ownership, its queue recording each reconciled cluster, its consumer. */
    final class Replica {
        final Recording ownership = new Recording();
        final Set<String> reconciled = ConcurrentHashMap.newKeySet();
        final WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            reconciled.add(cluster);
            return null;
        });
        final PlanConsumer consumer;

        Replica(String name) {
            consumer = consume(name, ownership, queue, LeaseTiming.DEFAULT);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        management.close();
    }

    @Test
    void aJoiningReplicaTakesOnlyThePartitionsThatMoveUnderAGreaterEpochAndReconcilesTheirClusters() {
        createTopicWithClusters();
        Replica a = new Replica("installer-a");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.reconciled.size() == CLUSTERS);
        Map<Integer, Long> epochsOfA = a.ownership.partitionsWithEpoch();
        assertThat(epochsOfA).hasSize(PARTITIONS);
        int assignmentsOfAAlone = a.ownership.assignments.size();

        Replica b = new Replica("installer-b");
        await().atMost(Duration.ofSeconds(30)).until(() -> b.ownership.clusters().size() + a.ownership.clusters()
                .size() == CLUSTERS && !b.ownership.clusters().isEmpty() && !a.ownership.clusters().isEmpty()
                && b.reconciled.containsAll(b.ownership.clusters()));

        Set<Integer> movedToB = b.ownership.owned();
        assertThat(movedToB).hasSize(PARTITIONS / 2);
        // Cooperative: A gave up exactly what B got, and was not re-assigned what it kept (an eager rebalance
        // revokes and re-assigns every partition, and re-reads each one).
        assertThat(new TreeSet<>(a.ownership.revocations)).isEqualTo(new TreeSet<>(movedToB));
        assertThat(a.ownership.assignments).hasSize(assignmentsOfAAlone);
        assertThat(a.ownership.clusters()).hasSize(CLUSTERS - b.ownership.clusters().size());
        // Events after the handover carry B's epoch, greater than the one A held the partition under.
        b.ownership.partitionsWithEpoch().forEach((partition, epoch) -> assertThat(epoch)
                .as("epoch of partition %d at B", partition).isGreaterThan(epochsOfA.get(partition)));
        for (String cluster : b.ownership.clusters()) {
            assertThat(a.ownership.get(cluster)).as("cluster %s still owned by A", cluster).isEmpty();
        }

        Map<Integer, Long> epochsOfB = b.ownership.partitionsWithEpoch();
        a.reconciled.clear();
        b.consumer.close();
        // B leaves: A takes its partitions back under a greater epoch and reconciles their clusters.
        await().atMost(Duration.ofSeconds(30)).until(() -> a.ownership.clusters().size() == CLUSTERS
                && a.reconciled.containsAll(clustersOf(epochsOfB.keySet(), a.ownership)));
        epochsOfB.forEach((partition, epoch) -> assertThat(a.ownership.partitionsWithEpoch().get(partition))
                .as("epoch of partition %d back at A", partition).isGreaterThan(epoch));
    }

    @Test
    void aConsumerThreadThatDiesIsReportedAsAFailureForLiveness() {
        createTopicWithClusters();
        Ownership failing = new Ownership() {
            @Override
            public boolean desired(String cluster, int partition, List<Plan> plans) {
                throw new OutOfMemoryError("simulated: Java heap space");
            }
        };
        WorkQueue queue = new WorkQueue(1, (cluster, trigger) -> null);
        PlanConsumer consumer = consume("installer-oom", failing, queue, LeaseTiming.DEFAULT);

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.failure().isPresent());
        assertThat(consumer.failure().orElseThrow()).isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("simulated");
        assertThat(consumer.healthy()).isFalse();
    }

    @Test
    void aReplicaTakingAPartitionHandsEachClusterToItsWorkersOnlyWithItsLatestPlansOnceCaughtUp() {
        // Each cluster's old record (an ILM only) then its latest (the ILM and a GLM): a worker that saw the old
        // one (the periodic resync, a Secret registered, while the partition is still being read) would
        // uninstall the gateway that the latest record still wants.
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(topic, PARTITIONS, true, -1L)), (short) 1);
        Properties props = producerProps();
        try (KafkaProducer<String, ClusterDesiredState> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(ClusterDesiredState.class))) {
            for (int i = 0; i < CLUSTERS; i++) {
                producer.send(new ProducerRecord<>(topic, "cluster" + i, state("cluster" + i, plan("ilm"))));
                producer.send(new ProducerRecord<>(topic, "cluster" + i, state("cluster" + i, plan("ilm"),
                        plan("glm"))));
            }
            producer.flush();
        }
        List<String> handed = new CopyOnWriteArrayList<>();
        Ownership ownership = new Ownership() {
            @Override
            public boolean desired(String cluster, int partition, List<Plan> plans) {
                handed.add(cluster + " " + plans.size() + " plan(s)");
                return super.desired(cluster, partition, plans);
            }
        };
        Set<String> reconciled = ConcurrentHashMap.newKeySet();
        WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            reconciled.add(cluster);
            return null;
        });
        consume("installer-catching-up", ownership, queue, LeaseTiming.DEFAULT);

        await().atMost(Duration.ofSeconds(30)).until(() -> reconciled.size() == CLUSTERS);
        assertThat(handed).as("desired states handed to the workers").hasSize(CLUSTERS)
                .allMatch(h -> h.endsWith(" 2 plan(s)"));
        assertThat(ownership.clusters()).hasSize(CLUSTERS);
        for (String cluster : ownership.clusters()) {
            assertThat(ownership.get(cluster).orElseThrow().plans()).as(cluster).hasSize(2);
        }
    }

    @Test
    void aReplicaTakingPartitionsReEmitsEveryClusterWithoutRepairingTheDriftOfAllOfThemAtOnce() {
        // A restarted replica takes its partitions back at once (static membership); a drift repair of every
        // cluster on assignment (render and re-apply every object) made its last cluster's first event come 15 s
        // after it was ready in the soak. Each cluster's drift is repaired at its turn of the periodic repair.
        createTopicWithClusters();
        Map<String, Trigger> handed = new ConcurrentHashMap<>();
        WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            handed.put(cluster, trigger);
            return null;
        });
        consume("installer-resuming", new Ownership(), queue, LeaseTiming.DEFAULT);

        await().atMost(Duration.ofSeconds(30)).until(() -> handed.size() == CLUSTERS);
        assertThat(Set.copyOf(handed.values())).as("the triggers the clusters of the assigned partitions came with")
                .hasSize(1).allSatisfy(t -> {
                    assertThat(t.reemits()).as("%s re-emits every state under the new epoch", t).isTrue();
                    assertThat(t).as("not the drift repair").isNotEqualTo(Trigger.RESYNC);
                });
    }

    @Test
    void aPoisonRecordIsPassedOnlyOnceItsDeadLetterIsConfirmedAndTheNextPlanIsHandedAfterIt() throws Exception {
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(topic, 1, true, -1L)), (short) 1);
        List<PoisonRecords.Written> poison = PoisonRecords.write(bootstrap, topic, 2);
        Properties props = producerProps();
        try (KafkaProducer<String, ClusterDesiredState> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(ClusterDesiredState.class))) {
            producer.send(new ProducerRecord<>(topic, "cluster-a", state("cluster-a", plan("ilm")))).get();
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        List<DeadLetter> written = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger();
        Ownership ownership = new Ownership() {
            @Override
            public boolean desired(String cluster, int partition, List<Plan> plans) {
                seen.add("desired " + cluster);
                return super.desired(cluster, partition, plans);
            }
        };
        WorkQueue queue = new WorkQueue(1, (cluster, trigger) -> null);
        PartitionLeases leases = new PartitionLeases(management.client(), "default", topic, "installer-dlq",
                LeaseTiming.DEFAULT, System::nanoTime, Clock.systemUTC());
        leases.start();
        PlanConsumer consumer = new PlanConsumer(KafkaClientSettings.bootstrap(bootstrap), topic, group, "installer-dlq", ownership, leases, queue,
                Duration.ofMinutes(5), () -> {
                });
        // The DLQ refuses the first two dead letters (a broker that does not acknowledge), then takes them.
        consumer.writeDeadLettersWith(deadLetter -> {
            DeadLetter letter = DeadLetter.headersOf(deadLetter);
            if (refusals.getAndIncrement() < 2) {
                seen.add("refused " + letter.sourceOffset());
                throw new TimeoutException("simulated: no acknowledgement");
            }
            seen.add("written " + letter.sourceOffset());
            written.add(letter);
        });
        open.add(queue);
        open.add(consumer);
        open.add(leases);
        consumer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("desired cluster-a"));
        long first = poison.get(0).offset();
        long second = poison.get(1).offset();
        assertThat(seen).containsExactly("refused " + first, "refused " + first, "written " + first,
                "written " + second, "desired cluster-a");
        assertThat(written).extracting(DeadLetter::topic).containsOnly(Topics.dlq(topic));
        assertThat(written).extracting(DeadLetter::sourceTopic).containsOnly(topic);
        assertThat(written).extracting(DeadLetter::service).containsOnly("installer-service");
        assertThat(written).extracting(DeadLetter::errorClass)
                .containsOnly("org.apache.kafka.common.errors.SerializationException");
        assertThat(consumer.failure()).isEmpty();
    }

    /**
     * A desired state naming an owner of a kind this installer does not know (Avro's Unknown, ADR 0027) is refused whole,
     * to the DLQ: acting on the rest would uninstall that installation. The cluster's next state is handed as usual.
     */
    @Test
    void aDesiredStateNamingAnOwnerKindThisInstallerDoesNotKnowIsDeadLetteredWhole() throws Exception {
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(topic, 1, true, -1L)), (short) 1);
        InstallationPlan unknown = plan("ilm");
        unknown.getOwner().setKind(ResourceKind.Unknown);
        Properties props = producerProps();
        try (KafkaProducer<String, ClusterDesiredState> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(ClusterDesiredState.class))) {
            producer.send(new ProducerRecord<>(topic, "cluster-a", state("cluster-a", plan("glm"), unknown))).get();
            producer.send(new ProducerRecord<>(topic, "cluster-a", state("cluster-a", plan("ilm")))).get();
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        List<DeadLetter> written = new CopyOnWriteArrayList<>();
        Ownership ownership = new Ownership() {
            @Override
            public boolean desired(String cluster, int partition, List<Plan> plans) {
                seen.add("desired " + cluster + " " + plans.stream().map(p -> p.owner().name()).toList());
                return super.desired(cluster, partition, plans);
            }
        };
        WorkQueue queue = new WorkQueue(1, (cluster, trigger) -> null);
        PartitionLeases leases = new PartitionLeases(management.client(), "default", topic, "installer-unknown",
                LeaseTiming.DEFAULT, System::nanoTime, Clock.systemUTC());
        leases.start();
        PlanConsumer consumer = new PlanConsumer(KafkaClientSettings.bootstrap(bootstrap), topic, group, "installer-unknown",
                ownership, leases, queue, Duration.ofMinutes(5), () -> {
                });
        consumer.writeDeadLettersWith(deadLetter -> written.add(DeadLetter.headersOf(deadLetter)));
        open.add(queue);
        open.add(consumer);
        open.add(leases);
        consumer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly("desired cluster-a [ilm]");
        assertThat(written).singleElement().satisfies(letter -> {
            assertThat(letter.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(letter.sourceOffset()).isZero();
        });
        assertThat(consumer.failure()).isEmpty();
    }

    @Test
    void aPartitionWhoseLeaseAnotherReplicaStillHoldsIsReconciledOnlyOnceThatLeaseIsWaitedOut() {
        createTopicWithClusters();
        // A replica that was paused holds every partition's lease and renews no more.
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (int p = 0; p < PARTITIONS; p++) {
            management.client().leases().inNamespace("default").resource(new LeaseBuilder().withNewMetadata()
                    .withName(topic + "-" + p).endMetadata().withNewSpec().withHolderIdentity("installer-paused")
                    .withLeaseDurationSeconds(3).withRenewTime(now).withAcquireTime(now).withLeaseTransitions(0)
                    .endSpec().build()).create();
        }
        Set<String> reconciled = ConcurrentHashMap.newKeySet();
        WorkQueue queue = new WorkQueue(2, (cluster, trigger) -> {
            reconciled.add(cluster);
            return null;
        });
        LeaseTiming timing = new LeaseTiming(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(250));
        Ownership ownership = new Ownership();
        consume("installer-new", ownership, queue, timing);

        await().atMost(Duration.ofSeconds(30)).until(() -> ownership.partitions() == PARTITIONS);
        long assignedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> reconciled.size() == CLUSTERS);
        assertThat(Duration.ofNanos(System.nanoTime() - assignedAt)).as("from assignment to the clusters reconciled")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        for (int p = 0; p < PARTITIONS; p++) {
            var spec = management.client().leases().inNamespace("default").withName(topic + "-" + p).get().getSpec();
            assertThat(spec.getHolderIdentity()).as("holder of partition %d's lease", p).isEqualTo("installer-new");
            assertThat(spec.getLeaseTransitions()).isEqualTo(1);
        }
    }

    private static ClusterDesiredState state(String cluster, InstallationPlan... plans) {
        return ClusterDesiredState.newBuilder().setCluster(cluster).setInstallations(List.of(plans))
                .setPlanHash("cluster-" + plans.length).build();
    }

    private static InstallationPlan plan(String owner) {
        return InstallationPlan.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(owner.equals("ilm") ? ResourceKind.IstioLifecycleManager
                        : ResourceKind.GatewayLifecycleManager).setNamespace("gloo-mesh").setName(owner)
                        .setUid("uid-" + owner).build())
                .setGeneration(1).setRevision("1-24").setTag("1.24.2").setControlPlaneRevision("1-24")
                .setCharts(List.of(ChartRelease.newBuilder().setChart(owner.equals("ilm") ? "istiod" : "gateway")
                        .setReleaseName(owner).setNamespace("istio-system").setValuesJson("{}").build()))
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(false)
                        .setWaitForResourcesTimeoutMillis(60_000).build())
                .setObservedOperatorJson("{}").setPlanHash("hash-" + owner).build();
    }

    private static Set<String> clustersOf(Set<Integer> partitions, Ownership ownership) {
        return partitions.stream().flatMap(p -> ownership.clustersOf(p).stream()).collect(Collectors.toSet());
    }

    /** Tombstones (nothing desired) are enough: the consumer owns a cluster by its key, whatever its plans. */
    private void createTopicWithClusters() {
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(topic, PARTITIONS, true, -1L)), (short) 1);
        Properties props = producerProps();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < CLUSTERS; i++) {
                producer.send(new ProducerRecord<>(topic, "cluster" + i, null));
            }
            producer.flush();
        }
    }

    /**
     * The test's own producers, one batch in flight: once in a whole suite run the in-process broker refused a
     * retried first batch of a fresh topic with OutOfOrderSequenceException (sequence 0 after 19) and the producer
     * retried it for two minutes, past the test's wait.
     */
    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }
}
