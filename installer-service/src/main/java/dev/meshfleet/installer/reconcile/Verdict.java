package dev.meshfleet.installer.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.health.ReadinessPolling;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.schemas.state.Phase;

/**
 * What to report for an installation whose plan is applied, and what to do next: the pure rules of
 * health timing, apart from the cluster calls and the event emission around them (as the
 * aggregator's StatusFold is apart from Kafka Streams). {@link #decide} takes the plan, the
 * inventory (when it was applied, whether it was ever ready), the workloads' health, what was
 * reported last for the installation (null: nothing yet) and the time; it answers the state, its message and
 * observed operator, whether to record in the inventory that the plan is ready now, since when the
 * installation has been waiting (null: not waiting), and when to look again (null: at the next
 * change or resync).
 */
public record Verdict(Phase phase, String message, String observedOperatorJson, boolean recordReadySince,
        Instant waitingSince, Duration next) {

    private static final Set<Phase> IN_PROGRESS = EnumSet.of(Phase.INSTALLING, Phase.UPDATING,
            Phase.INSTALLING_CONTROLLER, Phase.RECONCILING);

    public static Verdict decide(Plan plan, Inventory inventory, Health health, LastReport previous, Instant now,
            Duration readinessPoll) {
        String operator = inventory.observedOperatorJson();
        if (health instanceof Health.Ready) {
            // Written once per plan: after a restart, not ready then means broken, not still installing.
            return new Verdict(Phase.HEALTHY, "", operator, inventory.readySince() == null, null, null);
        }
        String reasons = ((Health.NotReady) health).summary();
        Phase current = previous == null || !plan.planHash().equals(previous.planHash()) ? null : previous.phase();
        if (current == Phase.INSTALL_FAILED) {
            // Timed out already; the next resync looks again and reports HEALTHY if it recovered.
            return new Verdict(Phase.INSTALL_FAILED, previous.message(), operator, false, null, null);
        }
        boolean inProgress = IN_PROGRESS.contains(current);
        if (!inProgress && (current == Phase.HEALTHY || current == Phase.UNHEALTHY || inventory.readySince() != null)) {
            // It was ready once (this process saw it, or the inventory says so): broken, not installing.
            return new Verdict(Phase.UNHEALTHY, "workloads not ready: " + reasons, operator, false, null, readinessPoll);
        }
        // Never ready: still coming up, timed from when this process began waiting, or else from the apply.
        Instant since = inProgress && previous.since() != null ? previous.since()
                : inventory.appliedAt() != null ? inventory.appliedAt() : now;
        if (!now.isBefore(since.plus(plan.waitTimeout()))) {
            return new Verdict(Phase.INSTALL_FAILED, "not ready within " + plan.waitTimeout().toSeconds()
                    + "s (istioController.waitForResourcesTimeout): " + reasons, operator, false, null, null);
        }
        Phase waiting = current == Phase.UPDATING || current == Phase.RECONCILING ? current : Phase.INSTALLING;
        // The spec is reported as observed once it is running, not while it rolls out (a repair runs it already).
        return new Verdict(waiting,
                waiting == Phase.RECONCILING ? previous.message() : "waiting for " + ((Health.NotReady) health).awaiting(),
                waiting == Phase.RECONCILING ? operator : previous == null ? null : previous.observedOperatorJson(),
                false, since, ReadinessPolling.next(Duration.between(since, now), readinessPoll));
    }
}
