package dev.meshfleet.schemas.state;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * What a state means, independent of the owner's kind. Services reason in phases and name the
 * state in the owner's vocabulary with {@link #state(ResourceKind)}.
 */
public enum Phase {
    PENDING(Progress.WAITING),
    INSTALL_PENDING(Progress.IN_PROGRESS),
    NO_CONTROL_PLANE_AVAILABLE(Progress.WAITING),
    INSTALLING_CONTROLLER(Progress.IN_PROGRESS),
    CONTROLLER_INSTALL_FAILED(Progress.FAILED),
    INSTALLING(Progress.IN_PROGRESS),
    INSTALL_FAILED(Progress.FAILED),
    UPDATING(Progress.IN_PROGRESS),
    RECONCILING(Progress.IN_PROGRESS),
    HEALTHY(Progress.DONE),
    UNHEALTHY(Progress.FAILED),
    ACTION_REQUIRED(Progress.FAILED),
    FAILED(Progress.FAILED),
    UNKNOWN(Progress.WAITING),
    UNINSTALLING(Progress.IN_PROGRESS),
    UNINSTALLED(Progress.DONE);

    /** Whether an installation in this phase is still moving by itself. */
    public enum Progress {
        /** Work is under way; the state will change without anyone acting. */
        IN_PROGRESS,
        /** Reached the goal. */
        DONE,
        /** Waiting on something outside Meshfleet (a cluster, a control plane). */
        WAITING,
        /** Stopped; needs a spec change or a person. */
        FAILED
    }

    private final Progress progress;

    Phase(Progress progress) {
        this.progress = progress;
    }

    public Progress progress() {
        return progress;
    }

    /** True when the installation will not change state unless something outside changes. */
    public boolean settled() {
        return progress != Progress.IN_PROGRESS;
    }

    /** This phase as a state of the given kind; GLM has no controller or install-failed states of its own. */
    public InstallationState state(ResourceKind kind) {
        return switch (kind) {
            // A ServiceMeshController installs a control plane: the ILM's states, mapped to its conditions by the aggregator.
            // An ExternalControlPlane's installation in each cluster (external, config, remote) is a control plane's
            // part too: the ILM's states per cluster and role (docs/adr/0031).
            case IstioLifecycleManager, ServiceMeshController, ExternalControlPlane -> switch (this) {
                case INSTALLING -> IlmState.INSTALLING_CONTROL_PLANE;
                case INSTALL_FAILED -> IlmState.CONTROL_PLANE_INSTALL_FAILED;
                case UPDATING -> IlmState.UPDATING_CONTROL_PLANE;
                case RECONCILING -> IlmState.RECONCILING_CONTROL_PLANE;
                case UNINSTALLING -> IlmState.UNINSTALLING_CONTROL_PLANE;
                case UNINSTALLED -> IlmState.UNINSTALLED_CONTROL_PLANE;
                case NO_CONTROL_PLANE_AVAILABLE -> IlmState.PENDING;
                default -> IlmState.valueOf(name());
            };
            case GatewayLifecycleManager -> switch (this) {
                case INSTALLING, INSTALLING_CONTROLLER -> GlmState.INSTALLING_GATEWAY;
                case INSTALL_FAILED, CONTROLLER_INSTALL_FAILED -> GlmState.FAILED;
                case UPDATING -> GlmState.UPDATING_GATEWAY;
                case RECONCILING -> GlmState.RECONCILING_GATEWAY;
                case UNINSTALLING -> GlmState.UNINSTALLING_GATEWAY;
                case UNINSTALLED -> GlmState.UNINSTALLED_GATEWAY;
                default -> GlmState.valueOf(name());
            };
            case Unknown -> throw new IllegalArgumentException("no states for kind Unknown (docs/adr/0027)");
        };
    }
}
