package dev.meshfleet.schemas.crd;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * spec of an IstioLifecycleManager, field names as in seed 000; {@code helmGlobal} (chart source,
 * as GLM's) is a Meshfleet extension.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IstioLifecycleManagerSpec(List<Installation> installations, JsonNode helmGlobal) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Installation(List<Cluster> clusters, IstioController istioController, JsonNode istioOperatorSpec,
            String revision, Boolean skipUpgradeValidation) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cluster(Boolean defaultRevision, String name, String trustDomain) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IstioController(Map<String, String> annotations, List<JsonNode> envVars,
            List<Map<String, String>> imagePullSecrets, Map<String, String> labels, JsonNode resources,
            JsonNode securityContext, String waitForResourcesTimeout) {
    }
}
