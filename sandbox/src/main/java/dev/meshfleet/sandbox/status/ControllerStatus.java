package dev.meshfleet.sandbox.status;

import java.util.List;
import java.util.Map;

import dev.meshfleet.schemas.state.IlmState;

/**
 * A ServiceMeshController's status (phase and conditions, docs/adr/0027) read back as the one installation row the
 * settle rules and the table understand: the ILM state its phase and its False condition stand for. Pure, over the
 * status as the API server returns it.
 */
final class ControllerStatus {
    private ControllerStatus() {
    }

    /** The row of the controller's installation in {@code cluster}; null while the status has no phase. */
    @SuppressWarnings("unchecked")
    static InstallationRow row(String cluster, Map<String, Object> status) {
        if (status == null || !(status.get("phase") instanceof String phase)) {
            return null;
        }
        Map<String, Object> failed = null;
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && "False".equals(m.get("status"))) {
                    failed = (Map<String, Object>) m;
                    break;
                }
            }
        }
        String message = failed == null ? null : String.valueOf(failed.get("message"));
        return new InstallationRow(cluster, "default", state(phase, failed).name(), message);
    }

    /** The ILM state a phase stands for; a FAILED phase by the condition that failed and its reason. */
    static IlmState state(String phase, Map<String, Object> failedCondition) {
        return switch (phase) {
            case "SUCCEEDED" -> IlmState.HEALTHY;
            case "PENDING" -> IlmState.PENDING;
            case "INSTALLING" -> IlmState.INSTALLING_CONTROL_PLANE;
            case "UPDATING" -> IlmState.UPDATING_CONTROL_PLANE;
            case "UNKNOWN" -> IlmState.UNKNOWN;
            case "UNINSTALLING" -> IlmState.UNINSTALLING_CONTROL_PLANE;
            case "UNINSTALLED" -> IlmState.UNINSTALLED_CONTROL_PLANE;
            default -> failed(failedCondition);
        };
    }

    private static IlmState failed(Map<String, Object> condition) {
        String type = condition == null ? "" : String.valueOf(condition.get("type"));
        String reason = condition == null ? "" : String.valueOf(condition.get("reason"));
        return switch (type) {
            case "CRDInstalled" -> "ActionRequired".equals(reason) ? IlmState.ACTION_REQUIRED
                    : IlmState.CONTROLLER_INSTALL_FAILED;
            case "ControlPlaneDeployed", "CNIDeployed", "WebhookDeployed" -> IlmState.CONTROL_PLANE_INSTALL_FAILED;
            case "Ready" -> IlmState.UNHEALTHY;
            default -> IlmState.FAILED;
        };
    }
}
