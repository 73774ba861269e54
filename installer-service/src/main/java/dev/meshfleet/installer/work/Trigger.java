package dev.meshfleet.installer.work;

/** Why a cluster is reconciled; when several are pending, the strongest wins. */
public enum Trigger {
    /** Waiting for readiness: check health only. */
    POLL,
    /** Desired state or registration changed. */
    CHANGE,
    /**
     * Periodic resync between drift repairs: check every installation's health and emit what changed (a
     * HEALTHY installation whose workloads went unready is UNHEALTHY); no re-apply, no re-emission of
     * unchanged states.
     */
    CHECK,
    /**
     * Assignment, or the periodic drift repair: re-apply every in-sync installation (repairing drift) and
     * re-emit every installation's state, changed or not (the safety net for the aggregator).
     */
    RESYNC;

    /** True when the round re-emits the state of every installation, changed or not. */
    public boolean reemits() {
        return this == RESYNC;
    }

    public Trigger merge(Trigger other) {
        return other == null || other.ordinal() < ordinal() ? this : other;
    }
}
