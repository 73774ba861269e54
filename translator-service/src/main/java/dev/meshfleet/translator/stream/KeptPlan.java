package dev.meshfleet.translator.stream;

import dev.meshfleet.translation.Plan;
import dev.meshfleet.translator.json.StoreJson;

/**
 * A plan as last forwarded for one owner, cluster and revision, with the generation it was translated
 * from (its hash covers that generation): what keeps running while a later generation has errors in
 * that cluster. Stored one record per plan (store {@code translator-owner-plans}, key
 * {@code Kind/ns/name|cluster|revision}, JSON), so an owner across a thousand clusters never makes one
 * record larger than a plan.
 */
public record KeptPlan(long generation, Plan plan) {
    public String toJson() {
        return StoreJson.write(this, "a plan");
    }

    public static KeptPlan fromJson(String json) {
        return StoreJson.read(json, KeptPlan.class, "kept plan");
    }
}
