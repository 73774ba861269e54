package dev.meshfleet.installer.work;

import java.time.Duration;

/** Exponential backoff for an unreachable cluster: initial, doubling per consecutive failure, capped at max. */
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
