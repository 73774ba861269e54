package dev.meshfleet.installer.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.cluster.ApplyResult;
import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.cluster.ClusterRegistry;
import dev.meshfleet.installer.reconcile.Ownership;
import dev.meshfleet.schemas.Writer;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WriteLog;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * Two installer replicas, A and B, and the write path of each (Ownership, the partition's Lease, the cluster
 * registry's fenced clients, ClusterOps) against one mock API server. Each replica's monotonic clock is the
 * test's, and its lease is renewed only when the test ticks it: A "pauses" by neither ticking nor writing
 * while its clock moves on, as a SIGSTOPped JVM would find on waking.
 */
class FencingIT {
    private static final String NAMESPACE = "meshfleet-system";
    private static final String CLUSTER = "cluster1";
    private static final int PARTITION = 3;
    private static final long S = 1_000_000_000L;

    private final MockApiServer server = MockApiServer.start();
    private final Replica a = new Replica("installer-a");
    private final Replica b = new Replica("installer-b");

    /** One replica's write path, with its own clock. */
    final class Replica implements AutoCloseable {
        final AtomicLong clock = new AtomicLong(1_000 * S);
        final Ownership ownership = new Ownership();
        final PartitionLeases leases;
        final ClusterRegistry registry;

        Replica(String id) {
            leases = new PartitionLeases(server.client(), NAMESPACE, "meshfleet.install-plans", id,
                    LeaseTiming.DEFAULT, clock::get, Clock.systemUTC());
            WriteFence fence = new WriteFence(c -> ownership.get(c)
                    .map(o -> new WriteFence.Claim(o.partition(), o.epoch())), leases);
            registry = new ClusterRegistry(server.client(), NAMESPACE, c -> {
            }, 5_000, 15_000, fence);
            registry.start();
        }

        /** The partition assigned under {@code epoch}, as PlanConsumer does: owned, and its lease wanted. */
        void assigned(long epoch) {
            ownership.assigned(PARTITION, epoch);
            ownership.desired(CLUSTER, PARTITION, List.of());
            leases.want(PARTITION, epoch);
        }

        ClusterOps ops() {
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.client(CLUSTER).isPresent());
            return new ClusterOps(registry.client(CLUSTER).orElseThrow(), "meshfleet");
        }

        void advance(long seconds) {
            clock.addAndGet(seconds * S);
        }

        @Override
        public void close() {
            registry.close();
            leases.close();
        }
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        server.close();
    }

    private static HasMetadata configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("istio-system").withName(name).endMetadata()
                .addToData("v", value).build();
    }

    /** The cluster's registration Secret, which both replicas' registries see. */
    private void registerCluster() {
        server.client().resource(new SecretBuilder().withNewMetadata().withName("cluster1-kubeconfig")
                .withNamespace(NAMESPACE).addToLabels(Crds.CLUSTER_LABEL, CLUSTER).endMetadata()
                .addToData(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                        server.kubeconfig(CLUSTER).getBytes(StandardCharsets.UTF_8))).build()).create();
    }

    private Lease lease() {
        return server.client().leases().inNamespace(NAMESPACE).withName("meshfleet.install-plans-" + PARTITION).get();
    }

    private String valueInCluster(String name) {
        var cm = server.client(CLUSTER).configMaps().inNamespace("istio-system").withName(name).get();
        return cm == null ? null : cm.getData().get("v");
    }

    @Test
    void aReplicaPausedPastItsLeaseWritesNothingWhenItWakesNotEvenTheApplyItWasInTheMiddleOf() {
        registerCluster();
        ClusterOps opsA = a.ops();
        ClusterOps opsB = b.ops();

        // A holds the partition and applies the first part of its plan.
        a.assigned(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leases.holds(PARTITION));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("installer-a");
        assertThat(opsA.apply(List.of(configMap("istiod", "a")))).isInstanceOf(ApplyResult.Applied.class);
        // Renewed while it runs: 8 s, renew, 8 s more, still proven.
        a.advance(8);
        a.leases.tick();
        a.advance(8);
        assertThat(opsA.apply(List.of(configMap("istiod", "a2")))).isInstanceOf(ApplyResult.Applied.class);

        // A pauses (no renewal, no write); its partition goes to B under a greater epoch. B waits out A's lease.
        b.assigned(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> lease() != null && !b.leases.holds(PARTITION));
        b.advance(14);
        b.leases.tick();
        assertThat(b.leases.holds(PARTITION)).as("B took the lease before a whole lease duration").isFalse();
        b.advance(1);
        b.leases.tick();
        assertThat(b.leases.holds(PARTITION)).isTrue();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("installer-b");
        assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThat(opsB.apply(List.of(configMap("istiod", "b"), configMap("gateway", "b"))))
                .isInstanceOf(ApplyResult.Applied.class);
        long bWroteAt = System.currentTimeMillis();

        // A wakes 40 s after its last renewal, still believing it owns the partition, and goes on with its apply.
        a.advance(40 - 8);
        assertThat(a.ownership.owns(CLUSTER, 5)).isTrue();
        ApplyResult rest = opsA.apply(List.of(configMap("gateway", "a"), configMap("istiod", "a3")));

        assertThat(rest).isInstanceOf(ApplyResult.Unreachable.class);
        assertThat(((ApplyResult.Unreachable) rest).message())
                .contains("replica installer-a cannot prove it still owns install-plans partition 3 (epoch 5)")
                .contains("last renewed 40000 ms ago, past the renew deadline of 10000 ms");
        assertThat(valueInCluster("gateway")).isEqualTo("b");
        assertThat(valueInCluster("istiod")).isEqualTo("b");
        List<WriteLog.Write> writes = server.writeLog().writes();
        assertThat(writes).filteredOn(w -> w.writer().map(Writer::replica).orElse("").equals("installer-a"))
                .isNotEmpty().allSatisfy(w -> {
                    assertThat(w.writer()).contains(new Writer("installer-a", 5));
                    assertThat(w.receivedAtMillis()).isLessThanOrEqualTo(bWroteAt);
                });
        assertThat(writes).filteredOn(w -> w.writer().map(Writer::replica).orElse("").equals("installer-b"))
                .isNotEmpty().allSatisfy(w -> assertThat(w.writer()).contains(new Writer("installer-b", 6)));

        // A's renewal finds the lease changed by B: A has lost it, and a later write is refused too, even right
        // after that renewal attempt.
        a.leases.tick();
        assertThat(a.leases.holds(PARTITION)).isFalse();
        assertThat(opsA.apply(List.of(configMap("istiod", "a4")))).isInstanceOf(ApplyResult.Unreachable.class);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("installer-b");
        assertThat(valueInCluster("istiod")).isEqualTo("b");
    }

    @Test
    void aRevokedPartitionIsReleasedAndItsNextOwnerTakesItAtOnceWhileTheOldOwnerWritesNoMore() {
        registerCluster();
        ClusterOps opsA = a.ops();
        a.assigned(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leases.holds(PARTITION));
        assertThat(opsA.apply(List.of(configMap("istiod", "a")))).isInstanceOf(ApplyResult.Applied.class);

        // A cooperative rebalance revokes the partition from A (A's ownership still lists the cluster while a
        // worker is mid-reconcile: the lease alone stops the write).
        a.leases.release(PARTITION);
        assertThat(opsA.apply(List.of(configMap("istiod", "a2")))).isInstanceOf(ApplyResult.Unreachable.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> "".equals(lease().getSpec().getHolderIdentity()));

        // B needs no wait: no clock advance, one attempt.
        b.assigned(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.leases.holds(PARTITION));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("installer-b");
        assertThat(valueInCluster("istiod")).isEqualTo("a");
        assertThat(Optional.ofNullable(lease().getMetadata().getAnnotations()).orElseThrow())
                .containsEntry("meshfleet.dev/epoch", "6");
    }

    @Test
    void aRestartedReplicaKnowsItStoppedHoldingALeaseAndOneThatReleasedItOrNeverHeldItDoesNot() {
        a.assigned(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.leases.holds(PARTITION));
        // A crashes: its process is gone without releasing anything. Its restart reads the leases before joining.
        PartitionLeases restarted = new PartitionLeases(server.client(), NAMESPACE, "meshfleet.install-plans",
                "installer-a", LeaseTiming.DEFAULT, System::nanoTime, Clock.systemUTC());
        assertThat(restarted.heldFromBefore(12)).as("installer-a restarted after a crash").isTrue();
        assertThat(b.leases.heldFromBefore(12)).as("installer-b, which never held it").isFalse();
        assertThat(restarted.heldFromBefore(PARTITION)).as("only partitions below the one held are read").isFalse();

        a.leases.release(PARTITION);
        await().atMost(Duration.ofSeconds(10)).until(() -> "".equals(lease().getSpec().getHolderIdentity()));
        assertThat(restarted.heldFromBefore(12)).as("installer-a restarted after a clean stop").isFalse();
        restarted.close();
    }

    @Test
    void aRoundThatFailsWithAnErrorTriesEveryOtherLeaseAndLeavesLaterRoundsScheduled() {
        // A monotonic clock that fails as an Error would (not a RuntimeException, which attempts catch) while asked to.
        AtomicBoolean failing = new AtomicBoolean(true);
        LongSupplier nanos = () -> {
            if (failing.get()) {
                throw new LinkageError("the clock's class could not be linked");
            }
            return System.nanoTime();
        };
        PartitionLeases leases = new PartitionLeases(server.client(), NAMESPACE, "meshfleet.install-plans",
                "installer-c", LeaseTiming.DEFAULT, nanos, Clock.systemUTC());
        try {
            leases.want(1, 5);
            leases.want(2, 5);
            assertThatCode(leases::tick).as("a round ends whatever one lease's attempt throws")
                    .doesNotThrowAnyException();
            assertThat(leases.held()).isZero();

            failing.set(false);
            leases.tick();
            await().atMost(Duration.ofSeconds(10)).until(() -> leases.held() == 2);
            assertThat(leases.holds(1) && leases.holds(2)).isTrue();
        } finally {
            leases.close();
        }
    }
}
