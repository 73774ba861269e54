package dev.meshfleet.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Server-side apply (PATCH with {@code application/apply-patch+yaml}) on one store, per
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/: the applied configuration is
 * the manager's whole intent; fields it owned before and leaves out are removed unless someone
 * else owns them; a differing value in a field another manager owns is a conflict unless forced.
 * Called under the store's monitor.
 */
final class ServerSideApply {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterStore store;

    ServerSideApply(ClusterStore store) {
        this.store = store;
    }

    static Map<String, String> query(String path) {
        Map<String, String> params = new HashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    MockResponse apply(String path, String body) {
        Map<String, String> query = query(path);
        String manager = query.get("fieldManager");
        if (manager == null || manager.isBlank()) {
            return Status.of(400, "BadRequest",
                    "PATCH " + path + ": fieldManager is required for apply requests (add ?fieldManager=<name>)");
        }
        boolean force = "true".equalsIgnoreCase(query.get("force"));
        if (store.has(Fault.RejectApply.class)) {
            return Status.of(422, "Invalid", "admission webhook \"validate.meshfleet.dev\" denied the request: "
                    + "cluster " + store.cluster() + " rejects every apply (fault reject-apply)");
        }
        ObjectNode config;
        try {
            JsonNode parsed = appliedConfiguration(body == null ? "" : body);
            if (parsed == null || !parsed.isObject()) {
                return Status.of(400, "BadRequest", "the applied configuration must be an object");
            }
            config = (ObjectNode) parsed;
        } catch (JsonProcessingException e) {
            return Status.of(400, "BadRequest", "error decoding YAML: " + e.getOriginalMessage());
        }
        if (config.path("apiVersion").asText("").isEmpty() || config.path("kind").asText("").isEmpty()) {
            return Status.of(400, "BadRequest", "apiVersion and kind must be set in an applied configuration");
        }

        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean statusPath = pathOnly.endsWith("/status");
        String objectPath = statusPath ? pathOnly.substring(0, pathOnly.length() - "/status".length()) : pathOnly;
        AttributeSet key = store.getKey(objectPath);
        String name = attribute(key, KubernetesAttributesExtractor.NAME);
        String namespace = attribute(key, KubernetesAttributesExtractor.NAMESPACE);
        ObjectNode metadata = config.with("metadata");
        if (name == null) {
            return Status.of(405, "MethodNotAllowed", "apply needs an object path with a name");
        }
        if (!metadata.path("name").asText(name).equals(name)) {
            return Status.of(400, "BadRequest", "the name of the object (" + metadata.path("name").asText()
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (namespace != null && !metadata.path("namespace").asText(namespace).equals(namespace)) {
            return Status.of(400, "BadRequest", "the namespace of the object (" + metadata.path("namespace").asText()
                    + ") does not match the namespace on the URL (" + namespace + ")");
        }
        metadata.remove(List.of("managedFields", "uid", "creationTimestamp", "generation", "deletionTimestamp"));
        String requiredVersion = metadata.path("resourceVersion").asText("");
        metadata.remove("resourceVersion");

        Map.Entry<AttributeSet, String> current = store.findResource(key);
        String apiVersion = config.path("apiVersion").asText();
        String subresource = statusPath ? "status" : "";
        ObjectNode scoped = scoped(config, statusPath);
        Set<List<String>> applied = ManagedFields.fieldsOf(scoped, statusPath);

        if (current == null) {
            if (statusPath) {
                return Status.of(404, "NotFound", config.path("kind").asText() + " \"" + name + "\" not found");
            }
            ObjectNode created = scoped.deepCopy();
            created.put("apiVersion", apiVersion).put("kind", config.path("kind").asText());
            ObjectNode meta = created.with("metadata");
            meta.put("name", name);
            if (namespace != null) {
                meta.put("namespace", namespace);
            }
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("creationTimestamp", now());
            meta.put("resourceVersion", String.valueOf(store.requestResourceVersion()));
            meta.put("generation", 1);
            meta.set("managedFields", ManagedFields.write(List.of(
                    new ManagedFields.Entry(manager, ManagedFields.APPLY, "", apiVersion, now(), applied))));
            var refusal = store.admission().admitCustomResource(objectPath, created, query);
            String json = created.toString();
            if (refusal.isEmpty()) {
                refusal = Admission.tooLarge(json);
            }
            if (refusal.isPresent()) {
                return refusal.get();
            }
            store.processEvent(objectPath, key, null, null, json);
            return ClusterStore.json(201, json);
        }

        ObjectNode live;
        try {
            live = (ObjectNode) JSON.readTree(current.getValue());
        } catch (JsonProcessingException e) {
            return Status.of(500, "InternalError", "stored object is not JSON: " + e.getOriginalMessage());
        }
        if (!requiredVersion.isEmpty() && !requiredVersion.equals(live.path("metadata").path("resourceVersion").asText())) {
            return Status.of(409, "Conflict", "Operation cannot be fulfilled on " + config.path("kind").asText() + " \""
                    + name + "\": the object has been modified; please apply your changes to the latest version and try again");
        }
        List<ManagedFields.Entry> entries = ManagedFields.read(live);
        List<ManagedFields.Conflict> conflicts = ManagedFields.conflicts(entries, live, scoped, applied, manager);
        if (!conflicts.isEmpty() && !force) {
            return conflict(conflicts);
        }

        ObjectNode result = live.deepCopy();
        ManagedFields.Entry mine = entries.stream()
                .filter(e -> e.sameOwner(manager, ManagedFields.APPLY, subresource)).findFirst().orElse(null);
        List<ManagedFields.Entry> others = new ArrayList<>();
        for (ManagedFields.Entry e : entries) {
            if (e == mine) {
                continue;
            }
            Set<List<String>> kept = new LinkedHashSet<>(e.fields());
            if (!e.manager().equals(manager)) {
                // Forced: the applier takes the conflicting fields. Shared fields (same value) stay shared.
                conflicts.stream().filter(c -> c.manager().equals(e.manager()))
                        .forEach(c -> kept.removeIf(f -> ManagedFields.overlaps(f, c.field())));
            }
            if (!kept.isEmpty()) {
                others.add(new ManagedFields.Entry(e.manager(), e.operation(), e.subresource(), e.apiVersion(),
                        e.time(), kept));
            }
        }
        if (mine != null) {
            for (List<String> field : mine.fields()) {
                boolean stillApplied = applied.contains(field);
                boolean ownedByOthers = others.stream()
                        .anyMatch(e -> e.fields().stream().anyMatch(f -> ManagedFields.overlaps(f, field)));
                if (!stillApplied && !ownedByOthers) {
                    ManagedFields.remove(result, field);
                }
            }
        }
        ManagedFields.merge(result, scoped);
        var refusal = store.admission().admitCustomResource(objectPath, result, query);
        if (refusal.isPresent()) {
            return refusal.get();
        }

        ObjectNode withoutManaged = result.deepCopy();
        ((ObjectNode) withoutManaged.get("metadata")).remove("managedFields");
        ObjectNode liveWithoutManaged = live.deepCopy();
        ((ObjectNode) liveWithoutManaged.get("metadata")).remove("managedFields");
        boolean contentChanged = !withoutManaged.equals(liveWithoutManaged);
        boolean ownershipChanged = mine == null || !mine.fields().equals(applied) || others.size() != entries.size() - 1;
        List<ManagedFields.Entry> newEntries = new ArrayList<>(others);
        newEntries.add(new ManagedFields.Entry(manager, ManagedFields.APPLY, subresource, apiVersion,
                contentChanged || ownershipChanged || mine == null ? now() : mine.time(), applied));
        ((ObjectNode) result.get("metadata")).set("managedFields", ManagedFields.write(newEntries));

        if (result.equals(live)) {
            // A no-op apply writes nothing: no new resourceVersion, no watch event.
            return ClusterStore.json(200, live.toString());
        }
        if (!statusPath && KubernetesCrudPersistence.shouldIncreaseGeneration(live, result)) {
            ((ObjectNode) result.get("metadata")).put("generation", live.path("metadata").path("generation").asLong(0) + 1);
        }
        ((ObjectNode) result.get("metadata")).put("resourceVersion", String.valueOf(store.requestResourceVersion()));
        boolean gone = result.path("metadata").hasNonNull("deletionTimestamp")
                && result.path("metadata").path("finalizers").isEmpty();
        String json = result.toString();
        var tooLarge = gone ? java.util.Optional.<MockResponse>empty() : Admission.tooLarge(json);
        if (tooLarge.isPresent()) {
            return tooLarge.get();
        }
        store.processEvent(objectPath, key, current.getKey(), null, gone ? null : json);
        return ClusterStore.json(200, json);
    }

    /**
     * The applied configuration: YAML, of which JSON is a subset. A client's JSON (Fabric8 sends JSON) is read by
     * the JSON parser, several times faster than YAML's (a twentieth of the sandbox's CPU in a 1,000-cluster
     * rollout); anything else, and JSON that does not parse, by the YAML parser and its errors.
     */
    private static JsonNode appliedConfiguration(String body) throws JsonProcessingException {
        if (body.stripLeading().startsWith("{")) {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException notJson) {
                // YAML's flow mappings start with '{' too: its parser decides, and says why.
            }
        }
        return YAML.readTree(body);
    }

    /** What an apply may set: status only through /status, everything but status otherwise. */
    private static ObjectNode scoped(ObjectNode config, boolean statusPath) {
        ObjectNode scoped;
        if (statusPath) {
            scoped = JsonNodeFactory.instance.objectNode();
            if (config.has("status")) {
                scoped.set("status", config.get("status").deepCopy());
            }
            return scoped;
        }
        scoped = config.deepCopy();
        scoped.remove(List.of("status", "apiVersion", "kind"));
        ObjectNode metadata = scoped.with("metadata");
        metadata.retain("labels", "annotations", "finalizers", "ownerReferences");
        if (metadata.isEmpty()) {
            scoped.remove("metadata");
        }
        return scoped;
    }

    private static MockResponse conflict(List<ManagedFields.Conflict> conflicts) {
        ObjectNode status = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("reason", "Conflict").put("code", 409);
        status.putObject("metadata");
        String message = "Apply failed with " + conflicts.size() + " conflict" + (conflicts.size() == 1 ? "" : "s") + ": "
                + String.join("\n", conflicts.stream().map(ManagedFields.Conflict::describe).toList());
        status.put("message", message);
        var causes = status.putObject("details").putArray("causes");
        for (ManagedFields.Conflict c : conflicts) {
            causes.addObject().put("reason", "FieldManagerConflict")
                    .put("message", "conflict with \"" + c.manager() + "\"")
                    .put("field", "." + String.join(".", c.field()));
        }
        return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }

    private static String attribute(AttributeSet set, String name) {
        var attribute = set.getAttribute(name);
        if (attribute == null || attribute.getValues().isEmpty()) {
            return null;
        }
        return String.valueOf(attribute.getValues().iterator().next());
    }
}
