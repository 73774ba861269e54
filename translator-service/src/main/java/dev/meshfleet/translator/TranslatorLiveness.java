package dev.meshfleet.translator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the streams can no longer make progress by themselves (ERROR: the stream threads are gone): nothing
 * translates any more, and only a restart of the process brings them back. Kafka being away keeps them
 * REBALANCING, which is live (readiness says not ready).
 */
@Liveness
@ApplicationScoped
public class TranslatorLiveness implements HealthCheck {
    private final TranslatorStreams streams;

    TranslatorLiveness(TranslatorStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-streams-live").status(streams.live())
                .withData("state", String.valueOf(streams.state())).build();
    }
}
