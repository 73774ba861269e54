package dev.meshfleet.translator;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranslatorLivenessTest {

    @ParameterizedTest(name = "streams {0} -> {1}")
    @CsvSource({"RUNNING, UP", "REBALANCING, UP", "ERROR, DOWN", "PENDING_ERROR, DOWN", "NOT_RUNNING, DOWN"})
    void livenessIsDownOnceTheStreamsCanNoLongerTranslate(KafkaStreams.State state, HealthCheckResponse.Status status) {
        TranslatorStreams streams = new TranslatorStreams(null, dev.meshfleet.schemas.KafkaClientSettings.bootstrap("127.0.0.1:9")) {
            @Override
            public KafkaStreams.State state() {
                return state;
            }
        };
        HealthCheckResponse r = new TranslatorLiveness(streams).call();
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("state", state.name()));
    }
}
