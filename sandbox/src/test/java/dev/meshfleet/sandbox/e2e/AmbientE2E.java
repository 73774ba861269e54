package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.status.Rendering;

/** Seed 002: the ambient control plane and its ingress gateway, revisionless, on cluster1. */
class AmbientE2E {

    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1"), Map.of());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theAmbientExamplesEndHealthyUnderTheDefaultKey() throws Exception {
        fleet.applyAndSettle(fleet.example("ilm-ambient.yaml"));
        var last = fleet.applyAndSettle(fleet.example("glm-ambient-ingress.yaml"));

        assertThat(last.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "default").state())
                .isEqualTo("HEALTHY");
        assertThat(Fleet.installation(fleet.glmStatus("istio-ingressgateway"), "cluster1", "default").state())
                .isEqualTo("HEALTHY");
        var cluster1 = fleet.sandbox.api().client("cluster1");
        assertThat(cluster1.apps().daemonSets().inAnyNamespace().list().getItems())
                .extracting(d -> d.getMetadata().getName()).anyMatch(n -> n.contains("ztunnel"));
    }
}
