package dev.meshfleet.aggregator.fold;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.aggregator.fold.FoldOutcome.Reason;
import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/**
 * {@code (status, event) -> status}: the one place where installation events become the status of
 * an ILM or GLM. Pure: no Kafka, no Kubernetes, no clock. The order of the checks is the
 * documentation; the state machine itself is {@link Transitions}.
 *
 * <ol>
 * <li>An event about another uid than the status' owner: if it is not older than what we hold, the
 *     owner was re-created and the status starts over (this is how UNINSTALLED entries of the old
 *     resource leave); otherwise it is about the previous resource and ignored.</li>
 * <li>A state name the kind does not have, or a source that is neither the translator nor an
 *     installer, is ignored.</li>
 * <li>Installer events: per cluster the newest epoch wins; an older epoch is dropped.</li>
 * <li>Older generation than the installation's: dropped. A translator FAILED older than the owner's
 *     newest generation is dropped too (that newer generation cleared such failures).</li>
 * <li>Same source and epoch with a sequence not greater than the last folded: dropped.</li>
 * <li>Translator INSTALL_PENDING / FAILED for a newer generation or another plan hash restart the
 *     installation; for the same plan that the installer already reports they are ignored.</li>
 * <li>Installer events for a newer generation, for another plan than the installer last reported,
 *     or from a newer epoch, are accepted; otherwise the transition must be in {@link Transitions}.</li>
 * <li>Once an event of generation g is folded, translator failures of generations older than g
 *     are removed: a later good generation clears them.</li>
 * </ol>
 * observedGeneration is the newest generation of any folded event.
 */
public final class StatusFold {

    private StatusFold() {
    }

    /** Folds all events in order, starting from {@code status} (null for none). */
    public static Status foldAll(Status status, Iterable<Event> events) {
        Status current = status;
        for (Event event : events) {
            current = fold(current, event).status();
        }
        return current;
    }

    public static FoldOutcome fold(Status status, Event event) {
        Status current = status == null ? Status.empty(event.owner()) : status;

        String heldUid = current.owner().uid();
        String eventUid = event.owner().uid();
        if (!heldUid.isEmpty() && !eventUid.isEmpty() && !heldUid.equals(eventUid)) {
            if (event.timeMillis() < current.newestUpdate()) {
                return new Ignored(current, Reason.PREVIOUS_INCARNATION,
                        "event for uid " + eventUid + " is older than the status of uid " + heldUid);
            }
            current = Status.empty(event.owner());
        } else if (heldUid.isEmpty() && !eventUid.isEmpty()) {
            current = new Status(event.owner(), current.observedGeneration(), current.clusters(), current.deleted());
        }

        InstallationState next;
        try {
            next = InstallationState.of(current.owner().kind(), event.state());
        } catch (IllegalArgumentException e) {
            return new Ignored(current, Reason.UNKNOWN_STATE,
                    "'" + event.state() + "' is not a " + current.owner().kind() + " state");
        }
        if (!event.fromInstaller() && !event.fromTranslator()) {
            return new Ignored(current, Reason.UNKNOWN_SOURCE, "source '" + event.source() + "'");
        }

        if (event.fromInstaller()) {
            long clusterEpoch = current.installerEpoch(event.cluster());
            if (event.sourceEpoch() < clusterEpoch) {
                return new Ignored(current, Reason.STALE_EPOCH,
                        "epoch " + event.sourceEpoch() + " < " + clusterEpoch + " for cluster " + event.cluster());
            }
            // The newer epoch is remembered even if this event is dropped below: its existence alone
            // makes the older replica's events stale.
            current = withClusterEpoch(current, event.cluster(), event.sourceEpoch());
        }

        Installation before = current.installation(event.cluster(), event.revision()).orElse(null);
        Reason refusal = event.fromTranslator() ? checkTranslator(current, before, event, next.phase())
                : checkInstaller(current, before, event, next.phase());
        if (refusal != null) {
            return new Ignored(current, refusal, describe(before, event));
        }

        Installation after = Installation.of(next, event, before);
        return new Applied(put(current, event, after), before, after);
    }

    private static Reason checkTranslator(Status status, Installation before, Event event, Phase next) {
        if (next != Phase.INSTALL_PENDING && next != Phase.FAILED) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (next == Phase.FAILED && event.generation() < status.observedGeneration()) {
            // A newer generation was folded already, and folding it cleared older translation
            // failures; letting this one in would make the result depend on arrival order.
            return Reason.STALE_GENERATION;
        }
        if (before == null) {
            return null;
        }
        Reason seen = staleOrDuplicate(before, event);
        if (seen != null) {
            return seen;
        }
        boolean samePlan = event.generation() == before.generation() && event.planHash().equals(before.planHash());
        if (samePlan && !Event.TRANSLATOR.equals(before.source())) {
            return Reason.ALREADY_REPORTED;
        }
        return null;
    }

    /** What every source's events are checked for: an older generation, or already folded from that source. */
    private static Reason staleOrDuplicate(Installation before, Event event) {
        if (event.generation() < before.generation()) {
            return Reason.STALE_GENERATION;
        }
        if (new EventOrder(event.source(), event.sourceEpoch(), event.sequence())
                .replays(new EventOrder(before.source(), before.sourceEpoch(), before.sequence()))) {
            return Reason.DUPLICATE;
        }
        return null;
    }

