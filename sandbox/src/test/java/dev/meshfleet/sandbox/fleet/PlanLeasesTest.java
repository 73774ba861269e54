package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link PlanLeases} on readiness answers as the installer writes them (InstallerReadiness' data). */
class PlanLeasesTest {

    private static String answer(int held, int waiting) {
        return "HTTP 200 { \"status\": \"UP\", \"checks\": [ { \"name\": \"installer\", \"status\": \"UP\", \"data\": {"
                + " \"kafka-consumer\": true, \"management-api\": true, \"partitions\": " + held
                + ", \"partitions-waiting\": " + waiting + ", \"leases-held\": " + held
                + ", \"clusters-owned\": 50, \"clusters-registered\": 200, \"reconciles-running\": 0 } } ] }";
    }

    @Test
    void fourReplicasHoldingThreePartitionsEachCoverTwelve() {
        assertThat(PlanLeases.covered(List.of(answer(3, 0), answer(3, 0), answer(3, 0), answer(3, 0)), 12)).isTrue();
    }

    @Test
    void theFirstRoundOfACooperativeRebalanceDoesNot() {
        // installer-0 kept 3 of its 12, the 9 it revoked are not assigned yet.
        assertThat(PlanLeases.covered(List.of(answer(3, 0), answer(0, 0), answer(0, 0), answer(0, 0)), 12)).isFalse();
    }

    @Test
    void anAssignedPartitionNotYetHandedToTheWorkersDoesNot() {
        assertThat(PlanLeases.covered(List.of(answer(12, 2)), 12)).isFalse();
    }

    @Test
    void anAnswerWithoutTheDataDoesNot() {
        assertThat(PlanLeases.covered(List.of(answer(12, 0), "java.net.ConnectException"), 12)).isFalse();
        assertThat(PlanLeases.covered(List.of(answer(12, 0)), 12)).isTrue();
    }
}
