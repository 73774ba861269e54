package dev.meshfleet.aggregator.status;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.crd.Crds;
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
    /**
     * Status key for an error that concerns no particular cluster: the translator sends it as the
     * cluster already; an empty cluster (records from before) is shown under it too.
     */
    public static final String WHOLE_RESOURCE = Crds.WHOLE_RESOURCE_CLUSTER;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusDocument() {
    }

    /**
     * The full shape while it is small (up to {@value #FULL_SHAPE_LIMIT} characters of JSON: a few hundred
     * installations), else {@link #renderShared}: a status must stay far under the 1.5 MiB Kubernetes
     * accepts for a whole object (docs/adr/0006). The full shape's length is computed from the shared one's, so a
     * fleet-size status is never rendered and serialized whole only to be measured; each distinct operator text is
     * parsed once.
     */
    public static ObjectNode render(LifecycleStatus status) {
        Map<String, JsonNode> operators = new HashMap<>();
        Map<String, String> sharedOperators = sharedOperators(status);
        ObjectNode shared = render(status, sharedOperators, operators);
        if (sharedOperators.isEmpty() || fullLength(status, shared, sharedOperators, operators) > FULL_SHAPE_LIMIT) {
            // Without an operator both shapes are one.
            return shared;
        }
        return render(status, Map.of(), operators);
    }

    /** The seeds' shape: every installation carries its own observedOperator. */
    public static ObjectNode renderFull(LifecycleStatus status) {
        return render(status, Map.of(), new HashMap<>());
    }

    /**
     * The fleet-size shape: per revision, the operator most installations of that revision run is
     * written once under {@code observedOperators.<revision>}, and an installation carries its own
     * {@code observedOperator} only when it runs another one. Nothing is lost: the full status of every
     * installation is on {@code meshfleet.lifecycle-status}.
     */
    public static ObjectNode renderShared(LifecycleStatus status) {
        return render(status, sharedOperators(status), new HashMap<>());
    }

    /** Characters of JSON of the full shape beyond which the status is written in the shared shape. */
    public static final int FULL_SHAPE_LIMIT = 256 * 1024;

    /**
     * The length of {@code renderFull(status).toString()}, from the shared shape: without its
     * {@code "observedOperators":{...},} and with {@code ,"observedOperator":<operator>} at the end of each
     * installation whose operator the shared shape left out (an installation's object always starts with its state).
     */
    static long fullLength(LifecycleStatus status, ObjectNode shared, Map<String, String> sharedOperators,
            Map<String, JsonNode> operators) {
        long length = shared.toString().length();
        JsonNode block = shared.get("observedOperators");
        if (block != null) {
            length -= ("\"observedOperators\":" + block + ",").length();
        }
        Map<String, Integer> operatorLengths = new HashMap<>();
        int key = ",\"observedOperator\":".length();
        for (ClusterStatus cluster : status.getClusters().values()) {
            for (Map.Entry<String, InstallationStatus> i : cluster.getInstallations().entrySet()) {
                String json = i.getValue().getObservedOperatorJson();
                if (json != null && !json.isBlank() && json.equals(sharedOperators.get(i.getKey()))) {
                    length += key + operatorLengths.computeIfAbsent(json, j -> operator(j, operators).toString().length());
                }
            }
        }
        return length;
    }

    private static ObjectNode render(LifecycleStatus status, Map<String, String> sharedOperators,
            Map<String, JsonNode> operators) {
        ObjectNode root = NODES.objectNode();
        root.put("observedGeneration", status.getObservedGeneration());
        ObjectNode summary = root.putObject("summary");
        summary.put("state", status.getSummary().getState());
        summary.put("healthy", status.getSummary().getHealthy() + "/" + status.getSummary().getTotal());
        if (!sharedOperators.isEmpty()) {
            ObjectNode shared = root.putObject("observedOperators");
            new TreeMap<>(sharedOperators).forEach((revision, json) -> shared.set(revisionKey(revision),
                    operator(json, operators)));
        }
        ObjectNode clusters = root.putObject("clusters");
        for (Map.Entry<String, ClusterStatus> cluster : new TreeMap<>(status.getClusters()).entrySet()) {
            ObjectNode installations = NODES.objectNode();
            for (Map.Entry<String, InstallationStatus> i : new TreeMap<>(cluster.getValue().getInstallations())
                    .entrySet()) {
                installations.set(revisionKey(i.getKey()),
                        installation(i.getValue(), sharedOperators.get(i.getKey()), operators));
            }
            if (!installations.isEmpty()) {
                clusters.putObject(clusterKey(cluster.getKey())).set("installations", installations);
            }
        }
        return root;
    }

    /** Per revision, the operator JSON most of its installations report (ties: the smallest text, for a stable result). */
    static Map<String, String> sharedOperators(LifecycleStatus status) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        status.getClusters().values().forEach(c -> c.getInstallations().forEach((revision, i) -> {
            if (i.getObservedOperatorJson() != null && !i.getObservedOperatorJson().isBlank()) {
                counts.computeIfAbsent(revision, r -> new TreeMap<>()).merge(i.getObservedOperatorJson(), 1, Integer::sum);
            }
        }));
        Map<String, String> shared = new TreeMap<>();
        counts.forEach((revision, byJson) -> byJson.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed()))
                .ifPresent(e -> shared.put(revision, e.getKey())));
        return shared;
    }

    public static String revisionKey(String revision) {
        return revision == null || revision.isEmpty() ? DEFAULT_REVISION : revision;
    }

    public static String clusterKey(String cluster) {
        return cluster == null || cluster.isEmpty() ? WHOLE_RESOURCE : cluster;
    }

    private static ObjectNode installation(InstallationStatus i, String sharedOperator, Map<String, JsonNode> operators) {
        ObjectNode node = NODES.objectNode();
        node.put("state", i.getState());
        if (i.getMessage() != null && !i.getMessage().isEmpty()) {
            node.put("message", i.getMessage());
        }
        if (i.getObservedRevision() != null && !i.getObservedRevision().isEmpty()) {
            node.put("observedRevision", i.getObservedRevision());
        }
        if (i.getObservedOperatorJson() != null && !i.getObservedOperatorJson().isBlank()
                && !i.getObservedOperatorJson().equals(sharedOperator)) {
            node.set("observedOperator", operator(i.getObservedOperatorJson(), operators));
        }
        return node;
    }

    /**
     * The operator as an object, as the seeds show it; text that is not JSON is kept as a string rather than lost.
     * Parsed once per distinct text ({@code parsed}): the installations of a revision share one tree, which nothing
     * changes once rendered.
     */
    private static JsonNode operator(String json, Map<String, JsonNode> parsed) {
        return parsed.computeIfAbsent(json, text -> {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return NODES.textNode(text);
            }
        });
    }
}
