package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.testkit.Peering.Address;
import dev.meshfleet.testkit.Peering.CaCerts;
import dev.meshfleet.testkit.Peering.EastWest;
import dev.meshfleet.testkit.Peering.Link;

/** The rules of peering as the simulator plays them (ADR 0046), one row per rule. */
class PeeringTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Address HERE = new Address(Address.IP_ADDRESS, "192.0.2.10");
    static final Optional<EastWest> PROGRAMMED = Optional.of(new EastWest("c2", "istio-eastwest/istio-eastwest", true,
            HERE, false));

    @Test
    void aLoadBalancerAddressIsATestNet1HostChosenByTheClusterNameAndItsMovedAddressIsAnother() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String cluster = "cluster" + i;
            Address base = Peering.eastWestAddress(cluster, false, false);
            Address moved = Peering.eastWestAddress(cluster, false, true);
            for (Address a : List.of(base, moved)) {
                assertThat(a.type()).isEqualTo("IPAddress");
                assertThat(a.value()).startsWith("192.0.2.");
                assertThat(Integer.parseInt(a.value().substring("192.0.2.".length()))).as(a.value()).isBetween(1, 254);
            }
            assertThat(moved.value()).as(cluster).isNotEqualTo(base.value());
            assertThat(Peering.eastWestAddress(cluster, false, false)).as("the same in every run").isEqualTo(base);
            seen.add(base.value());
        }
        assertThat(seen).as("clusters are spread over the network").hasSize(254);
    }

    @Test
    void aNodePortGatewayIsReachedByItsClustersNameUnderEastwestExample() {
        assertThat(Peering.eastWestAddress("cluster1", true, false))
                .isEqualTo(new Address("Hostname", "cluster1.eastwest.example"));
        assertThat(Peering.eastWestAddress("cluster1", true, true).value()).endsWith(".eastwest.example")
                .isNotEqualTo("cluster1.eastwest.example");
    }

    @Test
    void theNodePortAnnotationIsTheSeedsDataPlaneServiceTypeInAnyCase() throws Exception {
        assertThat(Peering.nodePort(JSON.readTree(
                "{\"metadata\":{\"annotations\":{\"peering.solo.io/data-plane-service-type\":\"NodePort\"}}}"))).isTrue();
        assertThat(Peering.nodePort(JSON.readTree(
                "{\"metadata\":{\"annotations\":{\"peering.solo.io/data-plane-service-type\":\"loadbalancer\"}}}")))
                .isFalse();
        assertThat(Peering.nodePort(JSON.readTree("{\"metadata\":{}}"))).isFalse();
    }

    /** Seed 003: a condition on each east-west and remote peer Gateway says which data-plane service type is in use. */
    @Test
    void theDataPlaneServiceTypeInUseIsNodePortOnlyWhereItIsAskedAndThePeerServesIt() {
        Address named = new Address(Address.HOSTNAME, "c2.eastwest.example");
        Optional<EastWest> nodePortPeer = Optional.of(new EastWest("c2", "istio-eastwest/istio-eastwest", true, named,
                true));
        Optional<String> c2 = Optional.of("c2");
        record TypeRow(String rule, Peering.ServiceType type, String reason, String message) {
        }
        List<TypeRow> rows = List.of(
                new TypeRow("an east-west Gateway annotated nodeport", Peering.eastWestServiceType(true), "NodePort",
                        "peers reach this cluster's data plane by NodePort; xDS still by the gateway's stable address"),
                new TypeRow("an east-west Gateway annotated loadbalancer", Peering.eastWestServiceType(false),
                        "LoadBalancer", "peers reach this cluster's data plane by the gateway's LoadBalancer address"),
                new TypeRow("a remote preferring NodePort of a NodePort peer",
                        Peering.remoteServiceType(c2, true, nodePortPeer), "NodePort",
                        "reaching c2's data plane by NodePort"),
                new TypeRow("a remote preferring NodePort of a LoadBalancer peer",
                        Peering.remoteServiceType(c2, true, PROGRAMMED), "LoadBalancer",
                        "NodePort preferred, but c2's east-west gateway serves LoadBalancer: reaching it by LoadBalancer"),
                new TypeRow("a remote preferring NodePort of a peer not known",
                        Peering.remoteServiceType(c2, true, Optional.empty()), "LoadBalancer",
                        "NodePort preferred, but c2's east-west gateway is not known: reaching it by LoadBalancer"),
                new TypeRow("a remote preferring LoadBalancer of a NodePort peer",
                        Peering.remoteServiceType(c2, false, nodePortPeer), "LoadBalancer",
                        "reaching c2's data plane by its east-west gateway's LoadBalancer address"));
        for (TypeRow row : rows) {
            assertThat(row.type()).as(row.rule()).isEqualTo(new Peering.ServiceType(row.reason(), row.message()));
        }
    }

    @Test
    void aRemotePeerNamesItsClusterByItsNameElseByItsClusterLabel() throws Exception {
        assertThat(Peering.remoteCluster(gateway("istio-remote-peer-cluster2", "other"))).contains("cluster2");
        assertThat(Peering.remoteCluster(gateway("to-cluster3", "cluster3"))).contains("cluster3");
        assertThat(Peering.remoteCluster(gateway("to-somewhere", null))).isEmpty();
        assertThat(Peering.eastWestCluster(gateway("istio-eastwest", "mesh-a"), "registered-a")).isEqualTo("mesh-a");
        assertThat(Peering.eastWestCluster(gateway("istio-eastwest", null), "registered-a")).isEqualTo("registered-a");
    }

    record Row(String rule, Optional<String> peer, Optional<Address> wanted, Optional<EastWest> live, boolean up,
            String reason, List<String> named) {
    }

    @Test
    void aLinkIsUpOnlyWhenItsAddressIsTheLiveAddressOfTheProgrammedEastWestGatewayOfItsPeer() {
        Optional<String> c2 = Optional.of("c2");
        Optional<Address> right = Optional.of(HERE);
        Optional<Address> wrong = Optional.of(new Address(Address.IP_ADDRESS, "192.0.2.99"));
        List<Row> rows = List.of(
                new Row("the address is the peer's", c2, right, PROGRAMMED, true, "Connected", List.of("192.0.2.10")),
                new Row("another address", c2, wrong, PROGRAMMED, false, "AddressMismatch",
                        List.of("spec.addresses[0].value", "192.0.2.99", "192.0.2.10", "c2")),
                new Row("the peer has no east-west gateway", c2, right, Optional.empty(), false, "PeerNotFound",
                        List.of("c2", "istio-eastwest")),
                new Row("the peer's gateway is not programmed", c2, right,
                        Optional.of(new EastWest("c2", "istio-eastwest/istio-eastwest", false, HERE, false)), false,
                        "PeerNotProgrammed", List.of("istio-eastwest/istio-eastwest", "c2")),
                new Row("no address", c2, Optional.empty(), PROGRAMMED, false, "NoAddress", List.of("spec.addresses")),
                new Row("no peer named", Optional.empty(), right, PROGRAMMED, false, "UnknownPeer",
                        List.of("istio-remote-peer-", "topology.istio.io/cluster")));
        for (Row row : rows) {
            Link link = Peering.link(row.peer(), row.wanted(), row.live());
            assertThat(link.up()).as(row.rule()).isEqualTo(row.up());
            assertThat(link.reason()).as(row.rule()).isEqualTo(row.reason());
            assertThat(link.message()).as(row.rule()).contains(row.named());
        }
    }

    @Test
    void casOfOneRootAreTrustedAndAMissingOrForeignOrBrokenOneIsNamed() {
        TestCertificates shared = TestCertificates.authority("shared root");
        TestCertificates other = TestCertificates.authority("other root");
        CaCerts c1 = ca("c1", shared.cacerts("c1 intermediate"));
        CaCerts c2 = ca("c2", shared.cacerts("c2 intermediate"));
        Instant now = Instant.now();

        assertThat(Peering.rootsProblem(List.of(), now)).as("nothing peered").isEmpty();
        assertThat(Peering.rootsProblem(List.of(c1, c2), now)).as("one shared root").isEmpty();

        assertThat(problem(List.of(c1, new CaCerts("c2", "istio-system", null, null)), now))
                .contains("cluster c2's istio-system/cacerts is missing");

        assertThat(problem(List.of(c2, ca("c3", other.cacerts("c3 intermediate")), c1), now))
                .contains("do not share one root", "cluster c3's istio-system/cacerts", "CN=other root",
                        "CN=shared root");

        // root-cert.pem says the shared root, but the intermediate was signed by another.
        Map<String, String> forged = new java.util.HashMap<>(other.cacerts("c4 intermediate"));
        forged.put("root-cert.pem", shared.cacerts("unused").get("root-cert.pem"));
        assertThat(problem(List.of(c1, ca("c4", forged)), now))
                .contains("cluster c4's istio-system/cacerts cert-chain.pem does not chain to the root 'CN=shared root'");

        assertThat(problem(List.of(c1, c2), now.plus(java.time.Duration.ofDays(30)))).as("intermediates expired")
                .contains("cluster c1's istio-system/cacerts cert-chain.pem does not chain");
    }

    /** The problem found, failing when none is. */
    static String problem(List<CaCerts> cas, Instant at) {
        Optional<String> problem = Peering.rootsProblem(cas, at);
        assertThat(problem).as("a problem with %s", cas.stream().map(CaCerts::cluster).toList()).isPresent();
        return problem.get();
    }

    static CaCerts ca(String cluster, Map<String, String> entries) {
        return new CaCerts(cluster, "istio-system", entries.get("root-cert.pem"), entries.get("cert-chain.pem"));
    }

    static JsonNode gateway(String name, String clusterLabel) throws Exception {
        String labels = clusterLabel == null ? "{}" : "{\"topology.istio.io/cluster\":\"" + clusterLabel + "\"}";
        return JSON.readTree("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + "}}");
    }
}
