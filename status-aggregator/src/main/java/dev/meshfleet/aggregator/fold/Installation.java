package dev.meshfleet.aggregator.fold;

import java.util.Map;

import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/**
 * Folded state of one (cluster, revision) installation, with the bookkeeping of the newest event
 * folded in (generation, plan hash, source, epoch, sequence) that decides what a later event may do.
 *
 * @param anyApplied an installer has reported on this installation (since the owner was created):
 *                   objects of it may be in the cluster, whatever the state says now. Sticky: a later
 *                   translator event, a FAILED without an observed operator or a new generation never
 *                   clears it; only a re-created owner (a new status) does. The finalizer rule reads it.
 * @param caRotateAtMillis when the installer replaces the installation's intermediate CA (a ServiceMeshController's
 *                   cacerts), as its newest event that said so; null when none did
 * @param facts      what the newest installer event observed for other clusters (docs/adr/0046: a peering
 *                   installation's east-west address and peer links); empty when it said none
 */
public record Installation(InstallationState state, String message, String observedRevision,
        String observedOperatorJson, long generation, String planHash, String source, long sourceEpoch,
        long sequence, long updatedAt, boolean anyApplied, Long caRotateAtMillis, Map<String, String> facts) {

    public Installation {
        message = message == null ? "" : message;
        observedRevision = observedRevision == null ? "" : observedRevision;
        planHash = planHash == null ? "" : planHash;
        source = source == null ? "" : source;
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    /** An installation without facts. */
    public Installation(InstallationState state, String message, String observedRevision,
            String observedOperatorJson, long generation, String planHash, String source, long sourceEpoch,
            long sequence, long updatedAt, boolean anyApplied, Long caRotateAtMillis) {
        this(state, message, observedRevision, observedOperatorJson, generation, planHash, source, sourceEpoch,
                sequence, updatedAt, anyApplied, caRotateAtMillis, Map.of());
    }

    /** An installation without an intermediate CA. */
    public Installation(InstallationState state, String message, String observedRevision,
            String observedOperatorJson, long generation, String planHash, String source, long sourceEpoch,
            long sequence, long updatedAt, boolean anyApplied) {
        this(state, message, observedRevision, observedOperatorJson, generation, planHash, source, sourceEpoch,
                sequence, updatedAt, anyApplied, null);
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
        boolean anyApplied = event.fromInstaller() || before != null && before.anyApplied();
        // Only the installer knows the CA; an event of its that does not say (a progress step) keeps what was said.
        Long caRotateAt = event.fromInstaller() && event.caRotateAtMillis() != null ? event.caRotateAtMillis()
                : before == null ? null : before.caRotateAtMillis();
        // The installer says its facts on every event (none for most installations); the translator observes none.
        Map<String, String> facts = event.fromInstaller() ? event.facts() : before == null ? Map.of() : before.facts();
        return new Installation(state, event.message(), observedRevision, operator, event.generation(),
                event.planHash(), event.source(), event.sourceEpoch(), event.sequence(), event.timeMillis(),
                anyApplied, caRotateAt, facts);
    }

    /** True for a translator failure: the spec could not be translated (something may run from an earlier generation: see {@link #anyApplied}). */
    public boolean isTranslationFailure() {
        return phase() == Phase.FAILED && Event.TRANSLATOR.equals(source);
    }

    /**
     * True when nothing of this installation can be in its cluster: it is UNINSTALLED, or it is a
     * translation failure that no installer ever reported on (refused before anything was planned).
     * A plan not yet reported on (INSTALL_PENDING) is not: the installer may be applying it already,
     * and it reports UNINSTALLED once it has let go of it.
     */
    public boolean nothingInstalled() {
        return phase() == Phase.UNINSTALLED || isTranslationFailure() && !anyApplied;
    }

    /**
     * True when {@code other} says the same as this to a reader of the status: the same state, message,
     * observed revision and operator, for the same generation and plan, with the same {@link #anyApplied}, CA
     * rotation time and facts (a peer's link coming up is worth publishing although the state stays).
     * Only the bookkeeping of which event said it last (source, epoch, sequence, time) may differ: an
     * installer re-emitting every state at its drift repair changes nothing worth publishing.
     */
    public boolean reportsSameAs(Installation other) {
        return other != null && state == other.state && message.equals(other.message)
                && observedRevision.equals(other.observedRevision)
                && java.util.Objects.equals(observedOperatorJson, other.observedOperatorJson)
                && generation == other.generation && planHash.equals(other.planHash) && anyApplied == other.anyApplied
                && java.util.Objects.equals(caRotateAtMillis, other.caRotateAtMillis) && facts.equals(other.facts);
    }
}
