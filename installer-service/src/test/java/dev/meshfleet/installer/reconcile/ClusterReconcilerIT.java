package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.work.Backoff;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;

/** The reconciler alone (no Kafka) against the mock API server: epochs, re-emission, backoff. */
class ClusterReconcilerIT {
    private static MockApiServer server;
    private static WorkloadSimulator simulator;

    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();
    private final Ownership ownership = new Ownership();
    private final ClusterReconciler reconciler = new ClusterReconciler(ownership,
            cluster -> Optional.of(server.client(cluster)), new ChartRenderer(Path.of("..", "charts")),
            (key, event) -> events.add(event), Clock.systemUTC(), new ClusterReconciler.Settings("r1", "meshfleet",
                    Duration.ofMillis(100), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true));

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.of("c1", List.of(), "c2", List.of(new Fault.Unreachable()),
                "c3", List.of()), Duration.ofMillis(100));
    }

    @AfterAll
    static void stopServer() {
        simulator.close();
        server.close();
    }

    @Test
    void eventsCarryTheOwningEpochAndStopOnceThePartitionIsRevoked() {
        ownership.assigned(0, 5);
        ownership.desired("c1", 0, List.of(plan("1-24")));
        untilHealthy("c1");
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getSourceEpoch()).isEqualTo(5);
            assertThat(e.getSource()).isEqualTo("installer/r1");
        });
        assertThat(events).extracting(InstallationEvent::getSequence).isSorted().doesNotHaveDuplicates();

        ownership.revoked(0);
        events.clear();
        assertThat(reconciler.reconcile("c1", Trigger.RESYNC)).isNull();
        assertThat(events).as("a replica that lost the partition emits nothing for its clusters").isEmpty();
    }

    @Test
    void aResyncReEmitsTheCurrentStateOnceAndAPollEmitsNothingWhenNothingChanged() {
        ownership.assigned(1, 7);
        ownership.desired("c3", 1, List.of(plan("1-25")));
        untilHealthy("c3");

        events.clear();
        reconciler.reconcile("c3", Trigger.POLL);
        assertThat(events).isEmpty();

        reconciler.reconcile("c3", Trigger.RESYNC);
        assertThat(events).extracting(InstallationEvent::getState).containsExactly("HEALTHY");
    }

    @Test
    void anUnreachableClusterIsRetriedWithDoublingBackoffAndReportedUnknownOnce() {
        ownership.assigned(2, 1);
        ownership.desired("c2", 2, List.of(plan("1-24")));
        assertThat(reconciler.reconcile("c2", Trigger.CHANGE)).isEqualTo(Duration.ofMillis(200));
        assertThat(reconciler.reconcile("c2", Trigger.POLL)).isEqualTo(Duration.ofMillis(400));
        assertThat(reconciler.reconcile("c2", Trigger.POLL)).isEqualTo(Duration.ofMillis(800));
        assertThat(events).extracting(InstallationEvent::getState).containsExactly("UNKNOWN");
        assertThat(reconciler.clustersByState()).containsEntry(ClusterReconciler.ClusterState.UNREACHABLE, 1L);
    }

    private void untilHealthy(String cluster) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile(cluster, Trigger.POLL);
            return events.stream().anyMatch(e -> e.getCluster().equals(cluster) && e.getState().equals("HEALTHY"));
        });
    }

    private static Plan plan(String revision) {
        return new Plan(Fixtures.ILM, 2, revision, "1.24.2",
                List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                        new ChartSpec("istiod", "istiod-" + revision, "istio-system",
                                "{\"revision\":\"" + revision + "\"}")),
                revision, false, Duration.ofMinutes(1), "{}", "hash-" + revision);
    }
}
