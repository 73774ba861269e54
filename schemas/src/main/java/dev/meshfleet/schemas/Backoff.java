package dev.meshfleet.schemas;

import java.time.Duration;

/**
 * The one exponential backoff of Meshfleet: {@code initial} after the first consecutive failure,
 * doubling with each further one, capped at {@code max}. Used for an unreachable workload cluster
 * (installer), a key the intake could not handle (spec-intake's work queue) and a status write the
 * API server did not take (aggregator).
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** Delay before the next attempt after {@code failures} consecutive failures (1 = the first). */
    public Duration delay(int failures) {
        if (failures <= 1) {
            return initial;
        }
        // Doubling overflows a long after ~62 steps; the cap is reached long before for sane configs.
        int shift = Math.min(failures - 1, 30);
        Duration d = initial.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
