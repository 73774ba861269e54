package dev.meshfleet.aggregator.fold;

import java.util.List;

import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * Roll-up for the printer columns: {@code healthy} of {@code total} installations are HEALTHY, and
 * {@code state} is the most severe state present.
 *
 * <p>Severity, most severe first (the first phase present names the summary):
 * <ol>
 * <li>failed: FAILED, CONTROLLER_INSTALL_FAILED, CONTROL_PLANE_INSTALL_FAILED (a spec or an apply is wrong)</li>
 * <li>ACTION_REQUIRED (a person must act)</li>
 * <li>UNHEALTHY (installed, workloads not ready)</li>
 * <li>UNKNOWN (cluster unreachable)</li>
 * <li>in progress: UNINSTALLING, UPDATING, RECONCILING, INSTALLING, INSTALLING_CONTROLLER, INSTALL_PENDING</li>
 * <li>waiting: NO_CONTROL_PLANE_AVAILABLE, PENDING</li>
 * <li>HEALTHY</li>
 * <li>UNINSTALLED</li>
 * </ol>
 * So all HEALTHY gives HEALTHY, all UNINSTALLED gives UNINSTALLED_*, and uninstalled leftovers
 * (a cluster removed from the spec) do not hide the health of the rest. No installation at all
 * gives PENDING: accepted, nothing reported yet.
 */
public record Summary(String state, int healthy, int total) {

    /** Most severe first (the conditions name the most severe state present in this order too). */
    public static final List<Phase> SEVERITY = List.of(
            Phase.FAILED, Phase.CONTROLLER_INSTALL_FAILED, Phase.INSTALL_FAILED,
            Phase.ACTION_REQUIRED,
            Phase.UNHEALTHY,
            Phase.UNKNOWN,
            Phase.UNINSTALLING, Phase.UPDATING, Phase.RECONCILING, Phase.INSTALLING, Phase.INSTALLING_CONTROLLER,
            Phase.INSTALL_PENDING,
            Phase.NO_CONTROL_PLANE_AVAILABLE, Phase.PENDING,
            Phase.HEALTHY,
            Phase.UNINSTALLED);

    static Summary of(ResourceKind kind, Iterable<Installation> installations) {
        int healthy = 0;
        int total = 0;
        InstallationState worst = null;
        for (Installation installation : installations) {
            total++;
            if (installation.phase() == Phase.HEALTHY) {
                healthy++;
            }
            if (worst == null || SEVERITY.indexOf(installation.phase()) < SEVERITY.indexOf(worst.phase())) {
                worst = installation.state();
            }
        }
        String state = worst == null ? Phase.PENDING.state(kind).name() : worst.name();
        return new Summary(state, healthy, total);
    }

    /** "n/m" as the HEALTHY printer column shows it. */
    public String healthyOfTotal() {
        return healthy + "/" + total;
    }
}
