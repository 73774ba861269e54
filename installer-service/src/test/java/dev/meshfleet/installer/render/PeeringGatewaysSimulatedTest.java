package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The loop ADR 0046's pipeline will close, played by hand: the {@code peering-gateways} chart applied to two simulated
 * clusters, each east-west address read back (the fact an installer reports), and each cluster's chart rendered again
 * with its peer's address; the simulator then reports both links up, and down again when an address moves. Pins that
 * what the chart renders is admitted by the clusters' Gateway CRD and understood by the simulator.
 */
class PeeringGatewaysSimulatedTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String NAMESPACE = "istio-eastwest";
    static final ResourceDefinitionContext GATEWAY = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withPlural("gateways").withKind("Gateway")
            .withNamespaced(true).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static MockApiServer server;
    static WorkloadSimulator simulator;
    final ChartRenderer renderer = new ChartRenderer(PeeringGatewaysGoldenTest.CHARTS);

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
        simulator = WorkloadSimulator.start(server, List.of("cluster1", "cluster2"), Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() {
        simulator.close();
        server.close();
    }

    /** Renders the chart for a cluster with its peers ({@code cluster -> address}) and applies it as the installer would. */
    void apply(String cluster, Map<String, String> peers) throws Exception {
        List<Map<String, String>> list = new ArrayList<>();
        peers.forEach((peer, address) -> list.add(Map.of("cluster", peer, "address", address)));
        String values = JSON.writeValueAsString(Map.of("cluster", cluster, "peers", list));
        var client = server.client(cluster);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(r -> r.update());
        for (HasMetadata object : renderer.render(new ChartSpec("peering-gateways", "peering", NAMESPACE, values))) {
            client.resource(object).fieldManager("meshfleet-installer").forceConflicts().serverSideApply();
        }
    }

    static GenericKubernetesResource gateway(String cluster, String name) {
        return server.client(cluster).genericKubernetesResources(GATEWAY).inNamespace(NAMESPACE).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static String condition(GenericKubernetesResource gw, String type) {
        if (gw == null || gw.getAdditionalProperties().get("status") == null) {
            return null;
        }
        List<Map<String, Object>> conditions = gw.get("status", "conditions");
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.get("type")))
                .map(c -> (String) c.get("status")).findFirst().orElse(null);
    }

    /** The address of a cluster's east-west Gateway once programmed: what its installer would report. */
    static String eastWestAddress(String cluster) {
        await().atMost(WAIT).until(() -> "True".equals(condition(gateway(cluster, "istio-eastwest"), "Programmed")));
        return gateway(cluster, "istio-eastwest").get("status", "addresses", 0, "value");
    }

    static void awaitLink(String cluster, String peer, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(gateway(cluster, "istio-remote-peer-" + peer),
                "gloo.solo.io/PeeringSucceeded")).as("%s -> %s", cluster, peer).isEqualTo(status));
    }

    @Test
    void theChartsGatewaysAreProgrammedAndLinkedOnceEachClusterIsRenderedWithItsPeersReportedAddress() throws Exception {
        apply("cluster1", Map.of());
        apply("cluster2", Map.of());
        String address1 = eastWestAddress("cluster1");
        String address2 = eastWestAddress("cluster2");
        assertThat(address1).startsWith("192.0.2.").isNotEqualTo(address2);

        apply("cluster1", Map.of("cluster2", address2));
        apply("cluster2", Map.of("cluster1", address1));
        awaitLink("cluster1", "cluster2", "True");
        awaitLink("cluster2", "cluster1", "True");

        simulator.setFaults("cluster2", Fault.parseAll("eastwest-address-change"));
        awaitLink("cluster1", "cluster2", "False");
        String moved = eastWestAddress("cluster2");
        assertThat(moved).isNotEqualTo(address2);
        apply("cluster1", Map.of("cluster2", moved));
        awaitLink("cluster1", "cluster2", "True");
        awaitLink("cluster2", "cluster1", "True");
    }
}
