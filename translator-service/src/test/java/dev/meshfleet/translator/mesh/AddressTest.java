package dev.meshfleet.translator.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.SmcPeering;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the translator reads off installation-events for the mesh join (docs/adr/0046), and the epoch rule: one table
 * per rule, every expected value written out.
 */
class AddressTest {
    static final String KEY = "ServiceMeshController/gloo-mesh/c1";

    static InstallationEvent event(ResourceKind kind, String revision, String source, long epoch, Map<String, String> facts) {
        return InstallationEvent.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(kind).setNamespace("gloo-mesh").setName("c1").setUid("u1").build())
                .setGeneration(1).setCluster("cluster1").setRevision(revision).setState("HEALTHY").setSource(source)
                .setSourceEpoch(epoch).setSequence(3).setTime(Instant.parse("2026-01-01T00:00:00Z")).setFacts(facts).build();
    }

    @Test
    void anInstallersReportOfThePeeringInstallationWithAnAddressIsTheFact() {
        var fact = PeeringFact.of(event(ResourceKind.ServiceMeshController, "peering", "installer/installer-1", 4,
                Map.of("eastwest.address", "cluster1.eastwest.example", "eastwest.addressType", "Hostname",
                        "peers.up", "cluster2")));
        assertThat(fact).contains(new PeeringFact(KEY, "u1", "cluster1", "cluster1.eastwest.example", "Hostname", 4));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the control plane's revision                 | ServiceMeshController | ''       | installer/installer-0 | eastwest.address=192.0.2.1
            the translator's own event                   | ServiceMeshController | peering  | translator            | eastwest.address=192.0.2.1
            no facts                                     | ServiceMeshController | peering  | installer/installer-0 | ''
            facts without an address                     | ServiceMeshController | peering  | installer/installer-0 | peers.up=cluster2
            a blank address                              | ServiceMeshController | peering  | installer/installer-0 | eastwest.address=
            another kind with the same revision name     | IstioLifecycleManager | peering  | installer/installer-0 | eastwest.address=192.0.2.1
            """)
    void everyOtherEventIsNoFact(String name, ResourceKind kind, String revision, String source, String facts) {
        Map<String, String> map = facts.isEmpty() ? Map.of() : Map.of(facts.split("=", -1)[0], facts.split("=", -1)[1]);
        assertThat(PeeringFact.of(event(kind, revision, source, 1, map))).isEmpty();
    }

    @Test
    void anAddressWithoutAKnownTypeIsAnIpAddressAsTheChartsDefault() {
        assertThat(PeeringFact.of(event(ResourceKind.ServiceMeshController, "peering", "installer/i", 1,
                Map.of("eastwest.address", "192.0.2.1"))).orElseThrow().addressType()).isEqualTo("IPAddress");
    }

    static PeeringFact fact(String cluster, String address, long epoch) {
        return new PeeringFact(KEY, "u1", cluster, address, "IPAddress", epoch);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                    | held cluster | held address | held epoch | spec cluster | fact cluster | fact address | fact epoch | cluster  | address   | epoch
            the first report                          | ''           | ''           | -1         | cluster1     | cluster1     | 192.0.2.1    | 2          | cluster1 | 192.0.2.1 | 2
            a newer epoch moves it                    | cluster1     | 192.0.2.1    | 2          | cluster1     | cluster1     | 192.0.2.9    | 3          | cluster1 | 192.0.2.9 | 3
            the same epoch moves it                   | cluster1     | 192.0.2.1    | 2          | cluster1     | cluster1     | 192.0.2.9    | 2          | cluster1 | 192.0.2.9 | 2
            a stale epoch is ignored                  | cluster1     | 192.0.2.9    | 3          | cluster1     | cluster1     | 192.0.2.1    | 2          | cluster1 | 192.0.2.9 | 3
            another cluster than the spec's           | cluster1     | 192.0.2.1    | 2          | cluster1     | cluster9     | 192.0.2.7    | 5          | cluster1 | 192.0.2.1 | 2
            the spec's new cluster, any epoch         | cluster1     | 192.0.2.1    | 7          | cluster2     | cluster2     | 192.0.2.2    | 1          | cluster2 | 192.0.2.2 | 1
            before any spec                           | ''           | ''           | -1         | ''           | cluster1     | 192.0.2.1    | 0          | cluster1 | 192.0.2.1 | 0
            """)
    void theAddressIsTheNewestEpochsForTheSpecsCluster(String name, String heldCluster, String heldAddress, long heldEpoch,
            String specCluster, String factCluster, String factAddress, long factEpoch, String cluster, String address,
            long epoch) {
        Address held = heldAddress.isEmpty() ? Address.NONE : new Address(heldCluster, heldAddress, "IPAddress", heldEpoch);
        Address after = held.after(fact(factCluster, factAddress, factEpoch), specCluster);
        assertThat(after.cluster() + " " + after.address() + " " + after.epoch()).isEqualTo(cluster + " " + address + " " + epoch);
    }

    @Test
    void aMemberCarriesTheAddressOnlyOfItsOwnCluster() {
        SmcPeering.Member self = new SmcPeering.Member("cluster2", "net2", "td2", false);
        assertThat(MeshMember.of(KEY, "u1", self, new Address("cluster2", "192.0.2.2", "IPAddress", 1)))
                .isEqualTo(new MeshMember(KEY, "u1", "cluster2", "net2", "td2", false, "192.0.2.2", "IPAddress"));
        assertThat(MeshMember.of(KEY, "u1", self, new Address("cluster1", "192.0.2.1", "IPAddress", 1)))
                .as("the address of the cluster the controller left").isEqualTo(new MeshMember(KEY, "u1", "cluster2", "net2",
                        "td2", false, "", ""));
        assertThat(MeshMember.of(KEY, "u1", null, new Address("cluster2", "192.0.2.2", "IPAddress", 1))).as("not peered").isNull();
    }

    @Test
    void theMeshRecordsReadBackAsWritten() {
        MeshMember m = new MeshMember(KEY, "u1", "cluster2", "net2", "td2", true, "192.0.2.2", "IPAddress");
        assertThat(MeshChange.fromJson(new MeshChange(KEY, m).toJson())).isEqualTo(new MeshChange(KEY, m));
        assertThat(MeshChange.fromJson(MeshChange.left(KEY).toJson()).member()).isNull();
        PeerSet s = new PeerSet(KEY, "u1", java.util.List.of(m.asPeer()));
        assertThat(PeerSet.fromJson(s.toJson())).isEqualTo(s);
        MeshInputs i = MeshInputs.first("u1").withSpec(2, 3, "{}", null, false).withForwarded(m).withPeers(s.peers());
        assertThat(MeshInputs.fromJson(i.toJson())).isEqualTo(i);
    }
}
