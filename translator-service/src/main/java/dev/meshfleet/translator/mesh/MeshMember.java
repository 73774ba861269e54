package dev.meshfleet.translator.mesh;

import dev.meshfleet.translation.SmcPeering;

/**
 * One peered ServiceMeshController as its mesh (the peered controllers of its namespace) knows it (docs/adr/0046):
 * its owner key and uid, what its spec brings (cluster, network, trust domain, NodePort or not) and the east-west
 * address its installer last reported for that cluster ("" while none is known). Pure; a state store and repartition
 * value as JSON.
 */
public record MeshMember(String ownerKey, String uid, String cluster, String network, String trustDomain,
        boolean nodePort, String address, String addressType) {

    public MeshMember {
        address = address == null ? "" : address;
        addressType = addressType == null ? "" : addressType;
    }

    /**
     * The member a controller is, from its spec's part ({@code self}, null when it is not peered: no member) and the
     * last address reported; an address reported for another cluster than the spec's is not this member's.
     */
    public static MeshMember of(String ownerKey, String uid, SmcPeering.Member self, Address address) {
        if (self == null) {
            return null;
        }
        boolean ours = address.known() && address.cluster().equals(self.cluster());
        return new MeshMember(ownerKey, uid, self.cluster(), self.network(), self.trustDomain(), self.nodePort(),
                ours ? address.address() : "", ours ? address.addressType() : "");
    }

    /** What the spec brought, without the address. */
    public SmcPeering.Member self() {
        return new SmcPeering.Member(cluster, network, trustDomain, nodePort);
    }

    /** This member as another member's peer; only one whose address is known is one. */
    public SmcPeering.Peer asPeer() {
        return new SmcPeering.Peer(cluster, network, address, addressType, trustDomain, nodePort);
    }
}
