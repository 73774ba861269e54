package dev.meshfleet.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.Writer;
import dev.meshfleet.testkit.WriteLog;

class PeeringWritesTest {

    static final String GW = "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/istio-remote-peer-cluster4, gateways",
            "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/istio-eastwest?fieldManager=meshfleet, gateways",
            "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/istio-eastwest/status, gateways/status",
            "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways, gateways",
            "/api/v1/namespaces/meshfleet-system/configmaps/inventory-smc-gloo-mesh-x-peering-abc, configmaps",
            "/api/v1/namespaces/istio-eastwest, namespaces",
            "/api/v1/namespaces, namespaces",
            "/apis/apps/v1/namespaces/istio-system/deployments/istiod, deployments",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/istiod, clusterroles",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.networking.istio.io, customresourcedefinitions"})
    void theResourceOfAWritesPath(String path, String resource) {
        assertThat(PeeringWrites.resource(path)).isEqualTo(resource);
    }

    static WriteLog.Write write(String cluster, String method, String path) {
        return new WriteLog.Write(cluster, method, path, Optional.of(new Writer("installer-0", 1)), 0);
    }

    @Test
    void theJoiningClusterApartAndTheOthersPerCluster() {
        List<WriteLog.Write> writes = List.of(
                write("cluster4", "PATCH", "/apis/apps/v1/namespaces/istio-system/deployments/istiod"),
                write("cluster4", "PATCH", GW + "istio-eastwest"),
                write("cluster4", "PATCH", GW + "istio-remote-peer-cluster1"),
                write("cluster4", "PUT", "/api/v1/namespaces/meshfleet-system/configmaps/inventory-1"),
                write("cluster1", "PATCH", GW + "istio-remote-peer-cluster4"),
                write("cluster2", "PATCH", GW + "istio-remote-peer-cluster4"),
                write("cluster2", "PUT", "/api/v1/namespaces/meshfleet-system/configmaps/inventory-2"),
                // The simulator's status write names no writer: Istio's, not Meshfleet's.
                new WriteLog.Write("cluster3", "PUT", GW + "istio-eastwest/status", Optional.empty(), 0));

        PeeringWrites w = PeeringWrites.of(writes, "cluster4", List.of("cluster1", "cluster2", "cluster3"));

        assertThat(w.clusterGateways()).isEqualTo(2);
        assertThat(w.clusterOther()).isEqualTo(2);
        assertThat(w.others()).isEqualTo(3);
        assertThat(w.othersMin()).as("cluster3 got none").isEqualTo(0);
        assertThat(w.othersMax()).isEqualTo(2);
        assertThat(w.othersNotGateways()).isEqualTo(1);
        assertThat(w.othersByKind()).containsExactlyInAnyOrderEntriesOf(Map.of("PATCH gateways", 2, "PUT configmaps", 1));
        assertThat(w.clusterByKind()).containsExactlyInAnyOrderEntriesOf(
                Map.of("PATCH deployments", 1, "PATCH gateways", 2, "PUT configmaps", 1));
    }
}
