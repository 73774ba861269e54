package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Fault;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Issue 4, what the clusters do to an installation: an Istio Meshfleet does not manage (cluster2), a cluster
 * not registered yet (cluster3), workloads that crash, a cluster that stops answering, readiness that never
 * comes, and a delete held by an unreachable cluster. Faults are switched while the fleet runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterConditionsE2E {

    static final ResourceKind ILM = ResourceKind.IstioLifecycleManager;
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1", "cluster2", "cluster3"),
                Map.of("cluster2", List.of(new Fault.UnmanagedIstio())), List.of("cluster3"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static String ilm(String name, String revision, String cluster, String extra) {
        return Specs.ilm(name, Specs.minimal(revision, Specs.TAG, "- name: " + cluster, extra));
    }

    @Test
    @Order(1)
    void anIstiodMeshfleetDoesNotManageIsNeverTakenOverAndTheInstallationAsksForAction() throws Exception {
        var foreign = fleet.workload("cluster2").apps().deployments().inNamespace("istio-system").withName("istiod");
        await("the unmanaged istiod exists").atMost(Duration.ofSeconds(30)).until(() -> foreign.get() != null
                && foreign.get().getStatus() != null);
        Deployment before = foreign.get();

        fleet.applyAndSettle("takeover.yaml", ilm("takeover", "1-24", "cluster2", ""));

        var i = Fleet.installation(fleet.ilmStatus("takeover"), "cluster2", "1-24");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("ACTION_REQUIRED");
        assertThat(i.message()).contains("istio-system/istiod", "does not manage");
        Deployment after = foreign.get();
        assertThat(after.getMetadata().getResourceVersion()).as("the unmanaged istiod is untouched")
                .isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
        assertThat(fleet.workload("cluster2").apps().deployments().inNamespace("istio-system").withName("istiod-1-24")
                .get()).as("nothing installed beside it").isNull();
    }

    @Test
    @Order(2)
    void anUnregisteredClusterIsPendingUntilItIsRegisteredThenHealthyWithoutASpecChange() throws Exception {
        fleet.applyAndSettle("late.yaml", ilm("late", "1-24", "cluster3", ""));
        var i = Fleet.installation(fleet.ilmStatus("late"), "cluster3", "1-24");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("PENDING");
        assertThat(i.message()).contains("cluster3", "not registered");
        long generation = fleet.ilm("late").getMetadata().getGeneration();

        fleet.sandbox.register("cluster3");
        fleet.awaitState(ILM, "late", "cluster3", "1-24", "HEALTHY");

        assertThat(fleet.ilm("late").getMetadata().getGeneration()).as("no spec change").isEqualTo(generation);
        assertThat(fleet.workload("cluster3").apps().deployments().inNamespace("istio-system").withName("istiod-1-24")
                .get()).isNotNull();
    }

    @Test
    @Order(3)
    void workloadsThatCrashMakeTheInstallationUnhealthyAndItIsHealthyAgainWhenTheyRecover() throws Exception {
        fleet.applyAndSettle("steady.yaml", ilm("steady", "1-24", "cluster1", ""));
        assertThat(Fleet.installation(fleet.ilmStatus("steady"), "cluster1", "1-24").state()).isEqualTo("HEALTHY");

        fleet.sandbox.setFaults("cluster1", List.of(new Fault.CrashAfterReady()));
        var unhealthy = fleet.awaitState(ILM, "steady", "cluster1", "1-24", "UNHEALTHY");
        assertThat(unhealthy.message()).contains("istiod-1-24");
        assertThat(fleet.workload("cluster1").apps().deployments().inNamespace("istio-system").withName("istiod-1-24")
                .get().getStatus().getReadyReplicas()).isEqualTo(0);

        fleet.sandbox.setFaults("cluster1", List.of());
        fleet.awaitState(ILM, "steady", "cluster1", "1-24", "HEALTHY");
    }

    @Test
    @Order(4)
    void anUnreachableClusterIsUnknownAndHealthyAgainWhenItAnswers() {
        fleet.sandbox.setFaults("cluster1", List.of(new Fault.Unreachable()));
        var unknown = fleet.awaitState(ILM, "steady", "cluster1", "1-24", "UNKNOWN");
        assertThat(unknown.message()).contains("cluster1", "unreachable");
        assertThat(Fleet.installation(fleet.ilmStatus("late"), "cluster3", "1-24").state())
                .as("other clusters keep going").isEqualTo("HEALTHY");

        fleet.sandbox.setFaults("cluster1", List.of());
        fleet.awaitState(ILM, "steady", "cluster1", "1-24", "HEALTHY");
    }

    @Test
    @Order(5)
    void aControlPlaneThatIsNeverReadyFailsAfterWaitForResourcesTimeoutNamingWhatWasNotReady() throws Exception {
        fleet.sandbox.setFaults("cluster3", List.of(new Fault.NeverReady()));
        fleet.applyAndSettle("stuck.yaml", ilm("stuck", "1-25-stuck", "cluster3",
                "istioController:\n  waitForResourcesTimeout: 5s"));

        var i = Fleet.installation(fleet.ilmStatus("stuck"), "cluster3", "1-25-stuck");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(i.message()).contains("istiod-1-25-stuck", "waitForResourcesTimeout");
        assertThat(Fleet.installation(fleet.ilmStatus("late"), "cluster3", "1-24").state())
                .as("what already ran stays healthy").isEqualTo("HEALTHY");
        fleet.sandbox.setFaults("cluster3", List.of());
    }

    @Test
    @Order(6)
    void deletingWhileAClusterIsUnreachableKeepsTheResourceNamingThatClusterUntilItAnswers() throws Exception {
        fleet.sandbox.setFaults("cluster1", List.of(new Fault.Unreachable()));
        fleet.awaitState(ILM, "steady", "cluster1", "1-24", "UNKNOWN");
        ResourceRef steady = new ResourceRef(ILM, "gloo-mesh", "steady");
        fleet.sandbox.delete(steady);
        var p = fleet.settle();

        assertThat(p.allHealthy()).isFalse();
        var held = fleet.ilm("steady");
        assertThat(held).as("the finalizer holds the resource").isNotNull();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        var i = Fleet.installation(held.getStatus(), "cluster1", "1-24");
        assertThat(i.state()).isEqualTo("UNKNOWN");
        assertThat(i.message()).contains("cluster 'cluster1'", "unreachable");

        fleet.sandbox.setFaults("cluster1", List.of());
        await("the removal finishes and the resource goes").atMost(Fleet.STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).until(() -> fleet.ilm("steady") == null);
        assertThat(fleet.workload("cluster1").apps().deployments().inNamespace("istio-system").withName("istiod-1-24")
                .get()).as("removed from cluster1").isNull();
    }
}
