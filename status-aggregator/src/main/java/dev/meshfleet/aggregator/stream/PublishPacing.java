package dev.meshfleet.aggregator.stream;

import java.time.Duration;

/**
 * How often one owner's whole status may be published while it changes: every {@code base} (200 ms) up to
 * {@value #CLUSTERS_PER_STEP} clusters, one more {@code base} per further {@value #CLUSTERS_PER_STEP}, and never
 * less often than {@link #LONGEST}. Pure.
 *
 * <p>A publish costs in proportion to the clusters the status names (its Avro record on {@code lifecycle-status},
 * the broker's copy, the resource's rendering and write): a 1,000-cluster rollout published five times a second
 * spent a fifth of the aggregator's CPU serializing the record (JFR, session 27). Paced, the cost per second stays
 * about that of a 200-cluster status; a 1,000-cluster resource still shows progress every second, and a small one
 * every 200 ms as before. Every installation event stays on {@code installation-events}: only intermediate
 * snapshots of a rollout are published fewer.
 */
public final class PublishPacing {
    /** Clusters per step of {@code base}. */
    public static final int CLUSTERS_PER_STEP = 200;
    /** The longest interval, whatever the status's size. */
    public static final Duration LONGEST = Duration.ofSeconds(2);

    private PublishPacing() {
    }

    /** The least time between two publishes of a status naming {@code clusters} clusters. */
    public static Duration interval(Duration base, int clusters) {
        long steps = Math.max(1, (clusters + CLUSTERS_PER_STEP - 1L) / CLUSTERS_PER_STEP);
        Duration paced = base.multipliedBy(steps);
        Duration capped = paced.compareTo(LONGEST) > 0 ? LONGEST : paced;
        // Never shorter than base itself, should base exceed the cap.
        return capped.compareTo(base) < 0 ? base : capped;
    }
}
