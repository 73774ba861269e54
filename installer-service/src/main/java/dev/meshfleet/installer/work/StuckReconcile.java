package dev.meshfleet.installer.work;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When the reconcile loop is stuck: a reconcile that has run far longer than any reconcile may (each request to
 * a workload cluster is bounded by the request timeout, and waiting is a re-queue, never a blocked worker), so a
 * worker is hung for good (a deadlock, a call without a timeout). Its cluster is never reconciled again, and
 * once every worker hangs nothing is; only a restart of the process frees them.
 */
public final class StuckReconcile {
    private StuckReconcile() {
    }

    /** The longest-running reconcile over {@code limit}, described for the liveness check; empty when none is. */
    public static Optional<String> verdict(Map<String, Duration> running, Duration limit) {
        return running.entrySet().stream().filter(e -> e.getValue().compareTo(limit) > 0)
                .max(Map.Entry.<String, Duration>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> "the reconcile of cluster " + e.getKey() + " has run for " + e.getValue().toSeconds()
                        + "s, over the " + limit.toSeconds() + "s after which a reconcile is stuck");
    }
}
