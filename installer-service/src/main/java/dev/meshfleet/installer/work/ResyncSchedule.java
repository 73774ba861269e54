package dev.meshfleet.installer.work;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When in each resync period a cluster is resynced: at its own offset, a stable pseudo-random
 * function of its name, so that 1,000 clusters are spread evenly over the period instead of all
 * resynced at its start (a thundering herd of applies and lists on the workers and the clusters'
 * API servers). Pure: the timer asks at each tick which clusters fall due since the last one.
 */
public record ResyncSchedule(Duration period) {
    public ResyncSchedule {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("resync period must be positive, got " + period);
        }
    }

    /** How often the timer asks: often enough that a tick's share of clusters stays small, at most 1 s. */
    public Duration tick() {
        return Duration.ofMillis(Math.max(10, Math.min(1_000, period.toMillis() / 20)));
    }

    /** The cluster's offset within every period, in [0, period). */
    public long offsetMillis(String cluster) {
        // SplittableRandom mixes the seed: neighbouring names (cluster1, cluster2) land far apart.
        return new SplittableRandom(cluster.hashCode()).nextLong(period.toMillis());
    }

    /**
     * The clusters whose resync falls in (fromMillis, toMillis]; times since any fixed origin (the
     * timer's start). A window longer than the period returns every cluster once.
     */
    public List<String> dueBetween(Collection<String> clusters, long fromMillis, long toMillis) {
        long p = period.toMillis();
        if (toMillis - fromMillis >= p) {
            return List.copyOf(clusters);
        }
        return clusters.stream().filter(c -> crosses(offsetMillis(c), fromMillis, toMillis, p)).toList();
    }

    /** True when some time t = offset + k * period lies in (from, to]. */
    private static boolean crosses(long offset, long from, long to, long period) {
        // The last t <= to; it is due when it is also after from.
        long last = to - Math.floorMod(to - offset, period);
        return last > from;
    }
}