    private static Reason checkInstaller(Status status, Installation before, Event event, Phase next) {
        if (next == Phase.INSTALL_PENDING) {
            return Reason.ILLEGAL_TRANSITION;
        }
        if (before == null) {
            return null;
        }
        if (removalOfAnInstallationNoLongerDesired(status, before, event, next)) {
            return null;
        }
        Reason seen = staleOrDuplicate(before, event);
        if (seen != null) {
            return seen;
        }
        if (event.generation() > before.generation()) {
            return null;
        }
        boolean beforeFromInstaller = before.source().startsWith(Event.INSTALLER_PREFIX);
        if (beforeFromInstaller && event.sourceEpoch() > before.sourceEpoch()) {
            return null;
        }
        if (beforeFromInstaller && !event.planHash().equals(before.planHash())) {
            // Another plan of the same generation (a cross-resource claim released, ADR 0005): the
            // installer starts over on it, as for a new generation.
            return null;
        }
        return Transitions.allows(before.phase(), next) ? null : Reason.ILLEGAL_TRANSITION;
    }

    /**
     * An uninstall the installer reports under the generation it last applied (its inventory's), of an installation
     * whose last word is the translator's INSTALL_PENDING of a newer generation that a still newer one did not renew:
     * the spec named the installation again and then dropped it before the installer acted on it, so the installer
     * went straight from what it had applied to removing it. Its events are older by generation, yet they are the
     * last that will ever come for the installation; dropped as stale, it would stay INSTALL_PENDING for good.
     * Every installation a generation names gets an INSTALL_PENDING of that generation, and the translator writes
     * them before the plans the installer reads, so an installation left behind at an older generation than the
     * status observes is one the newer spec no longer names.
     */
    private static boolean removalOfAnInstallationNoLongerDesired(Status status, Installation before, Event event,
            Phase next) {
        return (next == Phase.UNINSTALLING || next == Phase.UNINSTALLED)
                && Event.TRANSLATOR.equals(before.source()) && before.phase() == Phase.INSTALL_PENDING
                && before.generation() < status.observedGeneration() && event.generation() < before.generation();
    }

    private static Status withClusterEpoch(Status status, String cluster, long epoch) {
        ClusterEntry entry = status.clusters().get(cluster);
        if (entry != null && entry.installerEpoch() >= epoch) {
            return status;
        }
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>(status.clusters());
        clusters.put(cluster, (entry == null ? ClusterEntry.empty() : entry).withEpoch(epoch));
        return new Status(status.owner(), status.observedGeneration(), clusters, status.deleted());
    }

    private static Status put(Status status, Event event, Installation installation) {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>(status.clusters());
        // A later good generation clears translation failures of the generations before it. An entry
        // with nothing to clear is kept as the same object: the stream persists only the entries that
        // changed (by identity), so an event costs one cluster's record, not the whole status.
        // Only a generation newer than any folded can find one: when the observed generation was raised, the
        // failures before it were cleared, and none older is let in since (checkTranslator). So the events of
        // a generation already seen (nearly all of a rollout's, and every re-emission) skip the sweep.
        boolean swept = event.generation() > status.observedGeneration();
        if (swept) {
            clusters.replaceAll((cluster, entry) -> withoutFailuresBefore(entry, event.generation()));
        }
        ClusterEntry entry = clusters.getOrDefault(event.cluster(), ClusterEntry.empty());
        ClusterEntry next = entry.with(event.revision(), installation, event.fromInstaller() ? event.sourceEpoch() : 0);
        // A cluster left with neither installations nor an installer epoch carries nothing worth keeping. Without a
        // sweep only the event's cluster changed: every other entry is as the last fold left it, and none of those
        // is empty. Scanning them all at every event was half the aggregator's CPU at rest at 1,000 clusters.
        if (swept) {
            clusters.put(event.cluster(), next);
            clusters.values().removeIf(StatusFold::carriesNothing);
        } else if (carriesNothing(next)) {
            clusters.remove(event.cluster());
        } else {
            clusters.put(event.cluster(), next);
        }
        return new Status(status.owner(), Math.max(status.observedGeneration(), event.generation()), clusters,
                status.deleted());
    }

    private static boolean carriesNothing(ClusterEntry entry) {
        return entry.installations().isEmpty() && entry.installerEpoch() == 0;
    }

    private static ClusterEntry withoutFailuresBefore(ClusterEntry entry, long generation) {
        boolean anyCleared = entry.installations().values().stream()
                .anyMatch(i -> i.isTranslationFailure() && i.generation() < generation);
        if (!anyCleared) {
            return entry;
        }
        SortedMap<String, Installation> kept = new TreeMap<>();
        entry.installations().forEach((revision, i) -> {
            if (!(i.isTranslationFailure() && i.generation() < generation)) {
                kept.put(revision, i);
            }
        });
        return new ClusterEntry(kept, entry.installerEpoch());
    }

    private static String describe(Installation before, Event event) {
        String held = before == null ? "nothing"
                : before.state().name() + " (generation " + before.generation() + ", " + before.source() + " epoch "
                        + before.sourceEpoch() + " #" + before.sequence() + ")";
        return event.state() + " (generation " + event.generation() + ", " + event.source() + " epoch "
                + event.sourceEpoch() + " #" + event.sequence() + ") over " + held;
    }
}
