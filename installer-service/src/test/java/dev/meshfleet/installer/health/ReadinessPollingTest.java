package dev.meshfleet.installer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ReadinessPollingTest {
    static final Duration MAX = Duration.ofSeconds(1);

    @Test
    void aFreshRolloutIsLookedAtAgainSoon() {
        assertThat(ReadinessPolling.next(Duration.ZERO, MAX)).isEqualTo(Duration.ofMillis(100));
        assertThat(ReadinessPolling.next(Duration.ofMillis(30), MAX)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theWaitGrowsWithTheTimeAlreadyWaitedSoPollsAreRoughlyExponential() {
        assertThat(ReadinessPolling.next(Duration.ofMillis(250), MAX)).isEqualTo(Duration.ofMillis(250));
        assertThat(ReadinessPolling.next(Duration.ofMillis(600), MAX)).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void theConfiguredPeriodCapsTheWait() {
        assertThat(ReadinessPolling.next(Duration.ofMinutes(3), MAX)).isEqualTo(MAX);
    }

    @Test
    void aClockThatWentBackwardsIsTreatedAsNoWaitAtAll() {
        assertThat(ReadinessPolling.next(Duration.ofMillis(-500), MAX)).isEqualTo(Duration.ofMillis(100));
    }
}
