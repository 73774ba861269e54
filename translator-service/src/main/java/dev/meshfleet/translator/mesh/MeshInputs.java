package dev.meshfleet.translator.mesh;

import dev.meshfleet.translation.SmcPeering;
import java.util.List;
import dev.meshfleet.translator.json.StoreJson;

/**
 * What the translate step keeps per ServiceMeshController for the mesh join (store {@code translator-smc-mesh}, as
 * JSON; docs/adr/0046): the last spec change it translated ({@code uid}, {@code generation}, {@code observedAtMillis},
 * {@code specJson} and {@code extensionsJson}; {@code specJson} null while none was seen, {@code deleted} once it was
 * deleted; {@code failed} when that spec translated with errors: new peers then wait for a spec that translates, as
 * the plans do), the east-west address last reported for it ({@link Address}), the member it last told the mesh step
 * ({@code forwarded}, null while it is none) and the peers the mesh step last sent it. The spec is the stored
 * resource's, which the audit log already holds; no credential is in it.
 */
public record MeshInputs(String uid, long generation, long observedAtMillis, String specJson, String extensionsJson,
        boolean failed, boolean deleted, Address address, MeshMember forwarded, List<SmcPeering.Peer> peers) {

    public MeshInputs {
        address = address == null ? Address.NONE : address;
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** A controller not seen before: nothing known but its uid. */
    public static MeshInputs first(String uid) {
        return new MeshInputs(uid, 0, 0, null, null, false, false, Address.NONE, null, List.of());
    }

    /**
     * The inputs kept for the spec change of {@code uid}: this incarnation's address carries over (a report can come
     * before the spec on a replay); another incarnation's nothing.
     */
    public static MeshInputs forSpec(MeshInputs before, String uid) {
        return before == null || !before.uid().equals(uid) ? first(uid) : before;
    }

    public MeshInputs withSpec(long generationOfChange, long observedAt, String spec, String extensions,
            boolean translationFailed) {
        return new MeshInputs(uid, generationOfChange, observedAt, spec, extensions, translationFailed, false, address,
                forwarded, peers);
    }

    public MeshInputs asDeleted() {
        return new MeshInputs(uid, generation, observedAtMillis, null, null, false, true, address, null, List.of());
    }

    public MeshInputs withAddress(Address next) {
        return new MeshInputs(uid, generation, observedAtMillis, specJson, extensionsJson, failed, deleted, next,
                forwarded, peers);
    }

    /**
     * Told the mesh step {@code member}. A controller that is no member any more has no peers, and no address: its
     * peering installation, so its east-west Gateway, is removed, and a new one reports its own address.
     */
    public MeshInputs withForwarded(MeshMember member) {
        return new MeshInputs(uid, generation, observedAtMillis, specJson, extensionsJson, failed, deleted,
                member == null ? Address.NONE : address, member, member == null ? List.of() : peers);
    }

    public MeshInputs withPeers(List<SmcPeering.Peer> next) {
        return new MeshInputs(uid, generation, observedAtMillis, specJson, extensionsJson, failed, deleted, address,
                forwarded, next);
    }

    /** What the controller's peering installation is planned with. */
    public SmcPeering.Inputs planInputs() {
        return new SmcPeering.Inputs(forwarded != null && forwarded.nodePort(), peers);
    }

    public String toJson() {
        return StoreJson.write(this, "a mesh record");
    }

    public static MeshInputs fromJson(String json) {
        return StoreJson.read(json, MeshInputs.class, "translator mesh inputs record");
    }
}
