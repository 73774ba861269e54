package dev.meshfleet.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field ownership as server-side apply keeps it in {@code metadata.managedFields}
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/), on plain JSON trees.
 *
 * <p>A field is a path of map keys to a leaf: a scalar, a list, or an empty map. Every list is
 * atomic (owned and replaced as a whole): Kubernetes merges lists with merge keys (containers by
 * name, ports by port) element by element; we do not, which only matters when two managers own
 * different elements of one list. Only {@code labels}, {@code annotations}, {@code finalizers} and
 * {@code ownerReferences} of metadata are owned, as in Kubernetes.
 */
final class ManagedFields {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";
    private static final Set<String> OWNED_METADATA = Set.of("labels", "annotations", "finalizers", "ownerReferences");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One entry of metadata.managedFields. {@code subresource} is "" for the main resource. */
    record Entry(String manager, String operation, String subresource, String apiVersion, String time,
            Set<List<String>> fields) {
        boolean sameOwner(String otherManager, String otherOperation, String otherSubresource) {
            return manager.equals(otherManager) && operation.equals(otherOperation) && subresource.equals(otherSubresource);
        }
    }

    /** A field that another manager owns with a different value. */
    record Conflict(List<String> field, String manager) {
        String describe() {
            return "conflict with \"" + manager + "\": ." + String.join(".", field);
        }
    }

    private ManagedFields() {
    }

