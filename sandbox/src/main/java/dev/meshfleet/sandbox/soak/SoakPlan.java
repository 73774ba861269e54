package dev.meshfleet.sandbox.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import dev.meshfleet.sandbox.faults.ProcessFaults;

/**
 * A soak's churn, drawn from a seed: spec changes and faults at random intervals over the duration. Pure: the
 * same seed, clusters, installers and duration give the same plan, so a soak that left something stuck can be
 * run again step for step.
 *
 * <p>A step comes {@link #MIN_GAP} to {@link #MAX_GAP} after the one before. One step in {@link #FAULT_ODDS} is a
 * fault: a kill of Kafka, a service or one installer replica (restarted {@link #RESTART_AFTER} later), or a pause
 * of one installer replica for {@link #MIN_PAUSE} to {@link #MAX_PAUSE} (briefly: well under the consumer session
 * timeout, so the replica keeps its clusters). The others change the specs with a kind drawn among those that
 * apply to the state: a tag within the minor, a minor change (with skipUpgradeValidation, which stays set so that a
 * later patch step cannot leave a skipped generation refused), up to {@link #MAX_CLUSTERS_PER_STEP} clusters added
 * to or removed from the ILM (removing them from the GLM too) or the GLM, the active gateway moved to the other
 * revision, the canary revision added or removed. The fleet's first cluster stays in both resources, so that
 * neither ever names no cluster.
 */
public final class SoakPlan {

    public static final Duration MIN_GAP = Duration.ofSeconds(5);
    public static final Duration MAX_GAP = Duration.ofSeconds(30);
    public static final int FAULT_ODDS = 4;
    public static final Duration RESTART_AFTER = Duration.ofSeconds(2);
    public static final Duration MIN_PAUSE = Duration.ofSeconds(2);
    public static final Duration MAX_PAUSE = Duration.ofSeconds(8);
    public static final int MAX_CLUSTERS_PER_STEP = 5;

    /** Tags by minor: a patch step moves within a list, a minor step to the other list. */
    static final List<List<String>> TAGS = List.of(List.of("1.24.2-solo", "1.24.3-solo"),
            List.of("1.25.1-solo", "1.25.2-solo"));

    private final long seed;
    private final SoakState initial;
    private final List<SoakStep> steps;

    private SoakPlan(long seed, SoakState initial, List<SoakStep> steps) {
        this.seed = seed;
        this.initial = initial;
        this.steps = List.copyOf(steps);
    }

    public static SoakPlan generate(long seed, List<String> clusters, int installers, Duration duration) {
        if (clusters.isEmpty() || installers < 1) {
            throw new IllegalArgumentException("a soak needs at least one cluster and one installer");
        }
        Random random = new Random(seed);
        SoakState initial = SoakState.initial(clusters);
        SoakState state = initial;
        List<String> services = new ArrayList<>(List.of(ProcessFaults.KAFKA, "spec-intake", "translator-service",
                "status-aggregator"));
        for (int i = 0; i < installers; i++) {
            services.add("installer-" + i);
        }
        List<SoakStep> steps = new ArrayList<>();
        Duration at = Duration.ZERO;
        while (true) {
            at = at.plus(between(random, MIN_GAP, MAX_GAP));
            if (at.compareTo(duration) >= 0) {
                break;
            }
            if (random.nextInt(FAULT_ODDS) == 0) {
                if (random.nextBoolean()) {
                    steps.add(new SoakStep.Kill(at, services.get(random.nextInt(services.size())), RESTART_AFTER));
                } else {
                    steps.add(new SoakStep.Pause(at, "installer-" + random.nextInt(installers),
                            between(random, MIN_PAUSE, MAX_PAUSE)));
                }
                continue;
            }
            SoakStep.SpecChange change = change(random, at, state, clusters);
            steps.add(change);
            state = change.after();
        }
        return new SoakPlan(seed, initial, steps);
    }

