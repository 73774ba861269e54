package dev.meshfleet.aggregator.conditions;

import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/** The one-word CamelCase reason a condition or an Event gives for a state. Pure. */
public final class Reasons {
    private Reasons() {
    }

    /**
     * The CamelCase state name: an ILM's CONTROL_PLANE_INSTALL_FAILED gives {@code ControlPlaneInstallFailed}; UNKNOWN,
     * which says only that the cluster does not answer, gives {@code ClusterUnreachable}.
     */
    public static String of(InstallationState state) {
        if (state.phase() == Phase.UNKNOWN) {
            return "ClusterUnreachable";
        }
        StringBuilder reason = new StringBuilder();
        for (String word : state.name().split("_")) {
            reason.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return reason.toString();
    }
}
