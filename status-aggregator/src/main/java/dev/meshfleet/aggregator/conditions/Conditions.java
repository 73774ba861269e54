package dev.meshfleet.aggregator.conditions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.meshfleet.aggregator.fold.ClusterEntry;
import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.Summary;
import dev.meshfleet.aggregator.status.StatusDocument;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.state.Phase.Progress;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The standard {@code status.conditions} of an ILM or GLM from its folded status: how the state of every (cluster,
 * revision) sums up to the one answer {@code kubectl wait --for=condition=Ready}, Argo CD, Flux and kstatus ask for.
 * Pure: the previous conditions and the event times are data; no clock is read.
 *
 * <p>The installations counted are those not UNINSTALLED (a cluster dropped from the spec leaves an UNINSTALLED
 * entry that says nothing about the rest). Then, whatever the fleet size:
 * <ul>
 * <li>{@code Ready} is True when there is at least one, every one is HEALTHY, and the resource is not being deleted.
 *     False names the most severe state present (the order of the summary column).</li>
 * <li>{@code Progressing} is True while any is moving by itself (installing, updating, reconciling, uninstalling,
 *     a plan pending) or waits for something that will come (a cluster to register: PENDING, a control plane:
 *     NO_CONTROL_PLANE_AVAILABLE), and when nothing has been reported yet.</li>
 * <li>{@code Degraded} is True when any is failed, unhealthy, waits for a person (ACTION_REQUIRED) or is in a
 *     cluster that does not answer (UNKNOWN): one of a thousand is enough, the message says how many.</li>
 * <li>{@code Reconciling} and {@code Stalled} are kstatus' pair (the conditions Flux's health checks read):
 *     Reconciling is Progressing; Stalled is Degraded with nothing in progress, so waiting will not fix it.</li>
 * </ul>
 * The reason is the CamelCase name of the state (of the resource's kind) that decided it ({@code ClusterUnreachable} for UNKNOWN); the message
 * counts installations per state, most severe first, names a few of each and gives the first one's message, and is
 * at most {@value #MAX_MESSAGE} characters however many clusters there are.
 *
 * <p>{@code lastTransitionTime} changes only when the condition's status does (as {@code meta.SetStatusCondition}):
 * then it is the time of the newest event folded in, the event that made the change. {@code observedGeneration}
 * is the generation the folded status describes.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    /** Longest message written; Kubernetes allows 32768, a reader wants far less. */
    public static final int MAX_MESSAGE = 1024;
    /** Longest installation message quoted in a condition's message (the whole one is on the installation). */
    static final int QUOTED = 256;
    /** Installations named per state in a message. */
    static final int NAMED_PER_STATE = 3;

    /** Most severe first: the summary column's order. */
    private static final List<Phase> SEVERITY = Summary.SEVERITY;

    private Conditions() {
    }

    /**
     * @param status   the folded status
     * @param previous the conditions the resource shows now (empty for none)
     * @param created  when the resource was created: the transition time when no event was folded yet
     */
    public static List<Condition> of(Status status, List<Condition> previous, Instant created) {
        List<Named> counted = new ArrayList<>();
        boolean anyInstallation = false;
        for (Map.Entry<String, ClusterEntry> cluster : status.clusters().entrySet()) {
            for (Map.Entry<String, Installation> i : cluster.getValue().installations().entrySet()) {
                anyInstallation = true;
                if (i.getValue().phase() != Phase.UNINSTALLED) {
                    counted.add(new Named(StatusDocument.clusterKey(cluster.getKey()) + "/"
                            + StatusDocument.revisionKey(i.getKey()), i.getValue()));
                }
            }
        }
        Instant newest = status.installations().stream().mapToLong(Installation::updatedAt).max()
                .<Instant>stream().mapToObj(Instant::ofEpochMilli).findFirst().orElse(created);
        String counts = message(counted);
        ResourceKind kind = status.owner().kind();

        Optional<Phase> worst = worst(counted, p -> p != Phase.HEALTHY);
        Optional<Phase> moving = worst(counted, Conditions::progressing);
        Optional<Phase> failing = worst(counted, Conditions::degraded);

        Verdict ready;
        if (status.deleted()) {
            ready = new Verdict(false, "Deleting", counted.isEmpty() ? "deleted; every installation is uninstalled"
                    : "deleted; " + counts);
        } else if (counted.isEmpty()) {
            ready = anyInstallation ? new Verdict(false, "Uninstalled", "every installation is uninstalled")
                    : new Verdict(false, "Pending", "accepted; no installation reported yet");
        } else {
            ready = worst.map(p -> new Verdict(false, reason(p, kind), counts)).orElse(new Verdict(true, "Healthy", counts));
        }
        Verdict progressing = moving.map(p -> new Verdict(true, reason(p, kind), counts))
                .orElse(!anyInstallation && !status.deleted()
                        ? new Verdict(true, "Pending", "accepted; no installation reported yet")
                        : new Verdict(false, "Settled", counted.isEmpty() ? "nothing in progress" : counts));
        Verdict degraded = failing.map(p -> new Verdict(true, reason(p, kind), counts))
                .orElse(new Verdict(false, "NoFailures", counted.isEmpty() ? "no installation failing" : counts));
        Verdict stalled = degraded.status() && !progressing.status() ? degraded
                : new Verdict(false, progressing.status() ? progressing.reason() : "NotStalled", degraded.message());

        List<Condition> next = new ArrayList<>();
        next.add(condition(READY, ready, status, previous, newest));
        next.add(condition(PROGRESSING, progressing, status, previous, newest));
        next.add(condition(DEGRADED, degraded, status, previous, newest));
        next.add(condition(RECONCILING, progressing, status, previous, newest));
        next.add(condition(STALLED, stalled, status, previous, newest));
        return next;
    }

    /** Moving by itself, or waiting for something that will come by itself. */
    static boolean progressing(Phase phase) {
        return phase.progress() == Progress.IN_PROGRESS || phase == Phase.PENDING
                || phase == Phase.NO_CONTROL_PLANE_AVAILABLE;
    }

    /** Failed, unhealthy, waiting for a person, or in a cluster that does not answer. */
    public static boolean degraded(Phase phase) {
        return phase.progress() == Progress.FAILED || phase == Phase.UNKNOWN;
    }

    /** The reason of {@code phase} for the kind ({@link Reasons}). */
    static String reason(Phase phase, ResourceKind kind) {
        return Reasons.of(phase.state(kind));
    }

    private record Named(String name, Installation installation) {
    }

    private record Verdict(boolean status, String reason, String message) {
    }

    private static Condition condition(String type, Verdict verdict, Status status, List<Condition> previous,
            Instant newest) {
        Instant since = previous.stream().filter(c -> c.type().equals(type) && c.status() == verdict.status())
                .map(Condition::lastTransitionTime).findFirst().orElse(newest);
        return new Condition(type, verdict.status(), verdict.reason(), verdict.message(), status.observedGeneration(),
                since);
    }

    private static Optional<Phase> worst(List<Named> installations, java.util.function.Predicate<Phase> which) {
        return installations.stream().map(n -> n.installation().phase()).filter(which)
                .min(java.util.Comparator.comparingInt(SEVERITY::indexOf));
    }

    /**
     * "998 of 1000 installations HEALTHY; 1 CONTROL_PLANE_INSTALL_FAILED: cluster12/1-24 (readiness timed out);
     * 1 UNKNOWN: cluster7/1-24", states most severe first, at most {@value #NAMED_PER_STATE} names each.
     */
    static String message(List<Named> installations) {
        Map<Phase, List<Named>> byPhase = new EnumMap<>(Phase.class);
        installations.forEach(n -> byPhase.computeIfAbsent(n.installation().phase(), p -> new ArrayList<>()).add(n));
        int healthy = byPhase.getOrDefault(Phase.HEALTHY, List.of()).size();
        StringBuilder text = new StringBuilder().append(healthy).append(" of ").append(installations.size())
                .append(installations.size() == 1 ? " installation" : " installations").append(" HEALTHY");
        for (Phase phase : SEVERITY) {
            List<Named> these = byPhase.get(phase);
            if (phase == Phase.HEALTHY || these == null) {
                continue;
            }
            text.append("; ").append(these.size()).append(' ').append(these.get(0).installation().state().name())
                    .append(": ");
            for (int i = 0; i < Math.min(NAMED_PER_STATE, these.size()); i++) {
                Named named = these.get(i);
                text.append(i == 0 ? "" : ", ").append(named.name());
                if (i == 0 && !named.installation().message().isEmpty()) {
                    String said = named.installation().message();
                    text.append(" (").append(said.length() <= QUOTED ? said : said.substring(0, QUOTED - 3) + "...")
                            .append(')');
                }
            }
            if (these.size() > NAMED_PER_STATE) {
                text.append(" and ").append(these.size() - NAMED_PER_STATE).append(" more");
            }
        }
        return text.length() <= MAX_MESSAGE ? text.toString() : text.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
