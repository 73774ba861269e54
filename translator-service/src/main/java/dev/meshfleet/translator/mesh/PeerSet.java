package dev.meshfleet.translator.mesh;

import dev.meshfleet.translation.SmcPeering;
import java.util.List;
import dev.meshfleet.translator.json.StoreJson;

/**
 * A member's view of its mesh, keyed by its owner key, from the mesh step back to the translate step (docs/adr/0046):
 * the other members whose east-west address is known, sorted by cluster. {@code uid} names the incarnation it is
 * for, so that a view of a deleted controller never reaches its re-creation.
 */
public record PeerSet(String ownerKey, String uid, List<SmcPeering.Peer> peers) {

    public PeerSet {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    public String toJson() {
        return StoreJson.write(this, "a mesh record");
    }

    public static PeerSet fromJson(String json) {
        return StoreJson.read(json, PeerSet.class, "translator peer set record");
    }
}
