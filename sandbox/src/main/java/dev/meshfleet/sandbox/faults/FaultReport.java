package dev.meshfleet.sandbox.faults;

import java.time.Duration;

/**
 * The line the sandbox prints per fault and process at the end of a run: what was done, when, and what it
 * cost. A restarted process is compared with its own first start (the undisturbed cost of starting it); an
 * installer also says how it took its clusters back ({@link Resumption}): from its restart to its first event
 * and to its first event about the last of its clusters, the figures to hold against "back at work within
 * 10 s of its restart".
 */
public final class FaultReport {

    private FaultReport() {
    }

    /**
     * @param firstStart how long the process took to be ready at the fleet's start; null when not measured
     * @param resumption for an installer, how it took its clusters back since its restart; null when it is not an
     *        installer (or did not come back)
     */
    public static String line(FaultOutcome outcome, Duration firstStart, Resumption resumption) {
        return line(outcome, firstStart, null, resumption);
    }

    /** The CPU time a process had used when it was ready: at its first start and at its restart. */
    public record StartCpu(Duration firstStart, Duration restart) {
    }

    /**
     * As {@link #line(FaultOutcome, Duration, Resumption)}, with the CPU time the process used to be ready at its
     * restart and at its first start (null: not measured), which a loaded machine hardly changes.
     */
    public static String line(FaultOutcome outcome, Duration firstStart, StartCpu cpu, Resumption resumption) {
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
        if (cpu != null) {
            s.append(", ").append(FaultOutcome.time(cpu.restart())).append(" of CPU");
        }
        if (firstStart != null) {
            s.append(" (first start: ").append(FaultOutcome.time(firstStart));
            if (cpu != null) {
                s.append(", ").append(FaultOutcome.time(cpu.firstStart())).append(" of CPU");
            }
            s.append(')');
        }
        if (resumption != null) {
            s.append(resumed(resumption, k.ready()));
        }
        return s.toString();
    }

    private static String resumed(Resumption r, Duration ready) {
        if (r.resumed() == 0) {
            return r.reportedBefore() ? "; no event about any of the " + r.owned() + " clusters it had reported on since its"
                    + " restart" + takenOver(r) : "; no installation event, before its kill or since its restart";
        }
        return (r.reportedBefore() ? "; resumed " + r.resumed() + " of the " + r.owned() + " clusters it had reported on: "
                : "; reported on no cluster before its kill, on " + r.resumed() + " since its restart: ")
                + "first event " + FaultOutcome.time(r.first()) + ", the last of them " + FaultOutcome.time(r.last())
                + " after its restart (" + FaultOutcome.time(r.first().minus(ready)) + " and "
                + FaultOutcome.time(r.last().minus(ready)) + " after it was ready)" + takenOver(r);
    }

    private static String takenOver(Resumption r) {
        return r.takenOver() == 0 ? "" : " (" + r.takenOver() + " reported on by other replicas instead)";
    }
}
