package dev.meshfleet.aggregator.fold;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.schemas.state.Phase;

/**
 * The installation state machine of DESIGN.md, as data: which phase an installer event may move an
 * installation to, from the phase it is in, <em>within one generation and one installer epoch</em>.
 * Phases are kind-independent ({@link Phase}), so ILM and GLM share the table; GLM's
 * INSTALLING_GATEWAY is {@link Phase#INSTALLING}, and so on.
 *
 * <pre>
 * from                          -> allowed (same generation, same or older installer epoch)
 * (no entry yet)                -> anything: we may have missed the history (retention, late start)
 * INSTALL_PENDING               -> anything but INSTALL_PENDING: the installer picked the plan up
 * PENDING                       -> anything but INSTALL_PENDING: the cluster appeared (or did not)
 * NO_CONTROL_PLANE_AVAILABLE    -> anything but INSTALL_PENDING: a control plane appeared
 * INSTALLING_CONTROLLER         -> anything but INSTALL_PENDING (steps may be skipped when readiness
 *                                  is seen before the next step was reported)
 * INSTALLING (control plane /   -> anything but INSTALL_PENDING, INSTALLING_CONTROLLER
 *   gateway)
 * HEALTHY                       -> UPDATING, RECONCILING, UNHEALTHY, UNKNOWN, failures, ACTION_REQUIRED,
 *                                  PENDING, NO_CONTROL_PLANE_AVAILABLE, UNINSTALLING, UNINSTALLED, HEALTHY;
 *                                  not INSTALLING*: a healthy installation of this generation is not
 *                                  installed again (drift repair is RECONCILING)
 * UPDATING, RECONCILING         -> anything but INSTALL_PENDING (an update re-applies every layer)
 * UNHEALTHY, UNKNOWN            -> anything but INSTALL_PENDING: each returns to HEALTHY, or the
 *                                  retry on resync installs again
 * FAILED, CONTROLLER_INSTALL_FAILED, CONTROL_PLANE_INSTALL_FAILED, ACTION_REQUIRED
 *                               -> anything but INSTALL_PENDING: retried on the next resync
 * UNINSTALLING                  -> UNINSTALLING, UNINSTALLED, UNKNOWN, failures, ACTION_REQUIRED;
 *                                  never back to installing or HEALTHY in the same generation
 * UNINSTALLED                   -> UNINSTALLED, UNKNOWN; it stays in the status until the owner is
 *                                  re-created or a new generation installs it again
 * </pre>
 *
 * Rules around the table, applied by {@link StatusFold} before it:
 * <ul>
 * <li>UNKNOWN is reachable from every phase (a cluster can become unreachable at any time).</li>
 * <li>the installer never reports INSTALL_PENDING: only the translator plans.</li>
 * <li>an installer event for a newer generation than the entry's, or from a newer epoch than the
 *     entry's last installer event, is accepted whatever the phase: the installer that owns the
 *     cluster now is the authority on what is deployed for the plan it works on.</li>
 * <li>the translator only reports INSTALL_PENDING and FAILED; for a newer generation or another plan
 *     hash they restart the entry; for the plan the installer already reports they are ignored.</li>
 * </ul>
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
        Set<Phase> anythingButPlanning = EnumSet.complementOf(EnumSet.of(Phase.INSTALL_PENDING));

        EnumMap<Phase, Set<Phase>> t = new EnumMap<>(Phase.class);
        for (Phase p : EnumSet.of(Phase.INSTALL_PENDING, Phase.PENDING, Phase.NO_CONTROL_PLANE_AVAILABLE,
                Phase.INSTALLING_CONTROLLER, Phase.UPDATING, Phase.RECONCILING, Phase.UNHEALTHY, Phase.UNKNOWN,
                Phase.FAILED, Phase.CONTROLLER_INSTALL_FAILED, Phase.INSTALL_FAILED, Phase.ACTION_REQUIRED)) {
            t.put(p, anythingButPlanning);
        }
        t.put(Phase.INSTALLING, EnumSet.complementOf(EnumSet.of(Phase.INSTALL_PENDING, Phase.INSTALLING_CONTROLLER)));

        Set<Phase> fromHealthy = EnumSet.of(Phase.HEALTHY, Phase.UPDATING, Phase.RECONCILING, Phase.UNHEALTHY,
                Phase.UNKNOWN, Phase.PENDING, Phase.NO_CONTROL_PLANE_AVAILABLE, Phase.UNINSTALLING,
                Phase.UNINSTALLED);
        fromHealthy.addAll(failures);
        t.put(Phase.HEALTHY, fromHealthy);

        Set<Phase> fromUninstalling = EnumSet.of(Phase.UNINSTALLING, Phase.UNINSTALLED, Phase.UNKNOWN);
        fromUninstalling.addAll(failures);
        t.put(Phase.UNINSTALLING, fromUninstalling);

        t.put(Phase.UNINSTALLED, EnumSet.of(Phase.UNINSTALLED, Phase.UNKNOWN));

        EnumMap<Phase, Set<Phase>> frozen = new EnumMap<>(Phase.class);
        t.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(EnumSet.copyOf(v))));
        if (frozen.size() != Phase.values().length) {
            throw new IllegalStateException("transition table misses a phase: " + EnumSet.complementOf(
                    EnumSet.copyOf(frozen.keySet())));
        }
        return Collections.unmodifiableMap(frozen);
    }
}
