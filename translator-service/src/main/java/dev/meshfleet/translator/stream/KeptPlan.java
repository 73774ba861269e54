package dev.meshfleet.translator.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.meshfleet.translation.Plan;

/**
 * A plan as last forwarded for one owner, cluster and revision, with the generation it was translated
 * from (its hash covers that generation): what keeps running while a later generation has errors in
 * that cluster. Stored one record per plan (store {@code translator-owner-plans}, key
 * {@code Kind/ns/name|cluster|revision}, JSON), so an owner across a thousand clusters never makes one
 * record larger than a plan.
 */
public record KeptPlan(long generation, Plan plan) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serializes", e);
        }
    }

    public static KeptPlan fromJson(String json) {
        try {
            return MAPPER.readValue(json, KeptPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt kept plan: " + e.getOriginalMessage(), e);
        }
    }
}
