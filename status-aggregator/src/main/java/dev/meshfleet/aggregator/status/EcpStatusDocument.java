package dev.meshfleet.aggregator.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.state.IlmState;
import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;

/**
 * An ExternalControlPlane's status (docs/adr/0031), a pure mapping from its folded status and its spec: per cluster
 * its role (external, config, remote: from the spec, which names them), the lifecycle state of its one revisionless
 * installation (the ILM's states), message and observed revision; and the summary the printer columns read: STATE (the
 * most severe state present, as an ILM's), EXTERNAL (the external cluster's state) and REMOTES ({@code n/m} of the
 * spec's remote clusters, the config cluster included, that are HEALTHY).
 *
 * <pre>
 * observedGeneration: 2
 * summary: {state: HEALTHY, external: HEALTHY, remotes: 2/2}
 * clusters:
 *   cluster1: {role: external, state: HEALTHY, observedRevision: 1.24.2-solo}
 *   cluster2: {role: config, state: HEALTHY, observedRevision: 1.24.2-solo}
 *   cluster3: {role: remote, state: INSTALLING_CONTROL_PLANE}
 * </pre>
 * A cluster the spec no longer names keeps its last state (UNINSTALLING, UNINSTALLED) without a role; an error of the
 * whole resource is shown under {@value Crds#WHOLE_RESOURCE_CLUSTER} without a role.
 */
public final class EcpStatusDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EcpStatusDocument() {
    }

    /** The status to write; {@code spec} is the resource's spec as stored (null or missing: no roles known). */
    public static ObjectNode render(LifecycleStatus status, JsonNode spec) {
        Map<String, String> roles = roles(spec == null ? NODES.missingNode() : spec);
        ObjectNode root = NODES.objectNode();
        root.put("observedGeneration", status.getObservedGeneration());
        ObjectNode summary = root.putObject("summary");
        summary.put("state", status.getSummary().getState());
        ObjectNode clusters = NODES.objectNode();
        int remotes = 0;
        int healthyRemotes = 0;
        String externalState = null;
        for (Map.Entry<String, ClusterStatus> c : new TreeMap<>(status.getClusters()).entrySet()) {
            InstallationStatus installation = c.getValue().getInstallations().get("");
            if (installation == null) {
                continue; // an ECP's installations are revisionless; nothing else is its
            }
            String cluster = c.getKey().isEmpty() ? Crds.WHOLE_RESOURCE_CLUSTER : c.getKey();
            ObjectNode entry = clusters.putObject(cluster);
            String role = roles.get(cluster);
            if (role != null) {
                entry.put("role", role);
            }
            entry.put("state", installation.getState());
            if (installation.getMessage() != null && !installation.getMessage().isEmpty()) {
                entry.put("message", installation.getMessage());
            }
            if (installation.getObservedRevision() != null && !installation.getObservedRevision().isEmpty()) {
                entry.put("observedRevision", installation.getObservedRevision());
            }
            if ("external".equals(role)) {
                externalState = installation.getState();
            }
        }
        for (Map.Entry<String, String> r : roles.entrySet()) {
            if (!r.getValue().equals("external")) {
                remotes++;
                JsonNode state = clusters.path(r.getKey()).path("state");
                if (IlmState.HEALTHY.name().equals(state.asText())) {
                    healthyRemotes++;
                }
            }
        }
        if (externalState != null) {
            summary.put("external", externalState);
        }
        summary.put("remotes", healthyRemotes + "/" + remotes);
        root.set("clusters", clusters);
        return root;
    }

    /**
     * Each cluster the spec names, with its role: {@code spec.external.cluster} external; in {@code spec.remoteClusters}
     * the entry with {@code configCluster: true}, else the first, config; the others remote (the CRD's rule, which the
     * translator's validation holds every admitted spec to).
     */
    static Map<String, String> roles(JsonNode spec) {
        Map<String, String> roles = new LinkedHashMap<>();
        String external = spec.path("external").path("cluster").asText("");
        if (!external.isEmpty()) {
            roles.put(external, "external");
        }
        JsonNode remotes = spec.path("remoteClusters");
        String config = null;
        for (JsonNode r : remotes) {
            if (r.path("configCluster").asBoolean(false)) {
                config = r.path("name").asText("");
                break;
            }
        }
        if (config == null && remotes.size() > 0 && !remotes.get(0).path("configCluster").isBoolean()) {
            config = remotes.get(0).path("name").asText("");
        }
        for (JsonNode r : remotes) {
            String name = r.path("name").asText("");
            if (!name.isEmpty() && !roles.containsKey(name)) {
                roles.put(name, name.equals(config) ? "config" : "remote");
            }
        }
        return roles;
    }
}
