package dev.meshfleet.aggregator.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.aggregator.stream.StreamsLifecycle;

class AggregatorLivenessTest {

    @ParameterizedTest(name = "stream {0} -> {1}")
    @CsvSource({"RUNNING, UP", "REBALANCING, UP", "ERROR, DOWN", "PENDING_ERROR, DOWN", "NOT_RUNNING, DOWN"})
    void livenessIsDownOnceTheStreamCanNoLongerFoldStatuses(KafkaStreams.State state, HealthCheckResponse.Status status) {
        AggregatorLiveness check = new AggregatorLiveness();
        check.streams = new StreamsLifecycle() {
            @Override
            public KafkaStreams.State state() {
                return state;
            }
        };
        HealthCheckResponse r = check.call();
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("streams", state.name()));
    }
}
