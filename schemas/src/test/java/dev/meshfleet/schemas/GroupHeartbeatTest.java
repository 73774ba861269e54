package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A group member heartbeats every second, or a third of a shorter session (Kafka's bound). */
class GroupHeartbeatTest {

    @ParameterizedTest(name = "session {0} ms: heartbeat every {1} ms")
    @CsvSource({"20000, 1000", "6000, 1000", "3000, 1000", "2400, 800", "1500, 500", "2, 1"})
    void aThirdOfTheSessionAtMostOneSecond(long sessionMillis, int expectedMillis) {
        assertThat(GroupHeartbeat.intervalMillis(Duration.ofMillis(sessionMillis))).isEqualTo(expectedMillis);
    }
}
