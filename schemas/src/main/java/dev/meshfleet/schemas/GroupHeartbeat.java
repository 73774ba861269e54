package dev.meshfleet.schemas;

import java.time.Duration;

/**
 * How often a consumer group member heartbeats, for the session it has: a third of the session (Kafka's bound), at
 * most 1 s. Pure.
 *
 * <p>A member learns from its heartbeat that its group rebalances, and a cooperative rebalance (a replica added,
 * removed or restarted; a Streams instance back) takes two rounds, each waiting for every member to rejoin: at
 * Kafka's 3 s default, partitions a member gave up stayed unowned about 3 s (the first step of a 4-replica sandbox,
 * session 27). A heartbeat a second costs the broker one small request per member and second.
 */
public final class GroupHeartbeat {
    private GroupHeartbeat() {
    }

    /** {@code heartbeat.interval.ms} for {@code session}. */
    public static int intervalMillis(Duration session) {
        return (int) Math.max(1, Math.min(1000, session.toMillis() / 3));
    }
}
