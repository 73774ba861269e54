package dev.meshfleet.installer.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.fencing.LeaseRules.Observed;
import dev.meshfleet.installer.fencing.LeaseRules.Step;

/** client-go's leader-election rules, with its default timing: lease 15 s, renew deadline 10 s, retry 2 s. */
class LeaseRulesTest {
    private static final LeaseTiming T = LeaseTiming.DEFAULT;
    private static final long S = 1_000_000_000L;

    static Stream<Arguments> decisions() {
        return Stream.of(
                // lease as read, seen at this version since, now -> step
                Arguments.of(null, 0L, 0L, new Step.Create()),
                Arguments.of(new Observed("", "7"), 100 * S, 100 * S, new Step.Claim(false)),
                Arguments.of(new Observed("me", "7"), 100 * S, 100 * S, new Step.Claim(false)),
                Arguments.of(new Observed("other", "7"), 100 * S, 100 * S, new Step.Wait(Duration.ofSeconds(15))),
                Arguments.of(new Observed("other", "7"), 100 * S, 114 * S, new Step.Wait(Duration.ofSeconds(1))),
                Arguments.of(new Observed("other", "7"), 100 * S, 115 * S, new Step.Claim(true)),
                Arguments.of(new Observed("other", "7"), 100 * S, 500 * S, new Step.Claim(true)),
                // negative readings: System.nanoTime has an arbitrary origin
                Arguments.of(new Observed("other", "7"), -20 * S, -6 * S, new Step.Wait(Duration.ofSeconds(1))),
                Arguments.of(new Observed("other", "7"), -20 * S, -5 * S, new Step.Claim(true)));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void aWantedLeaseIsCreatedClaimedWhenFreeOrOursAndTakenOverOnlyAfterAWholeLeaseDurationUnchanged(Observed lease,
            long observedSince, long now, Step expected) {
        assertThat(LeaseRules.decide(lease, "me", observedSince, now, T)).isEqualTo(expected);
    }

    static Stream<Arguments> proofs() {
        return Stream.of(
                Arguments.of(0L, 0L, true),
                Arguments.of(0L, 9 * S, true),
                Arguments.of(0L, 10 * S - 1, true),
                Arguments.of(0L, 10 * S, false),
                Arguments.of(0L, 40 * S, false),
                Arguments.of(-3 * S, 6 * S, true),
                Arguments.of(-3 * S, 7 * S, false));
    }

    @ParameterizedTest
    @MethodSource("proofs")
    void aHolderWritesOnlyWhileItsLastRenewalIsYoungerThanTheRenewDeadline(long renewSent, long now, boolean proves) {
        assertThat(LeaseRules.proves(renewSent, now, T)).isEqualTo(proves);
    }

    @Test
    void theRenewDeadlineMustBeShorterThanTheLeaseAndLongerThanTheRetryPeriod() {
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .hasMessageContaining("must be longer than the renew deadline");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .hasMessageContaining("longer than the retry period");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofMillis(15_500), Duration.ofSeconds(10),
                Duration.ofSeconds(2))).hasMessageContaining("whole seconds");
    }
}
