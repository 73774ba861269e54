package dev.meshfleet.schemas.state;

/** IstioLifecycleManager installation states, names and numbers as in the API (seed 000). */
public enum IlmState implements InstallationState {
    PENDING(0),
    FAILED(1),
    INSTALLING_CONTROLLER(2),
    CONTROLLER_INSTALL_FAILED(3),
    INSTALLING_CONTROL_PLANE(4),
    CONTROL_PLANE_INSTALL_FAILED(5),
    HEALTHY(6),
    UNHEALTHY(7),
    ACTION_REQUIRED(8),
    UPDATING_CONTROL_PLANE(9),
    RECONCILING_CONTROL_PLANE(10),
    UNKNOWN(11),
    UNINSTALLING_CONTROL_PLANE(12),
    UNINSTALLED_CONTROL_PLANE(13),
    INSTALL_PENDING(14);

    private final int number;

    IlmState(int number) {
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
            case INSTALLING_CONTROLLER -> Phase.INSTALLING_CONTROLLER;
            case CONTROLLER_INSTALL_FAILED -> Phase.CONTROLLER_INSTALL_FAILED;
            case INSTALLING_CONTROL_PLANE -> Phase.INSTALLING;
            case CONTROL_PLANE_INSTALL_FAILED -> Phase.INSTALL_FAILED;
            case HEALTHY -> Phase.HEALTHY;
            case UNHEALTHY -> Phase.UNHEALTHY;
            case ACTION_REQUIRED -> Phase.ACTION_REQUIRED;
            case UPDATING_CONTROL_PLANE -> Phase.UPDATING;
            case RECONCILING_CONTROL_PLANE -> Phase.RECONCILING;
            case UNKNOWN -> Phase.UNKNOWN;
            case UNINSTALLING_CONTROL_PLANE -> Phase.UNINSTALLING;
            case UNINSTALLED_CONTROL_PLANE -> Phase.UNINSTALLED;
            case INSTALL_PENDING -> Phase.INSTALL_PENDING;
        };
    }
}
