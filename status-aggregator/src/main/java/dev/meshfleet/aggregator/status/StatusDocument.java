package dev.meshfleet.aggregator.status;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;

/**
 * The CR status (seeds 000/001 plus our observedGeneration and summary) rendered from a
 * {@link LifecycleStatus}. Pure; the same status always renders to the same JSON, so comparing it
 * with what the CR holds tells whether a write is needed.
 *
 * <pre>
 * observedGeneration: 3
 * summary: {state: HEALTHY, healthy: "1/1"}
 * clusters:
 *   cluster1:
 *     installations:
 *       1-24:                       # "default" for a revisionless installation
 *         state: HEALTHY
 *         message: ...              # omitted when empty
 *         observedRevision: 1-24    # omitted when empty
 *         observedOperator: {...}   # the deployed IstioOperator spec as an object; omitted when none
 * </pre>
 * A translation error about the whole resource (no cluster) is shown under the cluster key {@value #WHOLE_RESOURCE}.
 */
public final class StatusDocument {
    /** Status key of a revisionless installation (Avro carries ""). */
    public static final String DEFAULT_REVISION = "default";
    /** Status key for an error that concerns no particular cluster (Avro carries ""). */
    public static final String WHOLE_RESOURCE = "*";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusDocument() {
    }

    public static ObjectNode render(LifecycleStatus status) {
        ObjectNode root = NODES.objectNode();
        root.put("observedGeneration", status.getObservedGeneration());
        ObjectNode summary = root.putObject("summary");
        summary.put("state", status.getSummary().getState());
        summary.put("healthy", status.getSummary().getHealthy() + "/" + status.getSummary().getTotal());
        ObjectNode clusters = root.putObject("clusters");
        for (Map.Entry<String, ClusterStatus> cluster : new TreeMap<>(status.getClusters()).entrySet()) {
            ObjectNode installations = NODES.objectNode();
            for (Map.Entry<String, InstallationStatus> i : new TreeMap<>(cluster.getValue().getInstallations())
                    .entrySet()) {
                installations.set(revisionKey(i.getKey()), installation(i.getValue()));
            }
            if (!installations.isEmpty()) {
                clusters.putObject(clusterKey(cluster.getKey())).set("installations", installations);
            }
        }
        return root;
    }

    public static String revisionKey(String revision) {
        return revision == null || revision.isEmpty() ? DEFAULT_REVISION : revision;
    }

    public static String clusterKey(String cluster) {
        return cluster == null || cluster.isEmpty() ? WHOLE_RESOURCE : cluster;
    }

    private static ObjectNode installation(InstallationStatus i) {
        ObjectNode node = NODES.objectNode();
        node.put("state", i.getState());
        if (i.getMessage() != null && !i.getMessage().isEmpty()) {
            node.put("message", i.getMessage());
        }
        if (i.getObservedRevision() != null && !i.getObservedRevision().isEmpty()) {
            node.put("observedRevision", i.getObservedRevision());
        }
        if (i.getObservedOperatorJson() != null && !i.getObservedOperatorJson().isBlank()) {
            node.set("observedOperator", operator(i.getObservedOperatorJson()));
        }
        return node;
    }

    /** The operator as an object, as the seeds show it; text that is not JSON is kept as a string rather than lost. */
    private static JsonNode operator(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);
        }
    }
}
