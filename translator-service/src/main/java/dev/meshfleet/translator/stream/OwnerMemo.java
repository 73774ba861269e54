package dev.meshfleet.translator.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the translator remembers per owner (state store value, as JSON): the last processed uid,
 * generation and operation (for dedupe: intake re-publishes everything after a restart), the
 * clusters it has plans in (to send tombstones for clusters that disappear) and the plan hash per
 * "cluster|revision" (to announce INSTALL_PENDING only for new or changed plans; the plans
 * themselves are in their own store, one record per plan, see {@link KeptPlan}).
 */
public record OwnerMemo(String uid, long generation, String operation, List<String> clusters, Map<String, String> planHashes) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public OwnerMemo {
        clusters = List.copyOf(clusters);
        planHashes = Map.copyOf(new TreeMap<>(planHashes));
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a memo always serializes", e);
        }
    }

    public static OwnerMemo fromJson(String json) {
        try {
            return MAPPER.readValue(json, OwnerMemo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt translator memo: " + e.getOriginalMessage(), e);
        }
    }
}
