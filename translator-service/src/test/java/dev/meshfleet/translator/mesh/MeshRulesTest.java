package dev.meshfleet.translator.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.translation.SmcPeering;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The mesh step's rules (docs/adr/0046), each case written out: who a member's peers are, and whose view changes. */
class MeshRulesTest {
    static final String A = "ServiceMeshController/gloo-mesh/a";
    static final String B = "ServiceMeshController/gloo-mesh/b";
    static final String C = "ServiceMeshController/gloo-mesh/c";
    static final String D = "ServiceMeshController/gloo-mesh/d";

    static MeshMember member(String key, String uid, String cluster, String address) {
        return new MeshMember(key, uid, cluster, cluster, cluster, false, address, address.isEmpty() ? "" : "IPAddress");
    }

    static Map<String, MeshMember> mesh(MeshMember... members) {
        Map<String, MeshMember> out = new TreeMap<>();
        for (MeshMember m : members) {
            out.put(m.ownerKey(), m);
        }
        return out;
    }

    /** A view as "owner: peer@address, ..." for the assertions. */
    static String describe(PeerSet s) {
        return s.ownerKey().substring(s.ownerKey().lastIndexOf('/') + 1) + ": " + String.join(", ",
                s.peers().stream().map(p -> p.cluster() + "@" + p.address()).toList());
    }

    @Test
    void aMembersPeersAreTheOthersWithAKnownAddressSortedByCluster() {
        Map<String, MeshMember> m = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster3", "192.0.2.3"),
                member(C, "uc", "cluster2", "192.0.2.2"), member(D, "ud", "cluster4", ""));

        assertThat(MeshRules.peersOf(m, A)).containsExactly(
                new SmcPeering.Peer("cluster2", "cluster2", "192.0.2.2", "IPAddress", "cluster2", false),
                new SmcPeering.Peer("cluster3", "cluster3", "192.0.2.3", "IPAddress", "cluster3", false));
        assertThat(MeshRules.peersOf(m, D)).extracting(SmcPeering.Peer::cluster)
                .as("one with no address yet still has peers").containsExactly("cluster1", "cluster2", "cluster3");
        assertThat(MeshRules.peersOf(m, "ServiceMeshController/gloo-mesh/unknown")).isEmpty();
    }

    @Test
    void twoMembersOfOneClusterAreOnePeerTheLowestOwnerKeysAndNoPeerOfEachOther() {
        Map<String, MeshMember> m = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster2", "192.0.2.2"),
                member(C, "uc", "cluster2", "192.0.2.99"));

        assertThat(MeshRules.peersOf(m, A)).extracting(p -> p.cluster() + "@" + p.address()).containsExactly("cluster2@192.0.2.2");
        assertThat(MeshRules.peersOf(m, C)).extracting(p -> p.cluster() + "@" + p.address()).containsExactly("cluster1@192.0.2.1");
    }

    @Test
    void theFirstAddressGivesEveryOtherMemberOnePeerAndItselfNone() {
        Map<String, MeshMember> before = mesh(member(A, "ua", "cluster1", ""), member(B, "ub", "cluster2", ""),
                member(C, "uc", "cluster3", ""));
        Map<String, MeshMember> after = MeshRules.after(before, new MeshChange(A, member(A, "ua", "cluster1", "192.0.2.1")));

        assertThat(MeshRules.changed(before, after)).extracting(MeshRulesTest::describe)
                .containsExactly("b: cluster1@192.0.2.1", "c: cluster1@192.0.2.1");
    }

    @Test
    void theNPlusFirstMemberGetsNPeersAndEachOfTheNOneMore() {
        Map<String, MeshMember> before = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster2", "192.0.2.2"));
        Map<String, MeshMember> joined = MeshRules.after(before, new MeshChange(C, member(C, "uc", "cluster3", "")));
        assertThat(MeshRules.changed(before, joined)).extracting(MeshRulesTest::describe).as("no address yet: only its own view")
                .containsExactly("c: cluster1@192.0.2.1, cluster2@192.0.2.2");

        Map<String, MeshMember> addressed = MeshRules.after(joined, new MeshChange(C, member(C, "uc", "cluster3", "192.0.2.3")));
        assertThat(MeshRules.changed(joined, addressed)).extracting(MeshRulesTest::describe)
                .containsExactly("a: cluster2@192.0.2.2, cluster3@192.0.2.3", "b: cluster1@192.0.2.1, cluster3@192.0.2.3");
    }

    @Test
    void aTombstoneTakesTheMemberOutOfEveryPeersViewAndSendsItNone() {
        Map<String, MeshMember> before = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster2", "192.0.2.2"),
                member(C, "uc", "cluster3", "192.0.2.3"));
        Map<String, MeshMember> after = MeshRules.after(before, MeshChange.left(B));

        assertThat(after).containsOnlyKeys(A, C);
        assertThat(MeshRules.changed(before, after)).extracting(MeshRulesTest::describe)
                .containsExactly("a: cluster3@192.0.2.3", "c: cluster1@192.0.2.1");
    }

    @Test
    void aMovedAddressReachesTheOthersAndAChangeNoPeerSeesReachesNobody() {
        Map<String, MeshMember> before = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster2", "192.0.2.2"));
        Map<String, MeshMember> moved = MeshRules.after(before, new MeshChange(A, member(A, "ua", "cluster1", "192.0.2.11")));
        assertThat(MeshRules.changed(before, moved)).extracting(MeshRulesTest::describe).containsExactly("b: cluster1@192.0.2.11");

        Map<String, MeshMember> same = MeshRules.after(moved, new MeshChange(A, member(A, "ua", "cluster1", "192.0.2.11")));
        assertThat(MeshRules.changed(moved, same)).isEmpty();
    }

    @Test
    void aRecreatedControllerIsSentItsPeersAgainThoughTheyDidNotChange() {
        Map<String, MeshMember> before = mesh(member(A, "ua", "cluster1", "192.0.2.1"), member(B, "ub", "cluster2", "192.0.2.2"));
        Map<String, MeshMember> after = MeshRules.after(before, new MeshChange(B, member(B, "ub2", "cluster2", "192.0.2.2")));

        List<PeerSet> changed = MeshRules.changed(before, after);
        assertThat(changed).extracting(MeshRulesTest::describe).containsExactly("b: cluster1@192.0.2.1");
        assertThat(changed.get(0).uid()).isEqualTo("ub2");
    }
}
