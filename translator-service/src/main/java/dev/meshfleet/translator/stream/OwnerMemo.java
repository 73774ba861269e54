package dev.meshfleet.translator.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.meshfleet.translator.translate.Plan;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the translator remembers per owner (state store value, as JSON): the last processed uid,
 * generation and operation (for dedupe: intake re-publishes everything after a restart), the
 * clusters it has plans in (to send tombstones for clusters that disappear) and the plan hash per
 * "cluster|revision" (to announce INSTALL_PENDING only for new or changed plans), and the plan
 * itself with the generation it was translated from (to keep it running while a later generation
 * has errors in its cluster: {@link TranslateProcessor}). A memo written before {@code plans}
 * existed reads with none.
 */
public record OwnerMemo(String uid, long generation, String operation, List<String> clusters, Map<String, String> planHashes,
        Map<String, KeptPlan> plans) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public OwnerMemo {
        clusters = List.copyOf(clusters);
        planHashes = Map.copyOf(new TreeMap<>(planHashes));
        plans = plans == null ? Map.of() : Map.copyOf(plans);
    }

    /** A plan as last forwarded, with the generation it belongs to (its hash covers that generation). */
    public record KeptPlan(long generation, Plan plan) {
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
