package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;

/** Health read from each owned cluster's workload watch: what it saves, what it sees, and when it is not trusted. */
@SuppressWarnings("unchecked")
class WorkloadWatchIT {
    private static MockApiServer server;
    private static WorkloadSimulator simulator;

    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();
    private final Ownership ownership = new Ownership();
    private final Map<String, Integer> watchedChanges = new ConcurrentHashMap<>();
    private final WorkloadWatches watches = new WorkloadWatches(c -> watchedChanges.merge(c, 1, Integer::sum));
    private final ClusterReconciler reconciler = new ClusterReconciler(ownership,
            cluster -> Optional.of(server.client(cluster)), watches, new ChartRenderer(Path.of("..", "charts")),
            (key, event) -> events.add(event), Clock.systemUTC(), new ClusterReconciler.Settings("r1", "meshfleet",
                    Duration.ofMillis(100), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true));

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.of("w1", List.of(), "w2", List.of(), "w3", List.of(),
                "w4", List.of()), Duration.ofMillis(50));
    }

    @AfterEach
    void stopWatches() {
        watches.close();
    }

    @AfterAll
    static void stopServer() {
        simulator.close();
        server.close();
    }

    @Test
    void aHealthCheckOfAHealthyClusterSendsItNoRequest() {
        installed("w1", 0);
        Map<String, Long> before = server.requestCounts().of("w1");

        events.clear();
        for (int i = 0; i < 3; i++) {
            reconciler.reconcile("w1", Trigger.CHECK);
        }

        assertThat(server.requestCounts().of("w1")).as("requests to the cluster during three health checks")
                .isEqualTo(before);
        assertThat(events).as("nothing changed, nothing emitted").isEmpty();
        assertThat(reconciler.watchedReads()).isPositive();
    }

    @Test
    void aWorkloadLosingItsReadyReplicasWakesItsClusterAndIsUnhealthyWithoutARead() {
        installed("w2", 1);
        int changesBefore = watchedChanges.getOrDefault("w2", 0);
        long getsBefore = server.requestCounts().count("w2", "get", "deployments");

        simulator.setFaults("w2", List.of(new Fault.CrashAfterReady()));
        await().atMost(Duration.ofSeconds(10)).until(() -> watchedChanges.getOrDefault("w2", 0) > changesBefore);
        events.clear();
        reconciler.reconcile("w2", Trigger.POLL);

        assertThat(events).extracting(InstallationEvent::getState).containsExactly("UNHEALTHY");
        assertThat(events.get(0).getMessage()).contains("Deployment istio-system/istiod-1-24", "replicas ready 0/1");
        assertThat(server.requestCounts().count("w2", "get", "deployments")).isEqualTo(getsBefore);
        simulator.setFaults("w2", List.of());
    }

    @Test
    void aClusterWhoseApiServerWentDownIsUnknownThoughItsWatchHadItHealthy() {
        installed("w3", 2);

        simulator.setFaults("w3", List.of(new Fault.Unreachable()));
        try {
            events.clear();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                reconciler.reconcile("w3", Trigger.CHECK);
                return !events.isEmpty();
            });
            assertThat(events).extracting(InstallationEvent::getState).containsExactly("UNKNOWN");
        } finally {
            simulator.setFaults("w3", List.of());
        }
    }

    @Test
    void aMovedEastWestAddressWakesItsClusterThroughTheGatewayWatchAndIsAnEventOfItsOwnWithoutARead() {
        // A peered controller's peering installation (ADR 0046), as the translator plans it.
        ownership.assigned(3, 1);
        ownership.desired("w4", 3, List.of(new Plan(Fixtures.SMC, 1, "peering", "1.28.1-patch0-solo",
                List.of(new ChartSpec("peering-gateways", "peering-gateways", "istio-eastwest", "{\"cluster\":\"w4\"}")),
                "peering", false, Duration.ofMinutes(1), "{}", "hash-peering")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile("w4", Trigger.POLL);
            return events.stream().anyMatch(e -> e.getCluster().equals("w4") && e.getState().equals("HEALTHY"));
        });
        String before = eastWestAddress("w4");
        assertThat(events.get(events.size() - 1).getFacts()).containsEntry("eastwest.address", before);
        long watched = reconciler.watchedReads();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            reconciler.reconcile("w4", Trigger.CHECK);
            return reconciler.watchedReads() > watched;
        });
        int changesBefore = watchedChanges.getOrDefault("w4", 0);
        long getsBefore = server.requestCounts().count("w4", "get", "gateways");

        events.clear();
        simulator.setFaults("w4", List.of(new Fault.EastWestAddressChange()));
        await().atMost(Duration.ofSeconds(10)).until(() -> watchedChanges.getOrDefault("w4", 0) > changesBefore);
        reconciler.reconcile("w4", Trigger.POLL); // what the service does on the watch's word: no resync

        assertThat(server.requestCounts().count("w4", "get", "gateways")).as("read from the watch").isEqualTo(getsBefore);
        String moved = eastWestAddress("w4"); // a GET of the test's own, after the count
        assertThat(moved).isNotEqualTo(before);
        assertThat(events).as("the state stays HEALTHY; the new address alone is news")
                .extracting(e -> e.getState() + " " + e.getFacts().get("eastwest.address"))
                .containsExactly("HEALTHY " + moved);

        events.clear();
        reconciler.reconcile("w4", Trigger.CHECK);
        assertThat(events).as("the same address again: nothing new").isEmpty();
    }

    /** The east-west Gateway's address as the cluster holds it (the simulator's Istio wrote it). */
    private static String eastWestAddress(String cluster) {
        var gateway = server.client(cluster).genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base
                .ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io").withVersion("v1")
                .withKind("Gateway").withPlural("gateways").withNamespaced(true).build())
                .inNamespace("istio-eastwest").withName("istio-eastwest").get();
        return ((List<Map<String, Object>>) ((Map<String, Object>) gateway.getAdditionalProperties().get("status"))
                .get("addresses")).get(0).get("value").toString();
    }

    /** The seed's control plane HEALTHY in {@code cluster}, and the cluster's watch synced. */
    private void installed(String cluster, int partition) {
        ownership.assigned(partition, 1);
        ownership.desired(cluster, partition, List.of(new Plan(Fixtures.ILM, 2, "1-24", "1.24.2",
                List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                        new ChartSpec("istiod", "istiod-1-24", "istio-system", "{\"revision\":\"1-24\"}")),
                "1-24", false, Duration.ofMinutes(1), "{}", "hash-1-24")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile(cluster, Trigger.POLL);
            return events.stream().anyMatch(e -> e.getCluster().equals(cluster) && e.getState().equals("HEALTHY"));
        });
        long watched = reconciler.watchedReads();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            reconciler.reconcile(cluster, Trigger.CHECK);
            return reconciler.watchedReads() > watched;
        });
    }
}
