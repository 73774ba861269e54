package dev.meshfleet.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResumptionTest {

    private static final String ME = "installer/installer-1";
    private static final String OTHER = "installer/installer-0";
    private static final Instant KILLED = Instant.parse("2026-11-30T05:00:03Z");
    private static final Instant RESTARTED = Instant.parse("2026-11-30T05:00:05Z");

    private static Resumption.Event at(String source, String cluster, long millisAfterRestart) {
        return new Resumption.Event(source, cluster, RESTARTED.plusMillis(millisAfterRestart));
    }

    @Test
    void theReplicasClustersAreThoseItReportedOnBeforeItsKillAndEachCountsFromItsFirstEventAfterTheRestart() {
        List<Resumption.Event> events = List.of(
                at(ME, "cluster1", -4_000), at(ME, "cluster2", -3_500), at(ME, "cluster1", -2_500),
                at(OTHER, "cluster3", -3_000),
                at(ME, "cluster2", 2_100), at(ME, "cluster1", 7_900), at(ME, "cluster2", 9_000),
                at(OTHER, "cluster3", 1_000));
        assertThat(Resumption.of(events, ME, KILLED, RESTARTED))
                .isEqualTo(new Resumption(2, true, 2, Duration.ofMillis(2_100), Duration.ofMillis(7_900), 0));
    }

    /** Soak seed 23: cluster43 was dropped from the spec before the kill and added back minutes after the restart. */
    @Test
    void aClusterFirstReportedAfterTheNextSpecChangeIsThatChangesWorkNotAResumption() {
        List<Resumption.Event> events = List.of(at(ME, "cluster42", -4_000), at(ME, "cluster43", -3_500),
                at(ME, "cluster42", 3_600), at(ME, "cluster43", 70_300));
        Instant nextChange = RESTARTED.plusSeconds(60);

        assertThat(Resumption.of(events, ME, KILLED, RESTARTED, nextChange))
                .isEqualTo(new Resumption(2, true, 1, Duration.ofMillis(3_600), Duration.ofMillis(3_600), 0));
        assertThat(Resumption.of(events, ME, KILLED, RESTARTED)).as("without the change's time")
                .isEqualTo(new Resumption(2, true, 2, Duration.ofMillis(3_600), Duration.ofMillis(70_300), 0));
    }

    @Test
    void aClusterOnlyAnotherReplicaReportedOnSinceTheRestartWasTakenOverNotResumed() {
        List<Resumption.Event> events = List.of(at(ME, "cluster1", -4_000), at(ME, "cluster2", -3_500),
                at(ME, "cluster1", 3_000), at(OTHER, "cluster2", 1_500));
        assertThat(Resumption.of(events, ME, KILLED, RESTARTED))
                .isEqualTo(new Resumption(2, true, 1, Duration.ofMillis(3_000), Duration.ofMillis(3_000), 1));
    }

    @Test
    void aClusterFirstReportedOnAfterTheRestartIsNotOneItHadToResume() {
        List<Resumption.Event> events = List.of(at(ME, "cluster1", -4_000), at(ME, "cluster9", 500),
                at(ME, "cluster1", 6_000));
        assertThat(Resumption.of(events, ME, KILLED, RESTARTED))
                .isEqualTo(new Resumption(1, true, 1, Duration.ofMillis(6_000), Duration.ofMillis(6_000), 0));
    }

    @Test
    void nothingSentSinceTheRestartResumesNothing() {
        assertThat(Resumption.of(List.of(at(ME, "cluster1", -4_000)), ME, KILLED, RESTARTED))
                .isEqualTo(new Resumption(1, true, 0, null, null, 0));
    }

    @Test
    void aReplicaKilledBeforeItReportedOnAnythingCountsTheClustersItReportedOnSinceItsRestart() {
        List<Resumption.Event> events = List.of(at(OTHER, "cluster3", -3_000), at(ME, "cluster2", 30_000),
                at(ME, "cluster1", 26_000), at(ME, "cluster2", 41_000), at(OTHER, "cluster3", 27_000));
        assertThat(Resumption.of(events, ME, KILLED, RESTARTED))
                .isEqualTo(new Resumption(2, false, 2, Duration.ofMillis(26_000), Duration.ofMillis(30_000), 0));
    }
}
