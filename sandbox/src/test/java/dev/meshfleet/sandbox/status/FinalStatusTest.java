package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

class FinalStatusTest {

    private static final ResourceRef ILM = new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod");
    private static final ResourceRef GLM = new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "ingress");

    private static ResourceView view(ResourceRef ref, long observedGeneration, InstallationRow... rows) {
        return new ResourceView(ref, observedGeneration, observedGeneration, false, false, Set.of("cluster1", "cluster2"),
                Map.of(), List.of(rows));
    }

    @Test
    void oneSortedLinePerInstallationWithItsStateAndMessage() {
        FinalStatus status = FinalStatus.of(List.of(
                view(ILM, 1, new InstallationRow("cluster2", "1-24", "HEALTHY", ""),
                        new InstallationRow("cluster1", "1-24", "FAILED", "apply refused:\nspec.replicas")),
                view(GLM, 1, new InstallationRow("cluster1", "1-24", "HEALTHY", null))));
        assertThat(status.text()).isEqualTo("""
                glm/gloo-mesh/ingress cluster1 1-24 HEALTHY
                ilm/gloo-mesh/istiod cluster1 1-24 FAILED apply refused: spec.replicas
                ilm/gloo-mesh/istiod cluster2 1-24 HEALTHY
                """);
    }

    @Test
    void twoRunsEndingTheSameHaveOneDigestWhateverTheOrderAndGenerationsTheirStatusCameIn() {
        FinalStatus one = FinalStatus.of(List.of(view(ILM, 1, new InstallationRow("cluster1", "1-24", "HEALTHY", ""),
                new InstallationRow("cluster2", "1-24", "HEALTHY", "")), view(GLM, 1)));
        FinalStatus other = FinalStatus.of(List.of(view(GLM, 3), view(ILM, 2,
                new InstallationRow("cluster2", "1-24", "HEALTHY", ""), new InstallationRow("cluster1", "1-24", "HEALTHY", ""))));
        assertThat(other.digest()).isEqualTo(one.digest()).hasSize(16);
    }

    @Test
    void oneInstallationEndingOtherwiseChangesTheDigest() {
        FinalStatus healthy = FinalStatus.of(List.of(view(ILM, 1, new InstallationRow("cluster1", "1-24", "HEALTHY", ""))));
        FinalStatus failed = FinalStatus.of(List.of(view(ILM, 1, new InstallationRow("cluster1", "1-24", "FAILED", ""))));
        FinalStatus otherMessage = FinalStatus.of(List.of(view(ILM, 1,
                new InstallationRow("cluster1", "1-24", "HEALTHY", "istiod 1/1 ready"))));
        assertThat(List.of(healthy.digest(), failed.digest(), otherMessage.digest())).doesNotHaveDuplicates();
    }
}
