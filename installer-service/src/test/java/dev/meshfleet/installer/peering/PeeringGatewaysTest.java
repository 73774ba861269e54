package dev.meshfleet.installer.peering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The peering installation's health and facts as a table, from Gateways written out by hand as the cluster would hold
 * them (Gateway API v1 status, seed 003's istioctl multicluster check output).
 */
class PeeringGatewaysTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectRef EASTWEST = gateway("istio-eastwest");
    private static final ObjectRef PEER2 = gateway("istio-remote-peer-cluster2");
    private static final ObjectRef PEER3 = gateway("istio-remote-peer-cluster3");
    private static final ObjectRef PEER4 = gateway("istio-remote-peer-cluster4");

    static ObjectRef gateway(String name) {
        return new ObjectRef("gateway.networking.k8s.io/v1", "Gateway", "istio-eastwest", name);
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final JsonNode PROGRAMMED = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 1}
            spec: {gatewayClassName: istio-eastwest}
            status:
              addresses:
              - {type: IPAddress, value: 192.0.2.10}
              conditions:
              - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
              - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}
            """);
    static final JsonNode PROGRAMMED_HOSTNAME = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 2}
            status:
              addresses:
              - {type: Hostname, value: cluster1.eastwest.example}
              conditions:
              - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 2}
            """);
    static final JsonNode PROGRAMMED_UNTYPED_ADDRESS = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 1}
            status:
              addresses:
              - {value: 192.0.2.11}
              conditions:
              - {type: Programmed, status: "True", reason: Programmed}
            """);
    static final JsonNode NO_STATUS = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 1}
            spec: {gatewayClassName: istio-eastwest}
            """);
    static final JsonNode NOT_PROGRAMMED = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 1}
            status:
              addresses:
              - {type: IPAddress, value: 192.0.2.10}
              conditions:
              - {type: Programmed, status: "False", reason: Pending, message: the east-west gateway's pods are not ready,
                 observedGeneration: 1}
            """);
    static final JsonNode PROGRAMMED_NO_ADDRESS = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 1}
            status:
              conditions:
              - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}
            """);
    static final JsonNode PROGRAMMED_FOR_OLD_GENERATION = yaml("""
            metadata: {name: istio-eastwest, namespace: istio-eastwest, generation: 3}
            status:
              addresses:
              - {type: IPAddress, value: 192.0.2.10}
              conditions:
              - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 2}
            """);

    static JsonNode peer(String cluster, String peeringSucceeded) {
        return yaml("""
                metadata: {name: istio-remote-peer-%s, namespace: istio-eastwest, generation: 1}
                spec:
                  gatewayClassName: istio-remote
                  addresses: [{type: IPAddress, value: 192.0.2.20}]
                status:
                  conditions:
                  - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
                  - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}
                %s
                """.formatted(cluster, peeringSucceeded == null ? "" : "  - " + peeringSucceeded));
    }

    static Map<ObjectRef, JsonNode> listed(Object... refAndLive) {
        Map<ObjectRef, JsonNode> out = new HashMap<>();
        for (int i = 0; i < refAndLive.length; i += 2) {
            out.put((ObjectRef) refAndLive[i], (JsonNode) refAndLive[i + 1]);
        }
        return out;
    }

    /** The east-west Gateway as the cluster holds it -> the health, and the message's "waiting for ..." part. */
    static Stream<Arguments> eastWest() {
        String gw = "Gateway istio-eastwest/istio-eastwest";
        String awaited = gw + " to be Programmed with an address in status.addresses: ";
        return Stream.of(
                Arguments.of("programmed with an address", PROGRAMMED, null),
                Arguments.of("programmed, a Hostname", PROGRAMMED_HOSTNAME, null),
                Arguments.of("programmed, without observedGeneration", PROGRAMMED_UNTYPED_ADDRESS, null),
                Arguments.of("not in the cluster", null, awaited + "not found in the cluster"),
                Arguments.of("no status yet", NO_STATUS, awaited + "no Programmed condition yet (no gateway controller"
                        + " has taken it: is istiod of the revision it names running?)"),
                Arguments.of("Programmed False", NOT_PROGRAMMED, awaited
                        + "Programmed is False (Pending: the east-west gateway's pods are not ready)"),
                Arguments.of("Programmed, no address", PROGRAMMED_NO_ADDRESS, awaited
                        + "Programmed, but no address in status.addresses yet"),
                Arguments.of("Programmed for an older generation", PROGRAMMED_FOR_OLD_GENERATION, awaited
                        + "generation 3 not yet observed by its controller (Programmed is of generation 2)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eastWest")
    void theInstallationIsHealthyOnlyWhenItsEastWestGatewayIsProgrammedWithAnAddress(String what, JsonNode live,
            String awaiting) {
        PeeringGateways.Observation o = PeeringGateways.observe(listed(EASTWEST, live));

        if (awaiting == null) {
            assertThat(o.health()).isEqualTo(new Health.Ready());
        } else {
            assertThat(o.health()).isInstanceOfSatisfying(Health.NotReady.class, n -> {
                assertThat(n.awaiting()).isEqualTo(awaiting);
                assertThat(n.reasons()).hasSize(1).allSatisfy(r -> assertThat(r)
                        .startsWith("Gateway istio-eastwest/istio-eastwest: "));
            });
        }
    }

    @Test
    void aProgrammedEastWestGatewaysFirstAddressIsAFactAndPeersUpAndDownAreSortedWithTheirReasons() {
        PeeringGateways.Observation o = PeeringGateways.observe(listed(EASTWEST, PROGRAMMED,
                PEER4, peer("cluster4", "{type: gloo.solo.io/PeeringSucceeded, status: \"True\", reason: Connected,"
                        + " observedGeneration: 1}"),
                PEER3, peer("cluster3", "{type: gloo.solo.io/PeeringSucceeded, status: \"False\", reason: AddressMismatch,"
                        + " message: 'spec.addresses[0].value 192.0.2.20 is not the address', observedGeneration: 1}"),
                PEER2, peer("cluster2", "{type: gloo.solo.io/PeeringSucceeded, status: \"True\", reason: Connected,"
                        + " observedGeneration: 1}")));

        assertThat(o.health()).isEqualTo(new Health.Ready());
        assertThat(o.facts()).isEqualTo(Map.of("eastwest.address", "192.0.2.10", "eastwest.addressType", "IPAddress",
                "peers.up", "cluster2,cluster4", "peers.down", "cluster3=AddressMismatch"));
    }

    @Test
    void aLinkWithoutAConditionOrWithOneOfAnOlderGenerationOrWhoseGatewayIsGoneIsPending() {
        JsonNode stale = yaml("""
                metadata: {name: istio-remote-peer-cluster3, namespace: istio-eastwest, generation: 2}
                status:
                  conditions:
                  - {type: gloo.solo.io/PeeringSucceeded, status: "True", reason: Connected, observedGeneration: 1}
                """);
        PeeringGateways.Observation o = PeeringGateways.observe(listed(EASTWEST, PROGRAMMED_HOSTNAME,
                PEER2, peer("cluster2", null), PEER3, stale, PEER4, null));

        assertThat(o.facts()).isEqualTo(Map.of("eastwest.address", "cluster1.eastwest.example",
                "eastwest.addressType", "Hostname", "peers.up", "",
                "peers.down", "cluster2=Pending,cluster3=Pending,cluster4=Pending"));
    }

    @Test
    void anAddressWithoutATypeIsAnIpAddressAndTheFirstControllerOfAMeshHasNoPeers() {
        PeeringGateways.Observation o = PeeringGateways.observe(listed(EASTWEST, PROGRAMMED_UNTYPED_ADDRESS));

        assertThat(o.facts()).isEqualTo(Map.of("eastwest.address", "192.0.2.11", "eastwest.addressType", "IPAddress",
                "peers.up", "", "peers.down", ""));
    }

    @Test
    void anEastWestGatewayNotProgrammedGivesNoAddressButItsPeersLinksStillCount() {
        PeeringGateways.Observation o = PeeringGateways.observe(listed(EASTWEST, NOT_PROGRAMMED,
                PEER2, peer("cluster2", "{type: gloo.solo.io/PeeringSucceeded, status: \"False\", reason: PeerNotFound}")));

        assertThat(o.facts()).as("not yet reachable: no peer is planned against it")
                .isEqualTo(Map.of("peers.up", "", "peers.down", "cluster2=PeerNotFound"));
    }

    @Test
    void anInstallationIsAPeeringOneByItsChartAndItsInventoryByTheEastWestGatewayItLists() {
        Owner smc = new Owner(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-1");
        Plan peering = new Plan(smc, 1, "peering", "", List.of(new ChartSpec("peering-gateways", "peering-gateways",
                "istio-eastwest", "{\"cluster\":\"cluster1\"}")), "peering", false, Duration.ofMinutes(5), "{}", "p1");
        Plan controlPlane = new Plan(smc, 1, "", "1.28.1", List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod", "istio-system", "{}")), "", false, Duration.ofMinutes(5), "{}", "h1");

        assertThat(PeeringGateways.is(peering)).isTrue();
        assertThat(PeeringGateways.is(controlPlane)).isFalse();
        assertThat(PeeringGateways.is(new Inventory(smc, 1, "peering", "", "p1", "{}", true, List.of(EASTWEST, PEER2))))
                .isTrue();
        assertThat(PeeringGateways.is(new Inventory(smc, 1, "", "1.28.1", "h1", "{}", true, List.of(
                new ObjectRef("apps/v1", "Deployment", "istio-system", "istiod"),
                // Istio's own Gateway kind of the same name is not the east-west Gateway API Gateway
                new ObjectRef("networking.istio.io/v1", "Gateway", "istio-eastwest", "istio-eastwest"))))).isFalse();
    }
}
