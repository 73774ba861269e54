package dev.meshfleet.aggregator.fold;

/** What folding one event did: applied it, or ignored it for a reason the edge logs. */
public sealed interface FoldOutcome {

    /** The status after the event; when ignored, the status before it (possibly with a newer installer epoch). */
    Status status();

    /** The event changed the installation at (cluster, revision). */
    record Applied(Status status, Installation before, Installation after) implements FoldOutcome {
        /** Whether the visible state changed (worth one log line). */
        public boolean stateChanged() {
            return before == null || before.state() != after.state();
        }
    }

    record Ignored(Status status, Reason reason, String detail) implements FoldOutcome {
    }

    /** Why an event was not folded in. */
    enum Reason {
        /** Older than the generation the installation (or, for the translator, the owner) is at. */
        STALE_GENERATION,
        /** From an installer epoch older than the newest seen for the cluster: a replica that lost the partition. */
        STALE_EPOCH,
        /** Same source and epoch, sequence not greater than the last folded: a duplicate or a reordering. */
        DUPLICATE,
        /** The translator re-announces a plan the installer already reports on. */
        ALREADY_REPORTED,
        /** Not allowed by {@link Transitions} (or a state the source never reports). */
        ILLEGAL_TRANSITION,
        /** A state name the owner's kind does not have. */
        UNKNOWN_STATE,
        /** Neither "translator" nor "installer/...". */
        UNKNOWN_SOURCE,
        /** About an earlier resource of the same name (another uid) older than what we hold. */
        PREVIOUS_INCARNATION
    }
}
