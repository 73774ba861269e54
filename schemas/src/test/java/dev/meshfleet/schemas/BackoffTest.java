package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void delayStartsAtInitialAndDoublesPerConsecutiveFailure() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void delayIsCappedAtMaxEvenAfterManyFailures() {
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void millisecondDelaysDoubleAsWell() {
        Backoff intake = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(60));
        assertThat(intake.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(intake.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(intake.delay(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(intake.delay(20)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFirstFailureOrLessWaitsTheInitialDelay() {
        assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMaxBelowInitialOrANonPositiveInitialIsRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
