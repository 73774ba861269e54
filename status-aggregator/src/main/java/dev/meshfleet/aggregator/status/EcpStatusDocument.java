package dev.meshfleet.aggregator.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.aggregator.fold.Summary;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.v1.ResourceKind;
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
 * A config or remote cluster whose installation is HEALTHY but runs a plan without its webhooks (the observed spec's
 * {@code webhooks: false}: the external istiod was not yet reported HEALTHY) is shown INSTALLING_CONTROL_PLANE, since
 * no sidecar is injected there yet; the summary's state counts it so. A cluster the spec no longer names keeps its last state (UNINSTALLING, UNINSTALLED) without a role; an error of the
 * whole resource is shown under {@value Crds#WHOLE_RESOURCE_CLUSTER} without a role.
 */
public final class EcpStatusDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private EcpStatusDocument() {
    }

    /**
     * The folded status as the mesh sees it: a config or remote cluster whose installation is HEALTHY but runs a plan
     * without its webhooks is INSTALLING_CONTROL_PLANE, with a message saying what it waits for (no sidecar is injected
     * there yet). What the document, the conditions and the Events all show. Pure; {@code status} is not changed.
     */
    public static LifecycleStatus asTheMeshSeesIt(LifecycleStatus status, JsonNode spec) {
        Map<String, String> roles = roles(spec == null ? NODES.missingNode() : spec);
        LifecycleStatus seen = null;
        for (Map.Entry<String, ClusterStatus> c : status.getClusters().entrySet()) {
            InstallationStatus installation = c.getValue().getInstallations().get("");
            String role = roles.get(c.getKey());
            if (installation == null || role == null || !WAITING_ROLES.contains(role)
                    || !IlmState.HEALTHY.name().equals(installation.getState()) || !withoutWebhooks(installation)) {
                continue;
            }
            if (seen == null) {
                seen = LifecycleStatus.newBuilder(status).build();
            }
            ClusterStatus cluster = ClusterStatus.newBuilder(c.getValue()).build();
            cluster.getInstallations().put("", InstallationStatus.newBuilder(installation)
                    .setState(IlmState.INSTALLING_CONTROL_PLANE.name()).setMessage(WAITING_FOR_WEBHOOKS).build());
            seen.getClusters().put(c.getKey(), cluster);
        }
        return seen == null ? status : seen;
    }

    static final String WAITING_FOR_WEBHOOKS = "installed without its injection and validation webhooks; they follow"
            + " once the external istiod is HEALTHY at the spec's address";

    /** The status to write; {@code spec} is the resource's spec as stored (null or missing: no roles known). */
    public static ObjectNode render(LifecycleStatus fold, JsonNode spec) {
        LifecycleStatus status = asTheMeshSeesIt(fold, spec);
        Map<String, String> roles = roles(spec == null ? NODES.missingNode() : spec);
        ObjectNode root = NODES.objectNode();
        root.put("observedGeneration", status.getObservedGeneration());
        ObjectNode summary = root.putObject("summary");
        ObjectNode clusters = NODES.objectNode();
        String worst = null;
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
            String state = installation.getState();
            String message = installation.getMessage();
            entry.put("state", state);
            if (message != null && !message.isEmpty()) {
                entry.put("message", message);
            }
            if (worst == null || severity(state) < severity(worst)) {
                worst = state;
            }
            if (installation.getObservedRevision() != null && !installation.getObservedRevision().isEmpty()) {
                entry.put("observedRevision", installation.getObservedRevision());
            }
            if ("external".equals(role)) {
                externalState = state;
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
        // The fold's summary, unless a remote cluster shown above as still installing is now the most severe.
        String folded = status.getSummary().getState();
        summary.put("state", worst != null && severity(worst) < severity(folded) ? worst : folded);
        if (externalState != null) {
            summary.put("external", externalState);
        }
        summary.put("remotes", healthyRemotes + "/" + remotes);
        root.set("clusters", clusters);
        return root;
    }

    private static final java.util.Set<String> WAITING_ROLES = java.util.Set.of("config", "remote");

    /** The installation runs a plan of a remote cluster that has no webhooks yet (its observed spec says so). */
    private static boolean withoutWebhooks(InstallationStatus installation) {
        String observed = installation.getObservedOperatorJson();
        if (observed == null || observed.isBlank()) {
            return false;
        }
        try {
            JsonNode webhooks = JSON.readTree(observed).get("webhooks");
            return webhooks != null && webhooks.isBoolean() && !webhooks.asBoolean();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false; // not the translator's JSON: nothing to tell from it
        }
    }

    /** Position in {@link Summary#SEVERITY}: lower is more severe; a state of no known phase sorts last. */
    private static int severity(String state) {
        try {
            int i = Summary.SEVERITY.indexOf(InstallationState.of(ResourceKind.ExternalControlPlane, state).phase());
            return i < 0 ? Integer.MAX_VALUE : i;
        } catch (IllegalArgumentException e) {
            return Integer.MAX_VALUE;
        }
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
