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
     * Assignment (a partition taken over, or taken back by a restarted replica): read the inventories, apply what
     * differs from its plan, check every in-sync installation's health and re-emit every state, changed or not.
     * No drift repair: re-applying every object of every cluster at once made a restarted replica's last cluster
     * wait 15 s for its first event (ADR 0042); each cluster's drift is repaired at its turn of the periodic repair.
     */
    RESUME,
    /**
     * The periodic drift repair: re-apply every in-sync installation (repairing drift) and re-emit every
     * installation's state, changed or not (the safety net for the aggregator).
     */
    RESYNC;

    /** True when the round re-emits the state of every installation, changed or not. */
    public boolean reemits() {
        return this == RESUME || this == RESYNC;
    }

    /** True when the round reads the cluster's inventories rather than trusting what this replica remembers. */
    public boolean readsInventories() {
        return this == RESUME || this == RESYNC;
    }

    /** True when the round re-applies in-sync installations to repair drift (if drift repair is on). */
    public boolean repairsDrift() {
        return this == RESYNC;
    }

    /**
     * True when the round reads again the reader token of each remote secret an ExternalControlPlane's external
     * cluster holds, to fill again the ones whose token Secret was recreated (docs/adr/0031, session 25): at every
     * periodic round, so once per resync period, and never at a readiness poll or a change.
     */
    public boolean readsReaderTokens() {
        return this == CHECK || this == RESUME || this == RESYNC;
    }

    public Trigger merge(Trigger other) {
        return other == null || other.ordinal() < ordinal() ? this : other;
    }
}
