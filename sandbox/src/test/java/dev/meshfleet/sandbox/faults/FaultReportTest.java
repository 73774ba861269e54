package dev.meshfleet.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaultReportTest {

    private static final ProcessFault.Kill KILL_INSTALLER_1 = new ProcessFault.Kill("installer-1", List.of("installer-1"),
            Duration.ofSeconds(3), Duration.ofSeconds(2));

    private static FaultOutcome.Killed killed(Duration ready, String error) {
        return new FaultOutcome.Killed(KILL_INSTALLER_1, "installer-1", Duration.ofMillis(3_012),
                Duration.ofMillis(5_020), Instant.EPOCH, ready, error);
    }

    @Test
    void aKilledInstallerIsReportedWithItsReadinessAgainstItsFirstStartAndWhenItResumedEachOfItsClusters() {
        Resumption all = new Resumption(34, true, 34, Duration.ofMillis(6_630), Duration.ofMillis(8_910), 0);
        assertThat(FaultReport.line(killed(Duration.ofMillis(6_150), null), Duration.ofMillis(7_940), all))
                .isEqualTo("fault: --kill installer-1@3s: installer-1 killed at 3s, restarted at 5s, ready 6.1s after"
                        + " its restart (first start: 7.9s); resumed 34 of the 34 clusters it had reported on: first"
                        + " event 6.6s, the last of them 8.9s after its restart (480ms and 2.7s after it was ready)");
    }

    @Test
    void aRestartIsReportedWithTheCpuTimeItTookToBeReadyAgainstItsFirstStarts() {
        Resumption all = new Resumption(34, true, 34, Duration.ofMillis(6_630), Duration.ofMillis(8_910), 0);
        FaultReport.StartCpu cpu = new FaultReport.StartCpu(Duration.ofMillis(9_840), Duration.ofMillis(6_120));
        assertThat(FaultReport.line(killed(Duration.ofMillis(6_150), null), Duration.ofMillis(7_940), cpu, all))
                .startsWith("fault: --kill installer-1@3s: installer-1 killed at 3s, restarted at 5s, ready 6.1s after"
                        + " its restart, 6.1s of CPU (first start: 7.9s, 9.8s of CPU); resumed 34 of the 34 clusters");
    }

    @Test
    void clustersAnotherReplicaTookOverAreCountedApart() {
        Resumption some = new Resumption(34, true, 30, Duration.ofMillis(6_630), Duration.ofMillis(8_910), 4);
        assertThat(FaultReport.line(killed(Duration.ofMillis(6_150), null), null, some))
                .endsWith("; resumed 30 of the 34 clusters it had reported on: first event 6.6s, the last of them 8.9s"
                        + " after its restart (480ms and 2.7s after it was ready) (4 reported on by other replicas instead)");
    }

    @Test
    void anInstallerKilledBeforeItReportedOnAnythingIsTimedByTheClustersItReportedOnSinceItsRestart() {
        Resumption late = new Resumption(34, false, 34, Duration.ofSeconds(108), Duration.ofSeconds(112), 0);
        assertThat(FaultReport.line(killed(Duration.ofSeconds(82), null), null, late))
                .endsWith("; reported on no cluster before its kill, on 34 since its restart: first event 1m48s, the"
                        + " last of them 1m52s after its restart (26s and 30s after it was ready)");
    }

    @Test
    void anInstallerThatSentNothingSinceItsRestartSaysSo() {
        assertThat(FaultReport.line(killed(Duration.ofSeconds(6), null), null, new Resumption(34, true, 0, null, null, 0)))
                .isEqualTo("fault: --kill installer-1@3s: installer-1 killed at 3s, restarted at 5s, ready 6s after its"
                        + " restart; no event about any of the 34 clusters it had reported on since its restart");
    }

    @Test
    void aProcessThatDidNotComeBackSaysWhy() {
        assertThat(FaultReport.line(killed(null, "installer-1 not ready within PT3M"), Duration.ofSeconds(8), null))
                .isEqualTo("fault: --kill installer-1@3s: installer-1 killed at 3s, restarted at 5s, did not come back:"
                        + " installer-1 not ready within PT3M");
    }

    @Test
    void theBrokerIsReportedWithoutInstallationEvents() {
        ProcessFault.Kill kafka = new ProcessFault.Kill("kafka", List.of("kafka"), Duration.ofSeconds(6),
                Duration.ofSeconds(2));
        FaultOutcome.Killed k = new FaultOutcome.Killed(kafka, "kafka", Duration.ofSeconds(6), Duration.ofSeconds(8),
                Instant.EPOCH, Duration.ofMillis(3_100), null);
        assertThat(FaultReport.line(k, Duration.ofMillis(4_200), null)).isEqualTo(
                "fault: --kill kafka@6s: kafka killed at 6s, restarted at 8s, ready 3.1s after its restart (first start: 4.2s)");
    }

    @Test
    void aPauseIsReportedWithWhenItStoppedAndContinued() {
        ProcessFault.Pause pause = new ProcessFault.Pause("installer-0", List.of("installer-service"),
                Duration.ofSeconds(2), Duration.ofSeconds(40));
        assertThat(FaultReport.line(new FaultOutcome.Paused(pause, "installer-service", Duration.ofMillis(2_004),
                Duration.ofMillis(42_010)), null, null))
                .isEqualTo("fault: --pause installer-0@2s+40s: installer-service stopped at 2s, continued at 42s");
    }
}
