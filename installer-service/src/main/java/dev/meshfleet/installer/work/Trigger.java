package dev.meshfleet.installer.work;

/** Why a cluster is reconciled; when several are pending, the strongest wins. */
public enum Trigger {
    /** Waiting for readiness: check health only. */
    POLL,
    /** Desired state or registration changed. */
    CHANGE,
    /** Assignment or periodic resync: repair drift and re-emit every installation's state. */
    RESYNC;

    public Trigger merge(Trigger other) {
        return other == null || other.ordinal() < ordinal() ? this : other;
    }
}
