package dev.meshfleet.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.meshfleet.aggregator.stream.StreamsLifecycle;

/**
 * DOWN once the stream can no longer make progress by itself (ERROR: its threads are gone and none replaces
 * them): no status would be folded or written any more, and only a restart of the process brings it back.
 * Kafka or the management API being away is readiness, not liveness.
 */
@Liveness
@ApplicationScoped
public class AggregatorLiveness implements HealthCheck {

    @Inject
    StreamsLifecycle streams;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("status-aggregator-streams-live").status(streams.live())
                .withData("streams", String.valueOf(streams.state())).build();
    }
}
