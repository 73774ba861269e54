package dev.meshfleet.sandbox.faults;

import java.time.Duration;
import java.time.Instant;

import dev.meshfleet.sandbox.Sandbox;

/** What a fault did to one process; times count from the start of the first step. */
public sealed interface FaultOutcome {

    ProcessFault fault();

    String instance();

    /**
     * Killed at {@code killedAt}, started again at {@code restartedAt} (the instant {@code restarted}); ready
     * {@code ready} after that, or null with {@code error} when it did not come back.
     */
    record Killed(ProcessFault fault, String instance, Duration killedAt, Duration restartedAt, Instant restarted,
            Duration ready, String error) implements FaultOutcome {
    }

    /** SIGSTOP at {@code stoppedAt}, SIGCONT at {@code continuedAt}. */
    record Paused(ProcessFault fault, String instance, Duration stoppedAt, Duration continuedAt) implements FaultOutcome {
    }

    static String time(Duration d) {
        return Sandbox.elapsed(d);
    }
}
