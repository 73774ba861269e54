package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;

/**
 * What a resync of a HEALTHY cluster with nothing changing costs the installer, in CPU of the
 * reconciling thread (the installer's own work: render from cache, label, list, apply, compare,
 * health; not the HTTP I/O on the event loop nor the mock API server's side), with and without
 * drift repair. The figures, times clusters over the resync period, are the installer's steady
 * state (README, At fleet size).
 */
class SteadyStateCostIT {
    private static final int CLUSTERS = 20;
    private static final int ROUNDS = 5;
    private static MockApiServer server;
    private static WorkloadSimulator simulator;
    private static final List<String> NAMES = IntStream.rangeClosed(1, CLUSTERS).mapToObj(i -> "s" + i).toList();

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        Map<String, List<Fault>> clusters = new HashMap<>();
        NAMES.forEach(n -> clusters.put(n, List.of()));
        simulator = WorkloadSimulator.start(server, clusters, Duration.ofMillis(0));
    }

    @AfterAll
    static void stopServer() {
        simulator.close();
        server.close();
    }

    @Test
    void aDriftRepairReEmitsEveryHealthyInstallationAndAHealthCheckInBetweenEmitsNothingWhenNothingChanged() {
        long withRepair = cpuMicrosPerResync(true, Trigger.RESYNC, CLUSTERS * ROUNDS);
        long withoutRepair = cpuMicrosPerResync(false, Trigger.RESYNC, CLUSTERS * ROUNDS);
        long check = cpuMicrosPerResync(true, Trigger.CHECK, 0);
        // Figures for the README's "At fleet size", not a timed assertion: the machine is shared.
        System.out.printf("SteadyStateCostIT: CPU per resync of a HEALTHY cluster (2 releases, ILM): %d us with"
                + " drift repair, %d us with repair-drift=false, %d us for a health check between drift repairs%n",
                withRepair, withoutRepair, check);
    }

    private long cpuMicrosPerResync(boolean repairDrift, Trigger trigger, int expectedEvents) {
        try (WorkloadWatches watches = new WorkloadWatches(c -> { })) {
            return cpuMicrosPerResync(repairDrift, trigger, expectedEvents, watches);
        }
    }

    private long cpuMicrosPerResync(boolean repairDrift, Trigger trigger, int expectedEvents, WorkloadWatches watches) {
        List<InstallationEvent> events = new CopyOnWriteArrayList<>();
        Ownership ownership = new Ownership();
        ClusterReconciler reconciler = new ClusterReconciler(ownership, c -> Optional.of(server.client(c)), watches,
                new ChartRenderer(Path.of("..", "charts")), (key, event) -> events.add(event), Clock.systemUTC(),
                new ClusterReconciler.Settings("r1", "meshfleet", Duration.ofMillis(100),
                        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), repairDrift));
        ownership.assigned(0, 1);
        NAMES.forEach(c -> ownership.desired(c, 0, List.of(plan())));
        for (String c : NAMES) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                reconciler.reconcile(c, Trigger.CHANGE);
                return events.stream().anyMatch(e -> e.getCluster().equals(c) && e.getState().equals("HEALTHY"));
            });
        }
        NAMES.forEach(c -> reconciler.reconcile(c, trigger));
        events.clear();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        for (int round = 0; round < ROUNDS; round++) {
            NAMES.forEach(c -> reconciler.reconcile(c, trigger));
        }
        long cpu = threads.getCurrentThreadCpuTime() - before;
        if (expectedEvents == 0) {
            assertThat(events).as("a health check with nothing changed emits nothing").isEmpty();
        } else {
            assertThat(events).as("one re-emission per cluster and round, nothing drifted").hasSize(expectedEvents)
                    .allMatch(e -> e.getState().equals("HEALTHY"));
        }
        return cpu / 1000 / (CLUSTERS * ROUNDS);
    }

    private static Plan plan() {
        return new Plan(Fixtures.ILM, 2, "1-24", "1.24.2",
                List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                        new ChartSpec("istiod", "istiod-1-24", "istio-system", "{\"revision\":\"1-24\"}")),
                "1-24", false, Duration.ofMinutes(1), "{}", "hash-1-24");
    }
}
