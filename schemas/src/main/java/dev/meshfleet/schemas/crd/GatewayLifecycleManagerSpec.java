package dev.meshfleet.schemas.crd;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** spec of a GatewayLifecycleManager, field names as in seed 001. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayLifecycleManagerSpec(List<Installation> installations, JsonNode helmGlobal) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Installation(List<Cluster> clusters, String controlPlaneRevision, String gatewayRevision,
            JsonNode istioOperatorSpec, Boolean skipUpgradeValidation) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cluster(Boolean activeGateway, String name, String trustDomain) {
    }
}
