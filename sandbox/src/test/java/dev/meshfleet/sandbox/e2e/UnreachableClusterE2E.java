package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.testkit.Fault;

/** --fault cluster2=unreachable: one cluster down does not hold the other back. */
class UnreachableClusterE2E {

    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1", "cluster2"), Map.of("cluster2", List.of(new Fault.Unreachable())));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void anUnreachableClusterIsUnknownWhileTheOtherEndsHealthy() throws Exception {
        var p = fleet.applyAndSettle(fleet.example("ilm-minimal.yaml"));

        assertThat(p.allHealthy()).isFalse();
        var status = fleet.ilmStatus("istiod-control-plane");
        assertThat(Fleet.installation(status, "cluster1", "1-24").state()).isEqualTo("HEALTHY");
        assertThat(Fleet.installation(status, "cluster2", "1-24").state()).isEqualTo("UNKNOWN");
    }
}
