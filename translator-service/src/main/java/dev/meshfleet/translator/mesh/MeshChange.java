package dev.meshfleet.translator.mesh;

import dev.meshfleet.translator.json.StoreJson;

/**
 * What the translate step tells the mesh step about one controller, keyed by its namespace (docs/adr/0046): the
 * member it now is, or a tombstone ({@code member} null) when it was deleted or left peering.
 */
public record MeshChange(String ownerKey, MeshMember member) {

    public static MeshChange left(String ownerKey) {
        return new MeshChange(ownerKey, null);
    }

    public String toJson() {
        return StoreJson.write(this, "a mesh record");
    }

    public static MeshChange fromJson(String json) {
        return StoreJson.read(json, MeshChange.class, "translator mesh change record");
    }
}
