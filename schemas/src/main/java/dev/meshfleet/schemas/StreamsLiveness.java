package dev.meshfleet.schemas;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a Kafka Streams client can still make progress by itself: the liveness rule of every service that
 * runs a topology. A client in ERROR (every stream thread dead, or the uncaught-exception handler asked for the
 * client's shutdown) never processes again; only a restart of the process brings it back, so liveness says DOWN
 * and Kubernetes restarts the pod. Kafka being away is not such a state: the client stays REBALANCING and carries
 * on when the broker is back (readiness says that).
 */
public final class StreamsLiveness {
    private StreamsLiveness() {
    }

    /**
     * @param state the client's state; null before the service created it
     * @param closing whether the service itself is closing the client (shutdown), when NOT_RUNNING is expected
     */
    public static boolean live(KafkaStreams.State state, boolean closing) {
        if (state == null) {
            return true;
        }
        return switch (state) {
            case CREATED, REBALANCING, RUNNING -> true;
            case PENDING_SHUTDOWN, NOT_RUNNING -> closing;
            case PENDING_ERROR, ERROR -> false;
        };
    }
}
