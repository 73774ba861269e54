package dev.meshfleet.aggregator.conditions;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of {@code status.conditions}, as Kubernetes' {@code metav1.Condition} has it: a type, {@code True} or
 * {@code False}, a CamelCase reason, a message, the generation it describes and when its status last changed.
 */
public record Condition(String type, boolean status, String reason, String message, long observedGeneration,
        Instant lastTransitionTime) {

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
        message = message == null ? "" : message;
    }

    /** {@code "True"} or {@code "False"}, as the API has it. */
    public String statusText() {
        return status ? "True" : "False";
    }
}
