package dev.meshfleet.sandbox.faults;

import java.time.Duration;

/**
 * The line the sandbox prints per fault and process at the end of a run: what was done, when, and what it
 * cost. A restarted process is compared with its own first start (the undisturbed cost of starting it); an
 * installer also with the first installation event it sent after its restart, the moment it resumed its
 * clusters.
 */
public final class FaultReport {

    private FaultReport() {
    }

    /**
     * @param firstStart how long the process took to be ready at the fleet's start; null when not measured
     * @param firstEvent for an installer, its first installation event after the restart, counted from the
     *        restart; null when it sent none or is not an installer
     * @param installer whether the process is an installer replica (the only one whose events are looked for)
     */
    public static String line(FaultOutcome outcome, Duration firstStart, Duration firstEvent, boolean installer) {
        StringBuilder s = new StringBuilder("fault: ").append(outcome.fault().spec()).append(": ")
                .append(outcome.instance());
        if (outcome instanceof FaultOutcome.Paused p) {
            return s.append(" stopped at ").append(FaultOutcome.time(p.stoppedAt())).append(", continued at ")
                    .append(FaultOutcome.time(p.continuedAt())).toString();
        }
        FaultOutcome.Killed k = (FaultOutcome.Killed) outcome;
        s.append(" killed at ").append(FaultOutcome.time(k.killedAt())).append(", restarted at ")
                .append(FaultOutcome.time(k.restartedAt()));
        if (k.ready() == null) {
            return s.append(", did not come back: ").append(k.error()).toString();
        }
        s.append(", ready ").append(FaultOutcome.time(k.ready())).append(" after its restart");
        if (firstStart != null) {
            s.append(" (first start: ").append(FaultOutcome.time(firstStart)).append(')');
        }
        if (installer) {
            s.append(firstEvent == null ? "; no installation event since its restart"
                    : "; resumed its clusters (first installation event) " + FaultOutcome.time(firstEvent)
                            + " after its restart");
        }
        return s.toString();
    }
}