    private static SoakStep.SpecChange change(Random random, Duration at, SoakState s, List<String> fleet) {
        List<SoakStep.Change> possible = new ArrayList<>(List.of(SoakStep.Change.TAG_PATCH, SoakStep.Change.TAG_MINOR,
                SoakStep.Change.GATEWAY_MOVED, s.canary() ? SoakStep.Change.CANARY_REMOVED : SoakStep.Change.CANARY_ADDED));
        if (s.ilmClusters().size() < fleet.size()) {
            possible.add(SoakStep.Change.ILM_CLUSTERS_ADDED);
        }
        if (s.ilmClusters().size() > 1) {
            possible.add(SoakStep.Change.ILM_CLUSTERS_REMOVED);
        }
        if (s.glmClusters().size() < s.ilmClusters().size()) {
            possible.add(SoakStep.Change.GLM_CLUSTERS_ADDED);
        }
        if (s.glmClusters().size() > 1) {
            possible.add(SoakStep.Change.GLM_CLUSTERS_REMOVED);
        }
        SoakStep.Change kind = possible.get(random.nextInt(possible.size()));
        int minor = TAGS.get(0).contains(s.tag()) ? 0 : 1;
        return switch (kind) {
            case TAG_PATCH -> {
                String tag = other(TAGS.get(minor), s.tag());
                yield new SoakStep.SpecChange(at, kind, s.tag() + " -> " + tag, s.withTag(tag, s.skipUpgradeValidation()));
            }
            case TAG_MINOR -> {
                List<String> tags = TAGS.get(1 - minor);
                String tag = tags.get(random.nextInt(tags.size()));
                yield new SoakStep.SpecChange(at, kind, s.tag() + " -> " + tag + " (skipUpgradeValidation)",
                        s.withTag(tag, true));
            }
            case GATEWAY_MOVED -> new SoakStep.SpecChange(at, kind, "active gateway -> "
                    + (s.gatewayOn124() ? SoakState.CANARY_REVISION : SoakState.MAIN_REVISION),
                    s.withGatewayOn124(!s.gatewayOn124()));
            case CANARY_ADDED -> new SoakStep.SpecChange(at, kind, "revision " + SoakState.CANARY_REVISION + " on "
                    + s.ilmClusters().size() + " clusters", s.withCanary(true));
            case CANARY_REMOVED -> new SoakStep.SpecChange(at, kind, "revision " + SoakState.CANARY_REVISION,
                    s.withCanary(false));
            case ILM_CLUSTERS_ADDED -> {
                List<String> added = pick(random, minus(fleet, s.ilmClusters()));
                yield new SoakStep.SpecChange(at, kind, String.join(",", added),
                        s.withIlmClusters(inFleetOrder(fleet, s.ilmClusters(), added, List.of()), s.glmClusters()));
            }
            case ILM_CLUSTERS_REMOVED -> {
                List<String> removed = pick(random, minus(s.ilmClusters(), List.of(fleet.get(0))));
                yield new SoakStep.SpecChange(at, kind, String.join(",", removed),
                        s.withIlmClusters(inFleetOrder(fleet, s.ilmClusters(), List.of(), removed),
                                inFleetOrder(fleet, s.glmClusters(), List.of(), removed)));
            }
            case GLM_CLUSTERS_ADDED -> {
                List<String> added = pick(random, minus(s.ilmClusters(), s.glmClusters()));
                yield new SoakStep.SpecChange(at, kind, String.join(",", added),
                        s.withIlmClusters(s.ilmClusters(), inFleetOrder(fleet, s.glmClusters(), added, List.of())));
            }
            case GLM_CLUSTERS_REMOVED -> {
                List<String> removed = pick(random, minus(s.glmClusters(), List.of(fleet.get(0))));
                yield new SoakStep.SpecChange(at, kind, String.join(",", removed),
                        s.withIlmClusters(s.ilmClusters(), inFleetOrder(fleet, s.glmClusters(), List.of(), removed)));
            }
        };
    }

    /** 1 to MAX_CLUSTERS_PER_STEP of the candidates (at least one), at random. */
    private static List<String> pick(Random random, List<String> candidates) {
        List<String> pool = new ArrayList<>(candidates);
        int n = 1 + random.nextInt(Math.min(MAX_CLUSTERS_PER_STEP, pool.size()));
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(pool.remove(random.nextInt(pool.size())));
        }
        return picked;
    }

    private static List<String> minus(List<String> all, List<String> taken) {
        Set<String> t = Set.copyOf(taken);
        return all.stream().filter(c -> !t.contains(c)).toList();
    }

    /** (current + added - removed) in the fleet's order, so that a spec lists its clusters as a person would. */
    private static List<String> inFleetOrder(List<String> fleet, List<String> current, List<String> added,
            List<String> removed) {
        Set<String> members = new TreeSet<>(current);
        members.addAll(added);
        removed.forEach(members::remove);
        return fleet.stream().filter(members::contains).toList();
    }

    private static String other(List<String> tags, String tag) {
        return tags.get(0).equals(tag) ? tags.get(1) : tags.get(0);
    }

    private static Duration between(Random random, Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        // Whole seconds: the plan reads as a person would write it.
        return min.plusSeconds(random.nextLong(span / 1000 + 1));
    }

    public long seed() {
        return seed;
    }

    public SoakState initial() {
        return initial;
    }

    public List<SoakStep> steps() {
        return steps;
    }

    /** The specs after the last change: what every installation must have settled to at the end. */
    public SoakState finalState() {
        SoakState last = initial;
        for (SoakStep step : steps) {
            if (step instanceof SoakStep.SpecChange c) {
                last = c.after();
            }
        }
        return last;
    }

    /** One line per step, for the log and the golden test. */
    public List<String> describe() {
        return steps.stream().map(SoakStep::describe).toList();
    }
}
