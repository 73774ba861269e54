package dev.meshfleet.translator;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the streams run (RUNNING, or REBALANCING after a first RUNNING); that needs Kafka. */
@Readiness
@ApplicationScoped
public class TranslatorReadiness implements HealthCheck {
    private final TranslatorStreams streams;

    TranslatorReadiness(TranslatorStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean up = streams.ready();
        return HealthCheckResponse.named("kafka-streams").status(up).withData("state", String.valueOf(state)).build();
    }
}
