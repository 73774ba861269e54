package dev.meshfleet.installer.health;

import java.time.Duration;

/**
 * When to look at a rolling-out installation's workloads again. A fixed poll makes every install
 * take at least one poll period even when the workloads are ready a moment after the apply; polling
 * again after as long as we have already waited (at least {@link #FIRST}, at most the configured
 * period) notices a fast rollout within a few tens of milliseconds and costs a slow one no more
 * than a handful of extra reads.
 */
public final class ReadinessPolling {
    /** The shortest wait: below it, re-reading the cluster costs more than it can gain. */
    public static final Duration FIRST = Duration.ofMillis(100);

    private ReadinessPolling() {
    }

    public static Duration next(Duration waitedSoFar, Duration max) {
        Duration waited = waitedSoFar.isNegative() ? Duration.ZERO : waitedSoFar;
        Duration delay = waited.compareTo(FIRST) < 0 ? FIRST : waited;
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
