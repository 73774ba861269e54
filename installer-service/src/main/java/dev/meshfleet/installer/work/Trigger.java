package dev.meshfleet.installer.work;

/** Why a cluster is reconciled; when several are pending, the strongest wins. */
public enum Trigger {
    /** Waiting for readiness: check health only. */
    POLL,
    /** Desired state or registration changed. */
    CHANGE,
    /** Periodic resync between drift repairs: re-emit every installation's state, no re-apply (cheap). */
    REEMIT,
    /** Assignment or periodic resync with drift repair: repair drift and re-emit every installation's state. */
    RESYNC;

    /** True when the round re-emits the state of every installation, changed or not. */
    public boolean reemits() {
        return this == REEMIT || this == RESYNC;
    }

    public Trigger merge(Trigger other) {
        return other == null || other.ordinal() < ordinal() ? this : other;
    }
}
