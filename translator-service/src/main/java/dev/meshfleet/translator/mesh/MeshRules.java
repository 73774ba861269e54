package dev.meshfleet.translator.mesh;

import dev.meshfleet.translation.SmcPeering;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The mesh step's rules (docs/adr/0046), pure: a mesh is the members of one namespace, by owner key; a member's peers
 * are the other members whose east-west address is known; a change of one member re-plans only the members whose
 * peers it changes.
 */
public final class MeshRules {
    private MeshRules() {
    }

    /** The members after {@code change}: the member put under its owner key, or removed for a tombstone. */
    public static SortedMap<String, MeshMember> after(Map<String, MeshMember> members, MeshChange change) {
        SortedMap<String, MeshMember> out = new TreeMap<>(members);
        if (change.member() == null) {
            out.remove(change.ownerKey());
        } else {
            out.put(change.ownerKey(), change.member());
        }
        return out;
    }

    /**
     * The peers of the member {@code ownerKey} among {@code members}: every other member with a known address and a
     * cluster other than its own, sorted by cluster. Two members naming one cluster (which the control plane's claim
     * refuses for the second) give one peer, the lowest owner key's: the chart renders one Gateway per cluster.
     */
    public static List<SmcPeering.Peer> peersOf(Map<String, MeshMember> members, String ownerKey) {
        MeshMember self = members.get(ownerKey);
        if (self == null) {
            return List.of();
        }
        SortedMap<String, SmcPeering.Peer> byCluster = new TreeMap<>();
        new TreeMap<>(members).forEach((key, m) -> {
            if (!key.equals(ownerKey) && !m.address().isEmpty() && !m.cluster().equals(self.cluster())) {
                byCluster.putIfAbsent(m.cluster(), m.asPeer());
            }
        });
        List<SmcPeering.Peer> peers = new ArrayList<>(byCluster.values());
        peers.sort(Comparator.comparing(SmcPeering.Peer::cluster));
        return List.copyOf(peers);
    }

    /**
     * The views that changed from {@code before} to {@code after}, one {@link PeerSet} per member of {@code after}
     * whose peers differ from those it had (none when it is new or another incarnation: it was planned without
     * peers), sorted by owner key. A member that left gets none: its own plan no longer has the peering installation.
     */
    public static List<PeerSet> changed(Map<String, MeshMember> before, Map<String, MeshMember> after) {
        List<PeerSet> out = new ArrayList<>();
        new TreeMap<>(after).forEach((key, member) -> {
            MeshMember was = before.get(key);
            List<SmcPeering.Peer> had = was != null && Objects.equals(was.uid(), member.uid()) ? peersOf(before, key)
                    : List.of();
            List<SmcPeering.Peer> has = peersOf(after, key);
            if (!has.equals(had)) {
                out.add(new PeerSet(key, member.uid(), has));
            }
        });
        return out;
    }
}
