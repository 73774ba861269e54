package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

/**
 * The simulator plays Istio's peering in the workload clusters (ADR 0046, seed 003): east-west Gateways are programmed
 * with an address, a remote peer Gateway's {@code gloo.solo.io/PeeringSucceeded} follows the live address of the
 * east-west Gateway it points at, the fault {@code eastwest-address-change} moves an address, and istiod of a peered
 * cluster is not ready while the peered clusters' cacerts do not share a root.
 */
class WorkloadSimulatorPeeringTest {

    static final Duration READY_AFTER = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String NS = "istio-eastwest";
    static MockApiServer server;
    WorkloadSimulator sim;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> gateways(String cluster) {
        return server.client(cluster).genericKubernetesResources(GatewayApiTest.GATEWAY).inNamespace(NS);
    }

    /** The east-west Gateway as charts/peering-gateways renders it. */
    static GenericKubernetesResource eastWest(String cluster, boolean nodePort) {
        GenericKubernetesResource gw = new GenericKubernetesResource();
        gw.setApiVersion("gateway.networking.k8s.io/v1");
        gw.setKind("Gateway");
        gw.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("istio-eastwest")
                .addToLabels("topology.istio.io/cluster", cluster).addToLabels("topology.istio.io/network", cluster)
                .addToAnnotations("peering.solo.io/data-plane-service-type", nodePort ? "nodeport" : "loadbalancer")
                .build());
        gw.setAdditionalProperty("spec", Map.of("gatewayClassName", "istio-eastwest", "listeners", List.of(
                Map.of("name", "cross-network", "port", 15008, "protocol", "HBONE", "tls", Map.of("mode", "Passthrough")),
                Map.of("name", "xds-tls", "port", 15012, "protocol", "TLS", "tls", Map.of("mode", "Passthrough")))));
        return gw;
    }

    static GenericKubernetesResource remote(String peer, String address) {
        GenericKubernetesResource gw = new GenericKubernetesResource();
        gw.setApiVersion("gateway.networking.k8s.io/v1");
        gw.setKind("Gateway");
        gw.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("istio-remote-peer-" + peer)
                .addToLabels("topology.istio.io/cluster", peer).addToLabels("topology.istio.io/network", peer)
                .addToAnnotations("gateway.istio.io/trust-domain", peer).build());
        gw.setAdditionalProperty("spec", Map.of("gatewayClassName", "istio-remote",
                "addresses", List.of(Map.of("type", address.startsWith("192.") ? "IPAddress" : "Hostname",
                        "value", address)),
                "listeners", List.of(
                        Map.of("name", "cross-network", "port", 15008, "protocol", "HBONE",
                                "tls", Map.of("mode", "Passthrough")),
                        Map.of("name", "xds-tls", "port", 15012, "protocol", "TLS", "tls", Map.of("mode", "Passthrough")))));
        return gw;
    }

    static GenericKubernetesResource live(String cluster, String name) {
        return gateways(cluster).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> condition(GenericKubernetesResource gw, String type) {
        if (gw == null || gw.getAdditionalProperties().get("status") == null) {
            return Map.of();
        }
        List<Map<String, Object>> conditions = gw.get("status", "conditions");
        if (conditions == null) {
            return Map.of();
        }
        return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(Map.of());
    }

    static String address(GenericKubernetesResource gw) {
        if (gw == null || gw.getAdditionalProperties().get("status") == null) {
            return null;
        }
        List<?> addresses = gw.get("status", "addresses");
        return addresses == null || addresses.isEmpty() ? null : gw.get("status", "addresses", 0, "value");
    }

    /** The programmed address of a cluster's east-west Gateway, once it has one. */
    static String programmedAddress(String cluster) {
        await().atMost(WAIT).until(() -> "True".equals(condition(live(cluster, "istio-eastwest"), "Programmed")
                .get("status")));
        return address(live(cluster, "istio-eastwest"));
    }

    static void awaitLink(String cluster, String peer, String status, String reason) {
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> link = condition(live(cluster, "istio-remote-peer-" + peer),
                    "gloo.solo.io/PeeringSucceeded");
            assertThat(link.get("status")).as("PeeringSucceeded of %s in %s: %s", peer, cluster, link)
                    .isEqualTo(status);
            assertThat(link.get("reason")).isEqualTo(reason);
        });
    }

    @Test
    void anEastWestGatewayGetsATestNet1AddressAndIsAcceptedAndProgrammedAtEachGeneration() {
        sim = WorkloadSimulator.start(server, List.of("ew1"), READY_AFTER);
        gateways("ew1").resource(eastWest("ew1", false)).create();

        String address = programmedAddress("ew1");
        assertThat(address).startsWith("192.0.2.");
        GenericKubernetesResource gw = live("ew1", "istio-eastwest");
        assertThat(gw.<String>get("status", "addresses", 0, "type")).isEqualTo("IPAddress");
        assertThat(condition(gw, "Accepted")).containsEntry("status", "True").containsEntry("observedGeneration", 1);
        assertThat(condition(gw, "Programmed")).containsEntry("observedGeneration", 1);

        GenericKubernetesResource changed = eastWest("ew1", false);
        changed.setAdditionalProperty("spec", Map.of("gatewayClassName", "istio-eastwest", "listeners", List.of(
                Map.of("name", "cross-network", "port", 15008, "protocol", "HBONE", "tls", Map.of("mode", "Passthrough")))));
        gateways("ew1").resource(changed).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(live("ew1", "istio-eastwest"), "Programmed"))
                .containsEntry("status", "True").containsEntry("observedGeneration", 2));
        assertThat(address(live("ew1", "istio-eastwest"))).as("the same load balancer").isEqualTo(address);

        // Looked at again with nothing changed, its status is not written again (the simulator's one thread handles
        // the rescan before the marker Gateway below).
        String version = live("ew1", "istio-eastwest").getMetadata().getResourceVersion();
        sim.setFaults("ew1", List.of());
        gateways("ew1").resource(remote("marker", "192.0.2.1")).create();
        awaitLink("ew1", "marker", "False", "PeerNotFound");
        assertThat(live("ew1", "istio-eastwest").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void aNodePortEastWestGatewayIsReachedByItsClustersHostname() {
        sim = WorkloadSimulator.start(server, List.of("np1"), READY_AFTER);
        gateways("np1").resource(eastWest("np1", true)).create();

        assertThat(programmedAddress("np1")).isEqualTo("np1.eastwest.example");
        assertThat(live("np1", "istio-eastwest").<String>get("status", "addresses", 0, "type")).isEqualTo("Hostname");
    }

    /**
     * Seed 003: "A status condition on each east-west and remote peer gateway indicates which dataplane service type is
     * in use". A remote peer preferring NodePort, at the NodePort Gateway's hostname as the chart renders it, is linked.
     */
    @Test
    void eachEastWestAndRemotePeerGatewaySaysWhichDataPlaneServiceTypeIsInUse() {
        sim = WorkloadSimulator.start(server, List.of("dt1", "dt2"), READY_AFTER);
        gateways("dt1").resource(eastWest("dt1", true)).create();
        gateways("dt2").resource(eastWest("dt2", false)).create();
        assertThat(programmedAddress("dt1")).isEqualTo("dt1.eastwest.example");
        String lb = programmedAddress("dt2");

        GenericKubernetesResource toNodePort = remote("dt1", "dt1.eastwest.example");
        toNodePort.getMetadata().getAnnotations().put("peering.solo.io/preferred-data-plane-service-type", "nodeport");
        gateways("dt2").resource(toNodePort).create();
        GenericKubernetesResource toLoadBalancer = remote("dt2", lb);
        toLoadBalancer.getMetadata().getAnnotations().put("peering.solo.io/preferred-data-plane-service-type",
                "loadbalancer");
        gateways("dt1").resource(toLoadBalancer).create();
        awaitLink("dt2", "dt1", "True", "Connected");
        awaitLink("dt1", "dt2", "True", "Connected");

        assertThat(condition(live("dt1", "istio-eastwest"), "gloo.solo.io/DataPlaneServiceType"))
                .containsEntry("status", "True").containsEntry("reason", "NodePort");
        assertThat(condition(live("dt2", "istio-eastwest"), "gloo.solo.io/DataPlaneServiceType"))
                .containsEntry("status", "True").containsEntry("reason", "LoadBalancer");
        assertThat(condition(live("dt2", "istio-remote-peer-dt1"), "gloo.solo.io/DataPlaneServiceType"))
                .containsEntry("status", "True").containsEntry("reason", "NodePort")
                .containsEntry("message", "reaching dt1's data plane by NodePort");
        assertThat(condition(live("dt1", "istio-remote-peer-dt2"), "gloo.solo.io/DataPlaneServiceType"))
                .containsEntry("status", "True").containsEntry("reason", "LoadBalancer");
    }

    @Test
    void aClustersAddressIsTheSameWhenAnotherSimulatorProgramsItAgain() {
        sim = WorkloadSimulator.start(server, List.of("st1"), READY_AFTER);
        gateways("st1").resource(eastWest("st1", false)).create();
        String first = programmedAddress("st1");
        sim.close();
        GenericKubernetesResource cleared = live("st1", "istio-eastwest");
        cleared.setAdditionalProperty("status", Map.of());
        gateways("st1").resource(cleared).updateStatus();
        assertThat(address(live("st1", "istio-eastwest"))).isNull();

        sim = WorkloadSimulator.start(server, List.of("st1"), READY_AFTER);

        assertThat(programmedAddress("st1")).isEqualTo(first);
    }

    @Test
    void aRemotePeerSucceedsOnlyWhileItsAddressIsTheLiveAddressOfThePeersEastWestGateway() {
        sim = WorkloadSimulator.start(server, List.of("pa", "pb"), READY_AFTER);
        gateways("pb").resource(eastWest("pb", false)).create();
        String address = programmedAddress("pb");

        gateways("pa").resource(remote("pb", "192.0.2.255")).create();
        awaitLink("pa", "pb", "False", "AddressMismatch");
        GenericKubernetesResource wrong = live("pa", "istio-remote-peer-pb");
        assertThat((String) condition(wrong, "gloo.solo.io/PeeringSucceeded").get("message"))
                .contains("192.0.2.255", address, "pb");
        assertThat(condition(wrong, "Programmed")).containsEntry("status", "True").containsEntry("observedGeneration", 1);
        assertThat(address(wrong)).as("the remote's addresses, as istiod reports them").isEqualTo("192.0.2.255");

        gateways("pa").resource(remote("pb", address)).update();
        awaitLink("pa", "pb", "True", "Connected");
        assertThat(condition(live("pa", "istio-remote-peer-pb"), "gloo.solo.io/PeeringSucceeded"))
                .containsEntry("observedGeneration", 2);

        sim.setFaults("pb", Fault.parseAll("eastwest-address-change"));
        await().atMost(WAIT).until(() -> !address.equals(address(live("pb", "istio-eastwest"))));
        String moved = programmedAddress("pb");
        assertThat(moved).startsWith("192.0.2.");
        awaitLink("pa", "pb", "False", "AddressMismatch");
        assertThat((String) condition(live("pa", "istio-remote-peer-pb"), "gloo.solo.io/PeeringSucceeded")
                .get("message")).contains(moved);

        gateways("pa").resource(remote("pb", moved)).update();
        awaitLink("pa", "pb", "True", "Connected");

        gateways("pb").withName("istio-eastwest").delete();
        awaitLink("pa", "pb", "False", "PeerNotFound");
        gateways("pb").resource(eastWest("pb", false)).create();
        awaitLink("pa", "pb", "True", "Connected");
    }

    @Test
    void aRemotePeerCreatedBeforeItsPeersEastWestGatewaySucceedsOnceThatGatewayIsProgrammed() {
        sim = WorkloadSimulator.start(server, List.of("ea", "eb"), READY_AFTER);
        String expected = Peering.eastWestAddress("eb", false, false).value();
        gateways("ea").resource(remote("eb", expected)).create();
        awaitLink("ea", "eb", "False", "PeerNotFound");

        gateways("eb").resource(eastWest("eb", false)).create();

        awaitLink("ea", "eb", "True", "Connected");
    }

    @Test
    void theEastWestGatewayOfANeverReadyClusterIsNotProgrammedAndItsPeersLinksAreDownUntilTheFaultIsCleared() {
        sim = WorkloadSimulator.start(server, Map.of("na", List.of(), "nb", Fault.parseAll("never-ready")), READY_AFTER);
        gateways("nb").resource(eastWest("nb", false)).create();
        gateways("na").resource(remote("nb", Peering.eastWestAddress("nb", false, false).value())).create();

        awaitLink("na", "nb", "False", "PeerNotProgrammed");
        assertThat(condition(live("nb", "istio-eastwest"), "Programmed")).containsEntry("status", "False");

        sim.setFaults("nb", List.of());
        awaitLink("na", "nb", "True", "Connected");
    }

    // istiod and the peered clusters' roots

    static void istiod(String cluster) {
        Deployment d = WorkloadSimulatorTest.deployment("istiod", 1);
        WorkloadSimulatorTest.apply(server.client(cluster), d);
    }

    static boolean istiodReady(String cluster) {
        return WorkloadSimulatorTest.ready(WorkloadSimulatorTest.live(server.client(cluster), "istiod"));
    }

    static String istiodUnavailable(String cluster) {
        Deployment d = WorkloadSimulatorTest.live(server.client(cluster), "istiod");
        if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
            return "";
        }
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals("Available"))
                .map(c -> c.getMessage() == null ? "" : c.getMessage()).findFirst().orElse("");
    }

    static void cacerts(String cluster, Map<String, String> entries) {
        KubernetesClient client = server.client(cluster);
        Map<String, String> data = new HashMap<>();
        entries.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(
                v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata().withName("cacerts")
                .withNamespace("istio-system").endMetadata().withData(data).build()).createOr(r -> r.update());
    }

    @Test
    void istiodOfAPeeredClusterIsNotReadyWhileThePeersCacertsHaveAnotherRootAndReadyOnceTheyShareOne() {
        TestCertificates shared = TestCertificates.authority("shared root");
        TestCertificates other = TestCertificates.authority("other root");
        sim = WorkloadSimulator.start(server, List.of("ra", "rb"), READY_AFTER);
        cacerts("ra", shared.cacerts("ra"));
        cacerts("rb", other.cacerts("rb"));
        gateways("ra").resource(eastWest("ra", false)).create();
        gateways("rb").resource(eastWest("rb", false)).create();
        istiod("ra");
        istiod("rb");

        await().atMost(WAIT).untilAsserted(() -> {
            for (String cluster : List.of("ra", "rb")) {
                assertThat(istiodUnavailable(cluster)).as(cluster).contains("do not share one root", "CN=other root",
                        "CN=shared root");
            }
        });
        assertThat(istiodReady("ra")).isFalse();
        assertThat(istiodReady("rb")).isFalse();

        cacerts("rb", shared.cacerts("rb"));

        await().atMost(WAIT).until(() -> istiodReady("ra") && istiodReady("rb"));
    }

    @Test
    void aSimulatorStartedOverClustersPeeredWhileNoneRanHoldsTheirReadyIstiods() {
        sim = WorkloadSimulator.start(server, List.of("sa", "sb"), READY_AFTER);
        istiod("sa");
        istiod("sb");
        await().atMost(WAIT).until(() -> istiodReady("sa") && istiodReady("sb"));
        sim.close();
        gateways("sa").resource(eastWest("sa", false)).create();
        gateways("sb").resource(eastWest("sb", false)).create();

        sim = WorkloadSimulator.start(server, List.of("sa", "sb"), READY_AFTER);

        await().atMost(WAIT).untilAsserted(() -> {
            for (String cluster : List.of("sa", "sb")) {
                assertThat(istiodUnavailable(cluster)).as(cluster).contains("cluster sa's istio-system/cacerts is missing");
                assertThat(istiodReady(cluster)).as(cluster).isFalse();
            }
        });
    }

    @Test
    void aReadyIstiodIsHeldWhenAPeerWithoutCacertsJoinsAndReleasedWhenThatPeerLeaves() {
        TestCertificates shared = TestCertificates.authority("shared root");
        sim = WorkloadSimulator.start(server, List.of("ja", "jb"), READY_AFTER);
        cacerts("ja", shared.cacerts("ja"));
        gateways("ja").resource(eastWest("ja", false)).create();
        istiod("ja");
        istiod("jb");
        await().atMost(WAIT).until(() -> istiodReady("ja") && istiodReady("jb"));
        assertThat(istiodUnavailable("jb")).as("jb is not peered: its missing cacerts is nobody's concern").isEmpty();

        gateways("jb").resource(eastWest("jb", false)).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(istiodUnavailable("ja"))
                .contains("cluster jb's istio-system/cacerts is missing"));
        assertThat(istiodReady("ja")).isFalse();
        assertThat(istiodReady("jb")).isFalse();

        gateways("jb").withName("istio-eastwest").delete();

        await().atMost(WAIT).until(() -> istiodReady("ja") && istiodReady("jb"));
    }
}
