package dev.meshfleet.translator.stream;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.meshfleet.translator.json.StoreJson;

/**
 * What the translator remembers per owner (state store value, as JSON): the last processed uid,
 * generation and operation (for dedupe: intake re-publishes everything after a restart), the
 * clusters it has plans in (to send tombstones for clusters that disappear) and the plan hash per
 * "cluster|revision" (to announce INSTALL_PENDING only for new or changed plans; the plans
 * themselves are in their own store, one record per plan, see {@link KeptPlan}).
 */
public record OwnerMemo(String uid, long generation, String operation, List<String> clusters, Map<String, String> planHashes,
        String extensionsHash, long translatedEvents, String annotationsHash) {
    /**
     * @param extensionsHash for a ServiceMeshController, the hash of the gloo-extensions-config data it was translated
     *                       with ("" for none, and in memos written before it existed): a change of that ConfigMap
     *                       comes with the same generation and must still be translated (docs/adr/0045)
     * @param translatedEvents the events the translate steps of this generation have numbered so far (0 in memos
     *                       written before it existed): the next step of the same generation numbers on from there
     * @param annotationsHash the hash of the annotations Meshfleet acts on that the resource was translated with ("" for
     *                       none, and in memos written before it existed): a ServiceMeshController annotated for
     *                       NodePort peering comes with the same generation and must still be translated
     *                       (docs/adr/0046)
     */
    public OwnerMemo {
        clusters = List.copyOf(clusters);
        planHashes = Map.copyOf(new TreeMap<>(planHashes));
        extensionsHash = extensionsHash == null ? "" : extensionsHash;
        annotationsHash = annotationsHash == null ? "" : annotationsHash;
    }

    public OwnerMemo(String uid, long generation, String operation, List<String> clusters, Map<String, String> planHashes) {
        this(uid, generation, operation, clusters, planHashes, "", 0, "");
    }

    public String toJson() {
        return StoreJson.write(this, "a memo");
    }

    public static OwnerMemo fromJson(String json) {
        return StoreJson.read(json, OwnerMemo.class, "translator memo");
    }
}
