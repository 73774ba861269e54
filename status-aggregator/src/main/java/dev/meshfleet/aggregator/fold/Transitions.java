package dev.meshfleet.aggregator.fold;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.schemas.state.Phase;

/**
 * The installation state machine of docs/states.md, as data: which phase an installer event may move
 * an installation to, from the phase it is in, <em>within one generation, one plan (plan hash) and one
 * installer epoch</em>. Phases are kind-independent ({@link Phase}), so ILM and GLM share the table;
 * GLM's INSTALLING_GATEWAY is {@link Phase#INSTALLING}, and so on. Each row is what the installer
 * really emits after that phase (installer README, "States it emits").
 *
 * <pre>
 * from                          -> allowed
 * (no entry yet)                -> anything: we may have missed the history (retention, late start)
 * INSTALL_PENDING               -> anything: the installer's first word on a plan (after a restart it
 *                                  reports what it finds: HEALTHY, UNHEALTHY, ...)
 * PENDING, UNKNOWN              -> anything: the cluster answers (or is registered) and the next
 *                                  reconcile reports what it finds
 * FAILED, CONTROLLER_INSTALL_FAILED, CONTROL_PLANE_INSTALL_FAILED, ACTION_REQUIRED
 *                               -> anything: retried at the next resync, which reports only its
 *                                  outcome (HEALTHY may follow a failure directly)
 * NO_CONTROL_PLANE_AVAILABLE    -> INSTALLING, UPDATING (the control plane appeared), waiting or
 *                                  failure states, removal; not HEALTHY/UNHEALTHY/RECONCILING, which
 *                                  need the gateway applied first
 * INSTALLING_CONTROLLER         -> INSTALLING (base applied), CONTROLLER_INSTALL_FAILED, failures,
 *                                  PENDING, removal; nothing else: the control-plane step is always
 *                                  reported before its apply
 * INSTALLING                    -> HEALTHY, UNHEALTHY (ready once, after a restart), RECONCILING (drift
 *                                  repaired while waiting), INSTALL_FAILED (refused, or timeout),
 *                                  failures, PENDING, removal; never INSTALLING_CONTROLLER
 * UPDATING, RECONCILING         -> HEALTHY, UNHEALTHY, UPDATING, RECONCILING, NO_CONTROL_PLANE_AVAILABLE,
 *                                  failures, PENDING, removal; never INSTALLING*: the installation is
 *                                  installed, a repair of the same plan is RECONCILING
 * HEALTHY, UNHEALTHY            -> the same as UPDATING: never INSTALLING* within one plan
 * UNINSTALLING                  -> UNINSTALLING, UNINSTALLED, failures; never back to installing or
 *                                  HEALTHY
 * UNINSTALLED                   -> anything, as INSTALL_PENDING: the installer forgets an installation
 *                                  once it reports it UNINSTALLED, so its next word on it is its first on
 *                                  a plan desired again (a plan record read again, a cluster registered
 *                                  again: INSTALLING*, or HEALTHY when the inventory it finds is in sync);
 *                                  the sequence already drops an older event of the same process
 * ("failures": FAILED, CONTROLLER_INSTALL_FAILED, CONTROL_PLANE_INSTALL_FAILED, ACTION_REQUIRED;
 *  "removal": UNINSTALLING, UNINSTALLED)
 * </pre>
 *
 * Rules around the table, applied by {@link StatusFold} before it:
 * <ul>
 * <li>UNKNOWN is reachable from every phase (a cluster can become unreachable at any time).</li>
 * <li>the installer never reports INSTALL_PENDING: only the translator plans.</li>
 * <li>an installer event for a newer generation than the entry's, for another plan than the entry's
 *     last installer event (a cross-resource claim released changes the plan, not the generation), or
 *     from a newer epoch than the entry's last installer event, is accepted whatever the phase: the
 *     installer that owns the cluster now is the authority on what is deployed for the plan it works on.</li>
 * <li>the translator only reports INSTALL_PENDING and FAILED; for a newer generation or another plan
 *     hash they restart the entry; for the plan the installer already reports they are ignored.</li>
 * </ul>
 * A move outside the table is ignored and logged as a warning (it points at a bug upstream).
 */
public final class Transitions {

    private static final Map<Phase, Set<Phase>> ALLOWED = table();

    private Transitions() {
    }

    /** Whether an installer event may move an installation from {@code from} to {@code to} within one generation. */
    public static boolean allows(Phase from, Phase to) {
        if (to == Phase.UNKNOWN) {
            return true;
        }
        return ALLOWED.get(from).contains(to);
    }

    /** The whole table (every phase is a key), for tests and documentation tools. */
    public static Map<Phase, Set<Phase>> asMap() {
        return ALLOWED;
    }

    private static Map<Phase, Set<Phase>> table() {
        Set<Phase> failures = EnumSet.of(Phase.FAILED, Phase.CONTROLLER_INSTALL_FAILED, Phase.INSTALL_FAILED,
                Phase.ACTION_REQUIRED);
        Set<Phase> removal = EnumSet.of(Phase.UNINSTALLING, Phase.UNINSTALLED);
        Set<Phase> anything = EnumSet.complementOf(EnumSet.of(Phase.INSTALL_PENDING));

        EnumMap<Phase, Set<Phase>> t = new EnumMap<>(Phase.class);
        for (Phase p : EnumSet.of(Phase.INSTALL_PENDING, Phase.PENDING, Phase.UNKNOWN, Phase.FAILED,
                Phase.CONTROLLER_INSTALL_FAILED, Phase.INSTALL_FAILED, Phase.ACTION_REQUIRED)) {
            t.put(p, anything);
        }
        t.put(Phase.NO_CONTROL_PLANE_AVAILABLE, union(failures, removal, Phase.PENDING,
                Phase.NO_CONTROL_PLANE_AVAILABLE, Phase.INSTALLING, Phase.UPDATING));
        t.put(Phase.INSTALLING_CONTROLLER, union(failures, removal, Phase.PENDING, Phase.INSTALLING_CONTROLLER,
                Phase.INSTALLING));
        t.put(Phase.INSTALLING, union(failures, removal, Phase.PENDING, Phase.INSTALLING, Phase.HEALTHY,
                Phase.UNHEALTHY, Phase.RECONCILING));
        Set<Phase> installed = union(failures, removal, Phase.PENDING, Phase.NO_CONTROL_PLANE_AVAILABLE,
                Phase.UPDATING, Phase.RECONCILING, Phase.HEALTHY, Phase.UNHEALTHY);
        for (Phase p : EnumSet.of(Phase.UPDATING, Phase.RECONCILING, Phase.HEALTHY, Phase.UNHEALTHY)) {
            t.put(p, installed);
        }
        t.put(Phase.UNINSTALLING, union(failures, removal));
        // Not terminal within a plan: see the table above; a stale event is dropped by its sequence.
        t.put(Phase.UNINSTALLED, anything);

        EnumMap<Phase, Set<Phase>> frozen = new EnumMap<>(Phase.class);
        t.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(EnumSet.copyOf(v))));
        if (frozen.size() != Phase.values().length) {
            throw new IllegalStateException("transition table misses a phase: " + EnumSet.complementOf(
                    EnumSet.copyOf(frozen.keySet())));
        }
        return Collections.unmodifiableMap(frozen);
    }

    private static Set<Phase> union(Set<Phase> a, Set<Phase> b, Phase... more) {
        Set<Phase> all = EnumSet.copyOf(a);
        all.addAll(b);
        all.addAll(java.util.Arrays.asList(more));
        return all;
    }
}
