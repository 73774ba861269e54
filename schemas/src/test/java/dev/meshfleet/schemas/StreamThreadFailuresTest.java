package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamThreadFailuresTest {

    /** Failure times in seconds (3 replacements within 60s allowed) -> the answers, R = replace, S = shut down. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0|R",
            "0 1 2|R R R",
            "0 1 2 3|R R R S",
            "0 1 2 3 4|R R R S S",
            // the oldest failure leaves the window at 60s: the fourth is again within the limit
            "0 1 2 60|R R R R",
            "0 1 2 59|R R R S",
            // a thread that fails once a minute or less often is always replaced
            "0 70 140 210 280|R R R R R",
            // a shut-down is not sticky in the policy: failures that stop and start again are counted afresh
            "0 1 2 3 200|R R R S R",
    })
    void aThreadIsReplacedUntilItFailsTooOftenWithinTheWindow(String seconds, String expected) {
        StreamThreadFailures policy = new StreamThreadFailures(3, Duration.ofSeconds(60));
        List<String> answers = new ArrayList<>();
        for (String s : seconds.split(" ")) {
            StreamThreadExceptionResponse r = policy.onFailure(Long.parseLong(s) * 1000);
            answers.add(r == StreamThreadExceptionResponse.REPLACE_THREAD ? "R" : "S");
        }
        assertThat(String.join(" ", answers)).isEqualTo(expected);
    }
}
