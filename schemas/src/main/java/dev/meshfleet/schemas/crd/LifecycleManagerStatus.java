package dev.meshfleet.schemas.crd;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * status of an ILM or GLM: {@code clusters.<cluster>.installations.<revision>} as in the seeds,
 * plus {@code observedGeneration} and the {@code summary} the printer columns read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleManagerStatus(Long observedGeneration, Summary summary, Map<String, ClusterStatus> clusters) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String state, String healthy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterStatus(Map<String, InstallationStatus> installations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstallationStatus(String state, String message, String observedRevision,
            JsonNode observedOperator) {
    }
}
