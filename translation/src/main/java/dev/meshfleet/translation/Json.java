package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Small helpers over Jackson trees; they never mutate their inputs. */
final class Json {
    private Json() {
    }

    /** The text of a scalar field, or "" when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText();
    }

    /** How a value reads in a message: "the string 'x'", "the number 5", "a list", "an object", "true". */
    static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "the string '" + v.asText() + "'";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return v.isArray() ? "a list" : "an object";
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
    }

    static ObjectNode object() {
        return Canonical.NODES.objectNode();
    }

    /** A deep copy of the field when it is an object, else an empty object. */
    static ObjectNode objectOf(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isObject() ? ((ObjectNode) v).deepCopy() : object();
    }

    static boolean present(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && !v.isNull();
    }

    /** base overlaid with overlay: objects merge recursively, anything else in overlay replaces. */
    static ObjectNode merge(ObjectNode base, JsonNode overlay) {
        ObjectNode out = base.deepCopy();
        if (overlay == null || !overlay.isObject()) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = out.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                out.set(e.getKey(), merge((ObjectNode) existing, e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    /** A Kubernetes env list ([{name, value}]) as the map the charts take; entries without a name are skipped. */
    static ObjectNode envMap(JsonNode list) {
        ObjectNode out = object();
        if (list != null && list.isArray()) {
            for (JsonNode e : list) {
                String name = text(e, "name");
                if (!name.isEmpty()) {
                    out.put(name, text(e, "value"));
                }
            }
        }
        return out;
    }
}
