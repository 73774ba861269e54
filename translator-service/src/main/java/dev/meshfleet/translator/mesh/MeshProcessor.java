package dev.meshfleet.translator.mesh;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.meshfleet.translator.json.StoreJson;

/**
 * The mesh step (docs/adr/0046), keyed by namespace: keeps the members of each mesh (store {@code translator-meshes}:
 * namespace -> the members by owner key, JSON) and forwards, keyed by owner key, a {@link PeerSet} for each member
 * whose peers a change made different ({@link MeshRules#changed}). A change that changes nothing forwards nothing, so
 * processing a record twice is safe.
 */
public final class MeshProcessor implements Processor<String, String, String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(MeshProcessor.class);
    private static final TypeReference<TreeMap<String, MeshMember>> MEMBERS = new TypeReference<>() {
    };

    private final String storeName;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> meshes;

    public MeshProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.meshes = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        MeshChange change = MeshChange.fromJson(record.value());
        String stored = meshes.get(record.key());
        Map<String, MeshMember> before = stored == null ? Map.of()
                : StoreJson.read(stored, MEMBERS, "translator mesh record");
        SortedMap<String, MeshMember> after = MeshRules.after(before, change);
        if (after.equals(before)) {
            return;
        }
        if (after.isEmpty()) {
            meshes.delete(record.key());
        } else {
            meshes.put(record.key(), StoreJson.write(after, "a mesh record"));
        }
        List<PeerSet> changed = MeshRules.changed(before, after);
        LOG.info("mesh {}: {} {}; {} member(s), new peers for {}", record.key(), change.ownerKey(),
                change.member() == null ? "left" : "is " + describe(change.member()), after.size(),
                changed.stream().map(PeerSet::ownerKey).toList());
        for (PeerSet peers : changed) {
            context.forward(record.withKey(peers.ownerKey()).withValue(peers.toJson()));
        }
    }

    private static String describe(MeshMember m) {
        return m.cluster() + (m.address().isEmpty() ? " (no east-west address yet)" : " at " + m.address());
    }
}
