package dev.meshfleet.aggregator.fold;

import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/**
 * Folded state of one (cluster, revision) installation, with the bookkeeping of the newest event
 * folded in (generation, plan hash, source, epoch, sequence) that decides what a later event may do.
 */
public record Installation(InstallationState state, String message, String observedRevision,
        String observedOperatorJson, long generation, String planHash, String source, long sourceEpoch,
        long sequence, long updatedAt) {

    public Installation {
        message = message == null ? "" : message;
        observedRevision = observedRevision == null ? "" : observedRevision;
        planHash = planHash == null ? "" : planHash;
        source = source == null ? "" : source;
    }

    public Phase phase() {
        return state.phase();
    }

    static Installation of(InstallationState state, Event event, Installation before) {
        // The installer is the authority on what is deployed: its event says it (or that nothing is).
        // The translator does not know; its events keep what the installer last reported, since the
        // operator that runs in the cluster has not changed yet.
        boolean keep = !event.fromInstaller() && before != null;
        String operator = keep ? before.observedOperatorJson() : event.fromInstaller() ? event.observedOperatorJson() : null;
        String observedRevision = keep ? before.observedRevision() : operator != null ? event.revision() : "";
        return new Installation(state, event.message(), observedRevision, operator, event.generation(),
                event.planHash(), event.source(), event.sourceEpoch(), event.sequence(), event.timeMillis());
    }

    /** True for a translator failure: the spec could not be translated, nothing was installed for it. */
    public boolean isTranslationFailure() {
        return phase() == Phase.FAILED && Event.TRANSLATOR.equals(source);
    }
}
