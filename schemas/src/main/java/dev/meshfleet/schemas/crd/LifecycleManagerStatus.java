package dev.meshfleet.schemas.crd;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * status of an ILM or GLM: {@code clusters.<cluster>.installations.<revision>} as in the seeds,
 * plus {@code observedGeneration} and the {@code summary} the printer columns read. A status at fleet
 * size also has {@code observedOperators} (one operator per revision, see the aggregator README), which
 * this type does not read: an installation's own {@code observedOperator} is then present only where it
 * differs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
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
