package dev.meshfleet.sandbox.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.InstallationRow;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.schemas.v1.ResourceKind;

class SoakCheckTest {

    static final ResourceRef ILM = new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane");
    static final ResourceRef GLM = new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "istio-ingressgateway");

    /** cluster1 and cluster2 on 1-24 in the ILM; the GLM's gateways 1-24 and 1-25 on cluster1. */
    static final SoakSpecs.Expected EXPECTED = new SoakSpecs.Expected(Map.of(
            ILM, Set.of(new SoakSpecs.Installation("cluster1", "1-24"), new SoakSpecs.Installation("cluster2", "1-24")),
            GLM, Set.of(new SoakSpecs.Installation("cluster1", "1-24"), new SoakSpecs.Installation("cluster1", "1-25"))));

    static ResourceView view(ResourceRef ref, long generation, long observed, InstallationRow... rows) {
        Set<String> clusters = new java.util.HashSet<>();
        for (InstallationRow r : rows) {
            clusters.add(r.cluster());
        }
        return new ResourceView(ref, generation, observed, false, false, clusters, Map.of(), List.of(rows));
    }

    static InstallationRow row(String cluster, String revision, String state) {
        return new InstallationRow(cluster, revision, state, state.equals("HEALTHY") ? "" : "why: " + state);
    }

    static List<ResourceView> settledAsWanted() {
        return new ArrayList<>(List.of(
                view(ILM, 7, 7, row("cluster1", "1-24", "HEALTHY"), row("cluster2", "1-24", "HEALTHY"),
                        row("cluster3", "1-24", "UNINSTALLED_CONTROL_PLANE"), row("cluster1", "1-25", "UNINSTALLED_CONTROL_PLANE")),
                view(GLM, 3, 3, row("cluster1", "1-24", "HEALTHY"), row("cluster1", "1-25", "HEALTHY"),
                        row("cluster2", "1-24", "UNINSTALLED_GATEWAY"))));
    }

    @Test
    void everyWantedInstallationHealthyAndTheRestUninstalledIsNothingStuck() {
        assertThat(SoakCheck.stuck(EXPECTED, settledAsWanted())).isEmpty();
    }

    @Test
    void aWantedInstallationThatIsNotHealthyIsStuckWithItsStateAndMessage() {
        List<ResourceView> views = settledAsWanted();
        views.set(0, view(ILM, 7, 7, row("cluster1", "1-24", "HEALTHY"), row("cluster2", "1-24", "ACTION_REQUIRED")));

        assertThat(SoakCheck.stuck(EXPECTED, views)).containsExactly(
                "ilm/gloo-mesh/istiod-control-plane cluster2/1-24: ACTION_REQUIRED (want HEALTHY):"
                        + " why: ACTION_REQUIRED");
    }

    @Test
    void aWantedInstallationWithoutStatusIsStuck() {
        List<ResourceView> views = settledAsWanted();
        views.set(1, view(GLM, 3, 3, row("cluster1", "1-24", "HEALTHY")));

        assertThat(SoakCheck.stuck(EXPECTED, views)).containsExactly(
                "glm/gloo-mesh/istio-ingressgateway cluster1/1-25: no status (want HEALTHY)");
    }

    @Test
    void anInstallationTheSpecsNoLongerNameThatIsNotUninstalledIsStuck() {
        List<ResourceView> views = settledAsWanted();
        views.set(1, view(GLM, 3, 3, row("cluster1", "1-24", "HEALTHY"), row("cluster1", "1-25", "HEALTHY"),
                row("cluster2", "1-24", "UNINSTALLING_GATEWAY"), row("cluster2", "1-25", "HEALTHY")));

        assertThat(SoakCheck.stuck(EXPECTED, views)).containsExactly(
                "glm/gloo-mesh/istio-ingressgateway cluster2/1-24: UNINSTALLING_GATEWAY (want UNINSTALLED):"
                        + " why: UNINSTALLING_GATEWAY",
                "glm/gloo-mesh/istio-ingressgateway cluster2/1-25: HEALTHY (want UNINSTALLED)");
    }

    @Test
    void aStatusOfAnOlderGenerationIsStuckEvenWhenItsInstallationsLookRight() {
        List<ResourceView> views = settledAsWanted();
        views.set(0, view(ILM, 8, 7, row("cluster1", "1-24", "HEALTHY"), row("cluster2", "1-24", "HEALTHY")));

        assertThat(SoakCheck.stuck(EXPECTED, views)).containsExactly(
                "ilm/gloo-mesh/istiod-control-plane: status is of generation 7, spec is 8");
    }

    @Test
    void aMissingResourceIsStuck() {
        List<ResourceView> views = settledAsWanted();
        views.remove(1);
        views.add(ResourceView.gone(GLM));

        assertThat(SoakCheck.stuck(EXPECTED, views)).containsExactly(
                "glm/gloo-mesh/istio-ingressgateway: missing");
    }
}
