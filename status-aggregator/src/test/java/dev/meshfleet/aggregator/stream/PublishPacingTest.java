package dev.meshfleet.aggregator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishPacingTest {

    @ParameterizedTest(name = "{1} clusters at {0} ms: every {2} ms")
    @CsvSource({
            "200, 0, 200",
            "200, 2, 200",
            "200, 200, 200",
            "200, 201, 400",
            "200, 1000, 1000",
            "200, 2000, 2000",
            "200, 10000, 2000",
            "100, 1000, 500",
            "3000, 1, 3000",
            "3000, 1000, 3000"})
    void aStatusIsPublishedLessOftenTheMoreClustersItNames(long baseMillis, int clusters, long expectedMillis) {
        assertThat(PublishPacing.interval(Duration.ofMillis(baseMillis), clusters))
                .isEqualTo(Duration.ofMillis(expectedMillis));
    }
}
