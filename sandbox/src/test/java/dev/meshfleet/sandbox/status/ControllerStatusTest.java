package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** How the sandbox reads a ServiceMeshController's status (phase, conditions) to decide it settled, row by row. */
class ControllerStatusTest {

    static Map<String, Object> status(String phase, String falseType, String falseReason) {
        Map<String, Object> failed = Map.of("type", falseType, "status", "False", "reason", falseReason, "message",
                "why it failed");
        Map<String, Object> fine = Map.of("type", "Initialized", "status", "True", "reason", "ManifestsInitialized",
                "message", "Manifests initialized");
        return Map.of("observedGeneration", 2, "phase", phase,
                "conditions", falseType.isEmpty() ? List.of(fine) : List.of(fine, failed));
    }

    @ParameterizedTest(name = "{0} {1}/{2} -> {3}")
    @CsvSource({
            "SUCCEEDED,,,HEALTHY",
            "PENDING,,,PENDING",
            "INSTALLING,,,INSTALLING_CONTROL_PLANE",
            "UPDATING,,,UPDATING_CONTROL_PLANE",
            "UNKNOWN,,,UNKNOWN",
            "UNINSTALLING,,,UNINSTALLING_CONTROL_PLANE",
            "UNINSTALLED,,,UNINSTALLED_CONTROL_PLANE",
            "FAILED,Initialized,InitializationFailed,FAILED",
            "FAILED,CRDInstalled,InstallFailed,CONTROLLER_INSTALL_FAILED",
            "FAILED,CRDInstalled,ActionRequired,ACTION_REQUIRED",
            "FAILED,ControlPlaneDeployed,DeploymentFailed,CONTROL_PLANE_INSTALL_FAILED",
            "FAILED,Ready,NotReady,UNHEALTHY"})
    void aPhaseAndTheConditionThatFailedReadAsTheIlmStateTheyStandFor(String phase, String type, String reason,
            String state) {
        InstallationRow row = ControllerStatus.row("cluster1",
                status(phase, type == null ? "" : type, reason == null ? "" : reason));
        assertThat(row.state()).isEqualTo(state);
        assertThat(row.cluster()).isEqualTo("cluster1");
        assertThat(row.revision()).isEqualTo("default");
        assertThat(row.message()).isEqualTo(type == null ? null : "why it failed");
    }

    @Test
    void aControllerWithoutAPhaseHasNoRowYetAndItsViewNamesItsClusterOnly() {
        assertThat(ControllerStatus.row("cluster1", Map.of("observedGeneration", 1))).isNull();
        assertThat(ControllerStatus.row("cluster1", null)).isNull();

        ResourceView v = ResourceView.of(ResourceKind.ServiceMeshController,
                Map.of("namespace", "gloo-mesh", "name", "managed-istio", "generation", 2),
                Map.of("cluster", "cluster2", "version", "1.28.1-patch0"), status("SUCCEEDED", "", ""));
        assertThat(v.ref()).isEqualTo(new ResourceRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio"));
        assertThat(v.observedGeneration()).isEqualTo(2);
        assertThat(v.specClusters()).containsExactly("cluster2");
        assertThat(v.installations()).containsExactly(new InstallationRow("cluster2", "default", "HEALTHY", null));
        assertThat(Settle.isHealthy(v)).isTrue();
    }
}
