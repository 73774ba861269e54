package dev.meshfleet.schemas.state;

/** GatewayLifecycleManager installation states, names and numbers as in the API (seed 001). */
public enum GlmState implements InstallationState {
    PENDING(0),
    FAILED(1),
    NO_CONTROL_PLANE_AVAILABLE(2),
    INSTALLING_GATEWAY(3),
    HEALTHY(4),
    UNHEALTHY(5),
    ACTION_REQUIRED(6),
    UPDATING_GATEWAY(7),
    RECONCILING_GATEWAY(8),
    UNKNOWN(9),
    UNINSTALLING_GATEWAY(10),
    UNINSTALLED_GATEWAY(11),
    INSTALL_PENDING(12);

    private final int number;

    GlmState(int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public Phase phase() {
        return switch (this) {
            case PENDING -> Phase.PENDING;
            case FAILED -> Phase.FAILED;
            case NO_CONTROL_PLANE_AVAILABLE -> Phase.NO_CONTROL_PLANE_AVAILABLE;
            case INSTALLING_GATEWAY -> Phase.INSTALLING;
            case HEALTHY -> Phase.HEALTHY;
            case UNHEALTHY -> Phase.UNHEALTHY;
            case ACTION_REQUIRED -> Phase.ACTION_REQUIRED;
            case UPDATING_GATEWAY -> Phase.UPDATING;
            case RECONCILING_GATEWAY -> Phase.RECONCILING;
            case UNKNOWN -> Phase.UNKNOWN;
            case UNINSTALLING_GATEWAY -> Phase.UNINSTALLING;
            case UNINSTALLED_GATEWAY -> Phase.UNINSTALLED;
            case INSTALL_PENDING -> Phase.INSTALL_PENDING;
        };
    }
}
