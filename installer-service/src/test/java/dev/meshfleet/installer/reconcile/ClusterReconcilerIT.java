package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.testkit.ServiceSelectionLog;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The reconciler alone (no Kafka) against the mock API server: epochs, re-emission, backoff. */
class ClusterReconcilerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MockApiServer server;
    private static WorkloadSimulator simulator;

    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();
    private final Ownership ownership = new Ownership();
    /** The clusters' workload watches, as the service has them; a change they deliver is counted per cluster. */
    private final Map<String, Integer> watchedChanges = new java.util.concurrent.ConcurrentHashMap<>();
    private final WorkloadWatches watches = new WorkloadWatches(c -> watchedChanges.merge(c, 1, Integer::sum));
    private final ClusterReconciler reconciler = new ClusterReconciler(ownership,
            cluster -> Optional.of(server.client(cluster)), watches, new ChartRenderer(Path.of("..", "charts"),
                    ChartRenderer.DEFAULT_MAX_ENTRIES, dev.meshfleet.schemas.charts.ChartSourceAllowList.of(
                            ChartRenderer.ALLOWED_SETTING, List.of(Path.of("..", "charts").toAbsolutePath().normalize().toString(),
                                    "http://127.0.0.1:1/charts")),
                    Optional::empty),
            (key, event) -> events.add(event), Clock.systemUTC(), new ClusterReconciler.Settings("r1", "meshfleet",
                    Duration.ofMillis(100), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true));

    @BeforeAll
    static void startServer() {
        AvroTrust.install();
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, Map.ofEntries(Map.entry("c1", List.of()),
                Map.entry("c2", List.of(new Fault.Unreachable())), Map.entry("c3", List.of()), Map.entry("c4", List.of()),
                Map.entry("c5", List.of()), Map.entry("c6", List.of(new Fault.NeverReady())), Map.entry("c7", List.of()),
                Map.entry("c8", List.of()), Map.entry("c9", List.of()), Map.entry("c10", List.of()),
                Map.entry("c11", List.of()), Map.entry("c12", List.of(new Fault.Forbidden("get", "configmaps"))),
                Map.entry("c13", List.of()), Map.entry("c14", List.of()), Map.entry("c15", List.of()),
                Map.entry("c16", List.of()), Map.entry("c17", List.of()), Map.entry("c18", List.of()),
                Map.entry("c19", List.of()), Map.entry("c20", List.of()), Map.entry("c21", List.of()),
                Map.entry("c22", List.of())),
                Duration.ofMillis(100));
        // Enough nodes that a DaemonSet's rollout (one node per 100ms) is seen half done.
        simulator.setNodes(10);
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

    @Test
    void aDeletedManagedDeploymentIsRecreatedAtTheResyncAndReportedReconcilingUntilItIsReadyAgain() {
        ownership.assigned(3, 1);
        ownership.desired("c4", 3, List.of(plan("1-24")));
        untilHealthy("c4");
        KubernetesClient c4 = server.client("c4");
        c4.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment(c4, "istio-system", "istiod-1-24") == null);

        // Hold the recreated Deployment unready until the test has seen the repair in progress.
        simulator.setFaults("c4", List.of(new Fault.NeverReady()));
        events.clear();
        reconciler.reconcile("c4", Trigger.RESYNC);
        assertThat(states("c4")).containsExactly("RECONCILING_CONTROL_PLANE");
        assertThat(events.get(0).getMessage())
                .isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was deleted");
        assertThat(deployment(c4, "istio-system", "istiod-1-24")).isNotNull();
        reconciler.reconcile("c4", Trigger.POLL);
        assertThat(states("c4")).as("still repairing, not installing").containsExactly("RECONCILING_CONTROL_PLANE");

        simulator.setFaults("c4", List.of());
        untilHealthy("c4");
        assertThat(states("c4")).as("a repair is not an install: RECONCILING until ready, then HEALTHY")
                .containsExactly("RECONCILING_CONTROL_PLANE", "HEALTHY");

        events.clear();
        reconciler.reconcile("c4", Trigger.RESYNC);
        assertThat(states("c4")).as("nothing drifted: the resync's applies wrote nothing").containsExactly("HEALTHY");
    }

    @Test
    void aManagedFieldEditedByAnotherManagerIsPutBackAtTheResync() {
        ownership.assigned(4, 1);
        ownership.desired("c5", 4, List.of(plan("1-24")));
        untilHealthy("c5");
        KubernetesClient c5 = server.client("c5");
        String image = image(deployment(c5, "istio-system", "istiod-1-24"));
        c5.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example/pilot:hacked");
            d.getMetadata().getLabels().put("meshfleet.dev/revision", "tampered");
            return d;
        });

        events.clear();
        reconciler.reconcile("c5", Trigger.RESYNC);
        assertThat(states("c5")).containsExactly("RECONCILING_CONTROL_PLANE");
        assertThat(events.get(0).getMessage())
                .isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was changed");
        Deployment repaired = deployment(c5, "istio-system", "istiod-1-24");
        assertThat(image(repaired)).isEqualTo(image);
        assertThat(repaired.getMetadata().getLabels()).containsEntry("meshfleet.dev/revision", "1-24");
        untilHealthy("c5");
    }

    @Test
    void aRepairOfWhatThisReplicaRepairedBeforeAndNobodyTouchedWritesNothingAndAnEditAfterItIsStillPutBack() {
        ownership.assigned(14, 1);
        ownership.desired("c15", 14, List.of(plan("1-24")));
        untilHealthy("c15");
        reconciler.reconcile("c15", Trigger.RESYNC);
        long writesBefore = writesTo("c15");

        events.clear();
        reconciler.reconcile("c15", Trigger.RESYNC);
        assertThat(states("c15")).containsExactly("HEALTHY");
        assertThat(writesTo("c15") - writesBefore).as("nothing drifted since the last repair: nothing applied again")
                .isZero();

        KubernetesClient c15 = server.client("c15");
        String image = image(deployment(c15, "istio-system", "istiod-1-24"));
        c15.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example/pilot:hacked");
            return d;
        });
        events.clear();
        reconciler.reconcile("c15", Trigger.RESYNC);
        assertThat(events.get(0).getMessage())
                .isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was changed");
        assertThat(image(deployment(c15, "istio-system", "istiod-1-24"))).isEqualTo(image);
        untilHealthy("c15");
    }

    @Test
    void aResyncAfterTheInstallWritesNothingThoughTheWorkloadsStatusesWereWrittenSince() {
        ownership.assigned(20, 1);
        ownership.desired("c21", 20, List.of(plan("1-24")));
        untilHealthy("c21");
        long writesBefore = writesTo("c21");

        events.clear();
        reconciler.reconcile("c21", Trigger.RESYNC);

        assertThat(states("c21")).containsExactly("HEALTHY");
        assertThat(writesTo("c21") - writesBefore)
                .as("the simulator wrote the Deployments' status since the apply: that is not drift").isZero();
    }

    @Test
    void aChangedPlanWritesOnlyTheObjectsWhoseContentChangedAndItsInventoryOnce() {
        ownership.assigned(21, 1);
        ownership.desired("c22", 21, List.of(plan("1-24")));
        untilHealthy("c22");
        int mark = server.writeLog().writes().size();

        events.clear();
        Plan base = plan("1-24");
        Plan changed = new Plan(base.owner(), 3, "1-24", "1.24.2", List.of(base.charts().get(0),
                new ChartSpec("istiod", "istiod-1-24", "istio-system",
                        "{\"revision\":\"1-24\",\"meshConfig\":{\"accessLogFile\":\"/dev/stdout\"}}")),
                "1-24", false, Duration.ofMinutes(1), "{}", "hash-1-24-env");
        ownership.desired("c22", 21, List.of(changed));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            reconciler.reconcile("c22", Trigger.POLL);
            return events.stream().anyMatch(e -> e.getPlanHash().equals("hash-1-24-env")
                    && e.getState().equals("HEALTHY"));
        });

        List<String> writes = server.writeLog().writes().subList(mark, server.writeLog().writes().size()).stream()
                .filter(w -> w.cluster().equals("c22")).map(w -> w.method() + " " + w.path().replaceFirst("\\?.*", ""))
                .toList();
        // The mesh config is istiod's ConfigMap alone: nothing rolls, the installation is ready at once, and the
        // inventory records that in its one write. Nothing of the base chart, no namespace, no Deployment.
        assertThat(writes).hasSize(2).first().isEqualTo("PATCH /api/v1/namespaces/istio-system/configmaps/istio-1-24");
        assertThat(writes.get(1)).startsWith("PATCH /api/v1/namespaces/meshfleet-system/configmaps/inventory-");
        assertThat(server.client("c22").configMaps().inNamespace("istio-system").withName("istio-1-24").get()
                .getData().get("mesh")).contains("accessLogFile: /dev/stdout");
    }

    @Test
    void healthChecksBetweenResyncsReadNoInventoryAndAResyncReadsThemAndSeesOneDeletedByHand() {
        ownership.assigned(17, 1);
        ownership.desired("c18", 17, List.of(plan("1-24")));
        untilHealthy("c18");
        long listsBefore = server.requestCounts().count("c18", "list", "configmaps");

        events.clear();
        reconciler.reconcile("c18", Trigger.CHECK);
        reconciler.reconcile("c18", Trigger.CHECK);
        assertThat(states("c18")).as("a health check of a HEALTHY installation emits only changes").isEmpty();
        assertThat(server.requestCounts().count("c18", "list", "configmaps") - listsBefore)
                .as("the inventories this replica wrote are known to it until the next resync").isZero();

        server.client("c18").configMaps().inNamespace("meshfleet-system").withLabel("meshfleet.dev/inventory", "true")
                .delete();
        reconciler.reconcile("c18", Trigger.RESYNC);
        assertThat(server.requestCounts().count("c18", "list", "configmaps") - listsBefore).isEqualTo(1);
        assertThat(server.client("c18").configMaps().inNamespace("meshfleet-system")
                .withLabel("meshfleet.dev/inventory", "true").list().getItems())
                .as("the resync found no inventory and applied the installation again, recording it").hasSize(1);
        untilHealthy("c18");
    }

    private static long writesTo(String cluster) {
        return server.writeLog().writes().stream().filter(w -> w.cluster().equals(cluster)).count();
    }

    @Test
    void afterARestartAnInstallationThatHadBeenReadyAndIsNotIsUnhealthyAndHealthyAgainOnRecovery() {
        ownership.assigned(5, 1);
        ownership.desired("c8", 5, List.of(plan("1-24")));
        untilHealthy("c8");
        assertThat(server.client("c8").configMaps().inNamespace("meshfleet-system").list().getItems())
                .anySatisfy(cm -> assertThat(cm.getData()).containsKey("readySince").containsKey("appliedAt"));

        ClusterReconciler restarted = reconciler(Clock.systemUTC());
        writeReadinessAndAwaitWatch("c8", "istio-system", "istiod-1-24", false);
        events.clear();
        restarted.reconcile("c8", Trigger.RESYNC);
        assertThat(states("c8")).containsExactly("UNHEALTHY");
        assertThat(events.get(0).getMessage()).contains("Deployment istio-system/istiod-1-24", "replicas ready 0/1");

        writeReadinessAndAwaitWatch("c8", "istio-system", "istiod-1-24", true);
        restarted.reconcile("c8", Trigger.POLL);
        assertThat(states("c8")).containsExactly("UNHEALTHY", "HEALTHY");
    }

    @Test
    void aReplicaTakingAClusterReEmitsItsStateFromItsInventoryAndHealthWithoutOneWriteAndTheDriftRepairReApplies() {
        ownership.assigned(18, 1);
        ownership.desired("c19", 18, List.of(plan("1-24")));
        untilHealthy("c19");

        ClusterReconciler restarted = reconciler(Clock.systemUTC());
        events.clear();
        long before = writesTo("c19");
        restarted.reconcile("c19", Trigger.RESUME);
        assertThat(states("c19")).as("re-emitted on assignment").containsExactly("HEALTHY");
        assertThat(writesTo("c19")).as("writes to the cluster on assignment").isEqualTo(before);

        restarted.reconcile("c19", Trigger.RESYNC);
        assertThat(writesTo("c19")).as("the periodic drift repair re-applies the installation").isGreaterThan(before);
        assertThat(states("c19")).containsExactly("HEALTHY", "HEALTHY");
    }

    @Test
    void afterARestartAnInstallationNeverReadyIsInstallingTimedFromItsApplyThenFailsNamingWhatIsNotReady() {
        ownership.assigned(6, 1);
        ownership.desired("c6", 6, List.of(plan("1-24")));
        Instant applied = Instant.parse("2026-01-01T00:00:00Z");
        TestClock before = new TestClock(applied);
        reconciler(before).reconcile("c6", Trigger.CHANGE);
        assertThat(states("c6")).containsExactly("INSTALLING_CONTROLLER", "INSTALLING_CONTROL_PLANE");

        events.clear();
        TestClock after = new TestClock(applied.plusSeconds(30));
        ClusterReconciler restarted = reconciler(after);
        restarted.reconcile("c6", Trigger.RESYNC);
        assertThat(states("c6")).as("never ready: still installing, not broken").containsExactly(
                "INSTALLING_CONTROL_PLANE");

        after.set(applied.plus(Duration.ofMinutes(1)).plusSeconds(1));
        restarted.reconcile("c6", Trigger.POLL);
        assertThat(states("c6")).as("the timeout runs from the apply, not from the restart")
                .containsExactly("INSTALLING_CONTROL_PLANE", "CONTROL_PLANE_INSTALL_FAILED");
        assertThat(events.get(1).getMessage()).contains("not ready within 60s", "Deployment istio-system/istiod-1-24",
                "replicas ready 0/1");
    }

    @Test
    void anUnreachableClusterIsUnknownAndHealthyAgainOnceItAnswers() {
        ownership.assigned(7, 1);
        ownership.desired("c9", 7, List.of(plan("1-24")));
        untilHealthy("c9");
        simulator.setFaults("c9", List.of(new Fault.Unreachable()));
        events.clear();
        reconciler.reconcile("c9", Trigger.RESYNC);
        simulator.setFaults("c9", List.of());
        reconciler.reconcile("c9", Trigger.POLL);
        assertThat(states("c9")).containsExactly("UNKNOWN", "HEALTHY");
    }

    @Test
    void movingTheActiveGatewayMovesTheServiceWithoutAMomentWhereItIsAbsentOrSelectsNoDeployment() throws Exception {
        ownership.assigned(8, 1);
        ServiceSelectionLog log = ServiceSelectionLog.start(server.store("c7"), "istio-ingress", Set.of());
        Plan controlPlane = plan("1-24");
        ownership.desired("c7", 8, List.of(controlPlane, gateway("1-24", true, "a"), gateway("1-25", false, "a")));
        untilHealthy("c7");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            reconciler.reconcile("c7", Trigger.POLL);
            return states("c7").stream().filter("HEALTHY"::equals).count() == 3;
        });
        KubernetesClient c7 = server.client("c7");
        assertThat(c7.services().inNamespace("istio-ingress").withName("istio-ingressgateway").get().getSpec()
                .getSelector()).containsEntry("meshfleet.dev/gateway-revision", "1-24");
        int installed = log.size();

        // The 1-24 plan (giving the Service up) comes first in the desired state.
        ownership.desired("c7", 8, List.of(controlPlane, gateway("1-24", false, "b"), gateway("1-25", true, "b")));
        reconciler.reconcile("c7", Trigger.CHANGE);

        assertThat(c7.services().inNamespace("istio-ingress").withName("istio-ingressgateway").get().getSpec()
                .getSelector()).containsEntry("meshfleet.dev/gateway-revision", "1-25");
        assertThat(deployment(c7, "istio-ingress", "istio-ingressgateway-1-24")).as("an inactive revision keeps its Deployment")
                .isNotNull();
        log.close();
        assertThat(log.size()).isGreaterThan(installed);
        // Replay every change; from the switch on, check each state of the Service against the Deployments then.
        assertThat(log.serviceWrittenBefore(installed)).isTrue();
        assertThat(log.violations(installed)).as("the gateway Service is never deleted and always selects a revision"
                + " whose Deployment exists").isEmpty();
    }

    @Test
    void aChartSourceThatCannotBeReadFailsTheControlPlaneNamingTheFieldAndTheSourceAndAppliesNothing() {
        assertThat(controlPlaneFailureFrom("c10", "http://127.0.0.1:1/charts"))
                .contains("spec.helmGlobal.repo", "'http://127.0.0.1:1/charts'", "index.yaml");
    }

    @Test
    void aChartSourceOffTheInstallersAllowListFailsTheControlPlaneNamingTheFieldAndTheRuleAndAppliesNothing() {
        assertThat(controlPlaneFailureFrom("c10b", "http://127.0.0.1:1/charts-elsewhere"))
                .contains("spec.helmGlobal.repo", "'http://127.0.0.1:1/charts-elsewhere' is not on the allow-list"
                        + " meshfleet.installer.allowed-chart-sources", "nothing was fetched");
    }

    /** Reconciles a control plane whose charts come from {@code source}: it fails and nothing is applied; its message. */
    private String controlPlaneFailureFrom(String cluster, String source) {
        ownership.assigned(9, 1);
        Plan p = plan("1-24");
        List<ChartSpec> charts = p.charts().stream().map(c -> new ChartSpec(c.chart(), c.releaseName(),
                c.namespace(), c.valuesJson(), source, "1.24.2")).toList();
        ownership.desired(cluster, 9, List.of(new Plan(p.owner(), p.generation(), p.revision(), p.tag(), charts,
                p.controlPlaneRevision(), false, p.waitTimeout(), p.observedOperatorJson(), "hash-" + source)));

        reconciler.reconcile(cluster, Trigger.CHANGE);

        assertThat(states(cluster)).containsExactly("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(server.client(cluster).apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
        return events.stream().filter(e -> e.getCluster().equals(cluster)).findFirst().orElseThrow().getMessage();
    }

    @Test
    void aRefusedDeleteIsActionRequiredNamingTheObjectAndTheApiMessageWithoutBackoffNotUnknown() {
        ownership.assigned(10, 1);
        ownership.desired("c11", 10, List.of(plan("1-24")));
        untilHealthy("c11");
        simulator.setFaults("c11", List.of(new Fault.Forbidden("delete", "deployments")));
        events.clear();

        ownership.desired("c11", 10, List.of());
        Duration next = reconciler.reconcile("c11", Trigger.CHANGE);

        assertThat(states("c11")).containsExactly("UNINSTALLING_CONTROL_PLANE", "ACTION_REQUIRED");
        assertThat(events.get(1).getMessage()).startsWith(
                "deleting Deployment istio-system/istiod-1-24 was refused: HTTP 403: ")
                .contains("cannot delete resource \"deployments\"").endsWith("; retried at the next resync");
        assertThat(next).as("a refusal is final until the next resync: no backoff").isNull();
        assertThat(reconciler.clustersByState()).doesNotContainKey(ClusterReconciler.ClusterState.UNREACHABLE);
        assertThat(deployment(server.client("c11"), "istio-system", "istiod-1-24")).isNotNull();

        simulator.setFaults("c11", List.of());
        reconciler.reconcile("c11", Trigger.RESYNC);
        assertThat(states("c11")).as("once allowed, the resync uninstalls").endsWith("UNINSTALLED_CONTROL_PLANE");
    }

    @Test
    void aRefusedReadOfTheInventoriesFailsEveryInstallationNamingWhatWasRefusedNotUnknown() {
        ownership.assigned(11, 1);
        ownership.desired("c12", 11, List.of(plan("1-24")));

        Duration next = reconciler.reconcile("c12", Trigger.CHANGE);

        assertThat(states("c12")).containsExactly("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(events.stream().filter(e -> e.getCluster().equals("c12")).findFirst().orElseThrow().getMessage())
                .startsWith("listing the inventories (ConfigMaps in meshfleet-system) was refused: HTTP 403: ")
                .contains("cannot get resource \"configmaps\"");
        assertThat(next).isNull();
        assertThat(reconciler.reconcile("c12", Trigger.POLL)).as("no backoff on a refusal").isNull();
    }

    @Test
    void aBugOfTheInstallerIsReportedAsAnInternalErrorNotAsAnUnreachableCluster() {
        ownership.assigned(12, 1);
        ownership.desired("c13", 12, List.of(plan("1-24")));
        ClusterReconciler buggy = new ClusterReconciler(ownership, cluster -> Optional.of(server.client(cluster)), watches,
                new ChartRenderer(Path.of("..", "charts")) {
                    @Override
                    public List<io.fabric8.kubernetes.api.model.HasMetadata> render(ChartSpec release) {
                        throw new IllegalStateException("a bug in render");
                    }
                }, (key, event) -> events.add(event), Clock.systemUTC(), new ClusterReconciler.Settings("r3",
                        "meshfleet", Duration.ofMillis(100), new Backoff(Duration.ofMillis(200),
                                Duration.ofSeconds(2)), true));

        Duration next = buggy.reconcile("c13", Trigger.CHANGE);

        assertThat(states("c13")).containsExactly("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(events.stream().filter(e -> e.getCluster().equals("c13")).findFirst().orElseThrow().getMessage())
                .isEqualTo("internal error in the installer: IllegalStateException: a bug in render; see the"
                        + " installer log");
        assertThat(next).isNull();
        assertThat(buggy.clustersByState()).containsEntry(ClusterReconciler.ClusterState.FAILED, 1L);
    }

    @Test
    void anInPlaceAmbientUpgradeIsNotHealthyBeforeIstioCniAndZtunnelRolledOnEveryNode() {
        ownership.assigned(13, 1);
        ownership.desired("c14", 13, List.of(ambient("1.24.2")));
        untilHealthy("c14");
        KubernetesClient c14 = server.client("c14");
        long before = c14.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getMetadata()
                .getGeneration();
        events.clear();

        ownership.desired("c14", 13, List.of(ambient("1.24.3")));
        reconciler.reconcile("c14", Trigger.CHANGE);
        // istiod rolled, ztunnel half way: the old pods still serve on the nodes not rolled yet.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
            Deployment istiod = deployment(c14, "istio-system", "istiod-1-24");
            var ztunnel = c14.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getStatus();
            return istiod.getStatus() != null && istiod.getStatus().getObservedGeneration() != null
                    && istiod.getStatus().getObservedGeneration().equals(istiod.getMetadata().getGeneration())
                    && Integer.valueOf(1).equals(istiod.getStatus().getAvailableReplicas())
                    && ztunnel.getObservedGeneration() > before && ztunnel.getUpdatedNumberScheduled() >= 1;
        });
        simulator.setFaults("c14", List.of(new Fault.NeverReady()));
        var frozen = c14.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getStatus();
        assertThat(frozen.getNumberReady()).as("every node has a ready ztunnel pod, old or new").isEqualTo(10);
        assertThat(frozen.getUpdatedNumberScheduled()).as("the rollout is frozen half done").isLessThan(10);

        reconciler.reconcile("c14", Trigger.POLL);

        assertThat(states("c14")).as("ready pods of the old version are not a finished upgrade")
                .containsExactly("UPDATING_CONTROL_PLANE");
        simulator.setFaults("c14", List.of());
        untilHealthy("c14");
        assertThat(c14.apps().daemonSets().inNamespace("istio-system").withName("istio-cni-node").get().getStatus()
                .getUpdatedNumberScheduled()).isEqualTo(10);
        assertThat(c14.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getStatus()
                .getUpdatedNumberScheduled()).isEqualTo(10);
    }

    @Test
    void seed004sOverlaysReachTheAppliedIstiodWhichEndsHealthyAndADriftRepairKeepsThem() {
        ownership.assigned(15, 1);
        ownership.desired("c16", 15, List.of(withIstiodOverlays(plan("1-24"), EXTERNAL_ISTIOD_OVERLAYS)));
        untilHealthy("c16");
        KubernetesClient c16 = server.client("c16");
        assertThat(volumes(deployment(c16, "istio-system", "istiod-1-24")))
                .containsExactly("local-certs:", "config-volume:istio", "inject-volume:istio-sidecar-injector");
        assertThat(deployment(c16, "istio-system", "istiod-1-24").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getVolumeMounts()).extracting(m -> m.getName() + "@" + m.getMountPath())
                .containsExactly("local-certs@/var/run/secrets/istio-dns", "config-volume@/etc/istio/config",
                        "inject-volume@/var/lib/istio/inject");

        c16.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example/pilot:hacked");
            return d;
        });
        events.clear();
        reconciler.reconcile("c16", Trigger.RESYNC);

        assertThat(events.get(0).getMessage()).isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was changed");
        assertThat(volumes(deployment(c16, "istio-system", "istiod-1-24"))).as("the repair applies the overlaid objects")
                .containsExactly("local-certs:", "config-volume:istio", "inject-volume:istio-sidecar-injector");
        untilHealthy("c16");
    }

    @Test
    void anOverlayWhosePathMatchesNothingFailsTheControlPlaneNamingTheOverlayAndAppliesNothing() {
        ownership.assigned(16, 1);
        ownership.desired("c17", 16, List.of(withIstiodOverlays(plan("1-24"), "[{\"field\":\"spec.installations[0]"
                + ".istioOperatorSpec.components.pilot.k8s.overlays[0]\",\"kind\":\"Deployment\",\"name\":"
                + "\"istiod-1-24\",\"patches\":[{\"path\":\"spec.template.spec.containers[name:proxy].image\","
                + "\"value\":\"x\"}]}]")));

        reconciler.reconcile("c17", Trigger.CHANGE);

        assertThat(states("c17")).containsExactly("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(events.stream().filter(e -> e.getCluster().equals("c17")).findFirst().orElseThrow().getMessage())
                .contains("spec.installations[0].istioOperatorSpec.components.pilot.k8s.overlays[0].patches[0]",
                        "no item of the list matches [name:proxy]");
        assertThat(server.client("c17").apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
    }

    /** Seed 004's overlays (Istio's external control plane guide, step 3) as the translator plans them. */
    private static final String EXTERNAL_ISTIOD_OVERLAYS = "[{\"field\":\"spec.installations[0].istioOperatorSpec"
            + ".components.pilot.k8s.overlays[0]\",\"kind\":\"Deployment\",\"name\":\"istiod-1-24\",\"patches\":["
            + "{\"path\":\"spec.template.spec.volumes[100]\",\"value\":\"name: config-volume\\nconfigMap:\\n  name: istio\"},"
            + "{\"path\":\"spec.template.spec.volumes[100]\",\"value\":\"name: inject-volume\\nconfigMap:\\n"
            + "  name: istio-sidecar-injector\"},"
            + "{\"path\":\"spec.template.spec.containers[0].volumeMounts[100]\",\"value\":\"name: config-volume\\n"
            + "mountPath: /etc/istio/config\"},"
            + "{\"path\":\"spec.template.spec.containers[0].volumeMounts[100]\",\"value\":\"name: inject-volume\\n"
            + "mountPath: /var/lib/istio/inject\"}]}]";

    private static Plan withIstiodOverlays(Plan p, String overlays) {
        List<ChartSpec> charts = p.charts().stream().map(c -> c.chart().equals("istiod") ? new ChartSpec(c.chart(),
                c.releaseName(), c.namespace(), c.valuesJson(), c.source(), c.version(), overlays) : c).toList();
        return new Plan(p.owner(), p.generation(), p.revision(), p.tag(), charts, p.controlPlaneRevision(), false,
                p.waitTimeout(), p.observedOperatorJson(), p.planHash() + "-overlays-" + overlays.hashCode());
    }

    private static List<String> volumes(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream().map(v -> v.getName() + ":"
                + (v.getConfigMap() == null ? "" : v.getConfigMap().getName())).toList();
    }

    private static Plan ambient(String tag) {
        String values = "{\"revision\":\"1-24\",\"global\":{\"tag\":\"" + tag + "\"}}";
        return new Plan(Fixtures.ILM, 2, "1-24", tag, List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod-1-24", "istio-system", values),
                new ChartSpec("cni", "istio-cni", "istio-system", values),
                new ChartSpec("ztunnel", "ztunnel", "istio-system", values)),
                "1-24", false, Duration.ofMinutes(1), "{}", "ambient-" + tag);
    }

    /** As the translator plans a gateway revision: the gateway chart without its Service, the shared Service when active. */
    private static Plan gateway(String revision, boolean active, String generation) {
        String labels = "{\"app\":\"istio-ingressgateway\",\"istio\":\"ingressgateway\"}";
        String podLabels = "{\"app\":\"istio-ingressgateway\",\"istio\":\"ingressgateway\",\"meshfleet.dev/gateway-revision\":\""
                + revision + "\"}";
        String values = "{\"labels\":" + podLabels + ",\"name\":\"istio-ingressgateway-" + revision + "\",\"revision\":\""
                + revision + "\",\"service\":{\"type\":\"None\"}}";
        List<ChartSpec> charts = new java.util.ArrayList<>(List.of(new ChartSpec("gateway", "istio-ingressgateway-" + revision,
                "istio-ingress", values)));
        if (active) {
            charts.add(new ChartSpec("gateway-service", "istio-ingressgateway-service", "istio-ingress",
                    "{\"labels\":" + labels + ",\"name\":\"istio-ingressgateway\",\"selector\":{\"app\":\"istio-ingressgateway\","
                            + "\"istio\":\"ingressgateway\",\"meshfleet.dev/gateway-revision\":\"" + revision + "\"}}"));
        }
        return new Plan(Fixtures.GLM, 1, revision, "1.24.2", charts, "1-24", false, Duration.ofMinutes(1),
                "{}", "gw-" + revision + "-" + active + "-" + generation);
    }

    private ClusterReconciler reconciler(Clock clock) {
        return new ClusterReconciler(ownership, cluster -> Optional.of(server.client(cluster)), watches,
                new ChartRenderer(Path.of("..", "charts")), (key, event) -> events.add(event), clock,
                new ClusterReconciler.Settings("r2", "meshfleet", Duration.ofMillis(100),
                        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), true));
    }

    private List<String> states(String cluster) {
        return events.stream().filter(e -> e.getCluster().equals(cluster)).map(InstallationEvent::getState).toList();
    }

    private static Deployment deployment(KubernetesClient client, String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** {@link #writeReadiness}, then waits until the cluster's watch has delivered the change, as the service would. */
    private void writeReadinessAndAwaitWatch(String cluster, String namespace, String name, boolean ready) {
        int before = watchedChanges.getOrDefault(cluster, 0);
        writeReadiness(cluster, namespace, name, ready);
        await().atMost(Duration.ofSeconds(10)).until(() -> watchedChanges.getOrDefault(cluster, 0) > before);
    }

    /** Plays the kubelet: the Deployment's replicas all ready, or none. */
    private static void writeReadiness(String cluster, String namespace, String name, boolean ready) {
        String path = "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + name;
        try {
            ObjectNode live = (ObjectNode) JSON.readTree(server.store(cluster).call("GET", path, null, null).getBody()
                    .getBytes());
            live.with("metadata").remove("resourceVersion");
            int count = ready ? 1 : 0;
            live.putObject("status").put("observedGeneration", live.path("metadata").path("generation").asLong())
                    .put("replicas", 1).put("updatedReplicas", 1).put("readyReplicas", count)
                    .put("availableReplicas", count);
            assertThat(server.store(cluster).call("PUT", path + "/status", "application/json", live.toString()).code())
                    .isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A canary announced and removed again before any round ran (the translator said INSTALL_PENDING for it) is
     * reported UNINSTALLED, nothing installed, once: otherwise no one ever reports it and its INSTALL_PENDING stays
     * on the resource (soak seed 22: 58 and 83 installations stuck so).
     */
    @Test
    void anInstallationAnnouncedAndDroppedBeforeAnyRoundIsReportedUninstalledOnce() {
        ownership.assigned(19, 3);
        ownership.desired("c20", 19, List.of(plan("1-24")));
        untilHealthy("c20");
        events.clear();

        ownership.desired("c20", 19, List.of(plan("1-24"), plan("1-25")));
        ownership.desired("c20", 19, List.of(plan("1-24")));
        reconciler.reconcile("c20", Trigger.CHANGE);
        reconciler.reconcile("c20", Trigger.RESYNC);

        assertThat(events).filteredOn(e -> e.getRevision().equals("1-25"))
                .extracting(InstallationEvent::getState, InstallationEvent::getMessage, InstallationEvent::getGeneration)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("UNINSTALLED_CONTROL_PLANE", "nothing installed", 2L));
        assertThat(server.client("c20").apps().deployments().inNamespace("istio-system").withName("istiod-1-25").get())
                .isNull();
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