    /** The owned fields of an object (or of its status when {@code status} is true). */
    static Set<List<String>> fieldsOf(JsonNode object, boolean status) {
        Set<List<String>> fields = new LinkedHashSet<>();
        if (object == null || !object.isObject()) {
            return fields;
        }
        if (status) {
            collect(object.get("status"), List.of("status"), fields);
            return fields;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.equals("apiVersion") || key.equals("kind") || key.equals("status")) {
                continue;
            }
            if (key.equals("metadata")) {
                for (String owned : OWNED_METADATA) {
                    JsonNode value = field.getValue().get(owned);
                    if (value != null && !value.isNull()) {
                        collect(value, List.of("metadata", owned), fields);
                    }
                }
                continue;
            }
            collect(field.getValue(), List.of(key), fields);
        }
        return fields;
    }

    private static void collect(JsonNode node, List<String> path, Set<List<String>> into) {
        if (node == null) {
            return;
        }
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> child = it.next();
                List<String> childPath = new ArrayList<>(path);
                childPath.add(child.getKey());
                collect(child.getValue(), List.copyOf(childPath), into);
            }
        } else {
            into.add(path);
        }
    }

    static JsonNode at(JsonNode object, List<String> path) {
        JsonNode node = object;
        for (String key : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }

    /** Removes a field, then the maps it leaves empty (up to, not including, the top level). */
    static void remove(ObjectNode object, List<String> path) {
        List<ObjectNode> parents = new ArrayList<>();
        JsonNode node = object;
        for (int i = 0; i < path.size() - 1; i++) {
            if (node == null || !node.isObject()) {
                return;
            }
            parents.add((ObjectNode) node);
            node = node.get(path.get(i));
        }
        if (node == null || !node.isObject()) {
            return;
        }
        ((ObjectNode) node).remove(path.get(path.size() - 1));
        for (int i = path.size() - 2; i >= 1; i--) {
            JsonNode child = parents.get(i).get(path.get(i));
            if (child != null && child.isObject() && child.isEmpty()) {
                parents.get(i).remove(path.get(i));
            } else {
                break;
            }
        }
    }

    /** Maps merge key by key; anything else (scalars, lists) replaces. */
    static void merge(ObjectNode target, JsonNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject() && field.getValue().size() > 0) {
                merge((ObjectNode) existing, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    static List<Entry> read(JsonNode object) {
        List<Entry> entries = new ArrayList<>();
        JsonNode managed = object == null ? null : object.path("metadata").get("managedFields");
        if (managed == null || !managed.isArray()) {
            return entries;
        }
        for (JsonNode e : managed) {
            Set<List<String>> fields = new LinkedHashSet<>();
            decode(e.path("fieldsV1"), List.of(), fields);
            entries.add(new Entry(e.path("manager").asText(""), e.path("operation").asText(UPDATE),
                    e.path("subresource").asText(""), e.path("apiVersion").asText(""), e.path("time").asText(""),
                    fields));
        }
        return entries;
    }

    static ArrayNode write(List<Entry> entries) {
        ArrayNode array = NODES.arrayNode();
        for (Entry e : entries) {
            ObjectNode node = array.addObject()
                    .put("manager", e.manager())
                    .put("operation", e.operation())
                    .put("apiVersion", e.apiVersion())
                    .put("time", e.time())
                    .put("fieldsType", "FieldsV1");
            node.set("fieldsV1", encode(e.fields()));
            if (!e.subresource().isEmpty()) {
                node.put("subresource", e.subresource());
            }
        }
        return array;
    }

    /** FieldsV1: nested {@code "f:<key>"} maps with {@code {}} at the owned fields. */
    static ObjectNode encode(Set<List<String>> fields) {
        ObjectNode root = NODES.objectNode();
        for (List<String> path : fields) {
            ObjectNode node = root;
            for (String key : path) {
                JsonNode child = node.get("f:" + key);
                node = child instanceof ObjectNode o ? o : node.putObject("f:" + key);
            }
        }
        return root;
    }

    private static void decode(JsonNode node, List<String> path, Set<List<String>> into) {
        boolean hasChildren = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> child = it.next();
            if (child.getKey().startsWith("f:")) {
                hasChildren = true;
                List<String> childPath = new ArrayList<>(path);
                childPath.add(child.getKey().substring(2));
                decode(child.getValue(), List.copyOf(childPath), into);
            }
        }
        if (!hasChildren && !path.isEmpty()) {
            into.add(path);
        }
    }

    /** True when one path is the other or lies inside it: owning one constrains the other. */
    static boolean overlaps(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        return a.subList(0, n).equals(b.subList(0, n));
    }

    /**
     * Fields of {@code applied} that another manager owns while the applied value differs from
     * the live one. A field owned by the applier itself (under any operation) never conflicts.
     */
    static List<Conflict> conflicts(List<Entry> entries, JsonNode live, JsonNode config, Set<List<String>> applied,
            String manager) {
        List<Conflict> conflicts = new ArrayList<>();
        for (Entry e : entries) {
            if (e.manager().equals(manager)) {
                continue;
            }
            for (List<String> field : applied) {
                boolean owned = e.fields().stream().anyMatch(f -> overlaps(f, field));
                if (owned && !Objects.equals(at(live, field), at(config, field))) {
                    conflicts.add(new Conflict(field, e.manager()));
                }
            }
        }
        return conflicts;
    }

    /**
     * Ownership after a non-apply write (operation Update): every field whose value changed, or
     * that appeared, now belongs to {@code manager} alone; fields that disappeared belong to
     * nobody.
     */
    static List<Entry> afterUpdate(List<Entry> entries, JsonNode before, JsonNode after, String manager,
            String subresource, String apiVersion, String now) {
        boolean status = subresource.equals("status");
        Set<List<String>> afterFields = fieldsOf(after, status);
        Set<List<String>> changed = new LinkedHashSet<>();
        for (List<String> field : afterFields) {
            if (before == null || !Objects.equals(at(before, field), at(after, field))) {
                changed.add(field);
            }
        }
        Map<List<Object>, Entry> result = new LinkedHashMap<>();
        for (Entry e : entries) {
            Set<List<String>> kept = new LinkedHashSet<>();
            for (List<String> f : e.fields()) {
                boolean stillThere = at(after, f) != null;
                boolean takenOver = changed.stream().anyMatch(c -> overlaps(c, f));
                if (stillThere && !takenOver) {
                    kept.add(f);
                }
            }
            result.put(List.of(e.manager(), e.operation(), e.subresource()),
                    new Entry(e.manager(), e.operation(), e.subresource(), e.apiVersion(), e.time(), kept));
        }
        if (!changed.isEmpty()) {
            List<Object> key = List.of(manager, UPDATE, subresource);
            Entry mine = result.get(key);
            Set<List<String>> fields = new LinkedHashSet<>(mine == null ? Set.of() : mine.fields());
            fields.addAll(changed);
            result.put(key, new Entry(manager, UPDATE, subresource, apiVersion, now, fields));
        }
        return result.values().stream().filter(e -> !e.fields().isEmpty()).toList();
    }
}
