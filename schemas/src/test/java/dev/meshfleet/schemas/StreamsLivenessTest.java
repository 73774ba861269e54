package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamsLivenessTest {

    @ParameterizedTest(name = "{0}, closing by the service: {1} -> live {2}")
    @CsvSource({
            "CREATED, false, true",
            "REBALANCING, false, true",
            "RUNNING, false, true",
            "PENDING_ERROR, false, false",
            "ERROR, false, false",
            "ERROR, true, false",
            "PENDING_SHUTDOWN, false, false",
            "NOT_RUNNING, false, false",
            "PENDING_SHUTDOWN, true, true",
            "NOT_RUNNING, true, true",
    })
    void aClientThatCanNoLongerProcessByItselfIsNotLive(State state, boolean closing, boolean live) {
        assertThat(StreamsLiveness.live(state, closing)).isEqualTo(live);
    }

    @org.junit.jupiter.api.Test
    void aServiceThatHasNotCreatedItsClientYetIsLive() {
        assertThat(StreamsLiveness.live(null, false)).isTrue();
    }
}
