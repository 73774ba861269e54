package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiConsumer;

/**
 * A spec's fields read as its CRD's structural schema types them (the plan preview has no API server to check them):
 * a field of another type goes to {@code problem} as (path, message) and reads as absent. Shared by the typed specs
 * ({@link SmcSpec}, {@link EcpSpec}), each with its own problem record.
 */
final class SpecFields {
    private SpecFields() {
    }

    /** The string, or "" when absent, null or not a string. */
    static String string(JsonNode node, String field, String path, BiConsumer<String, String> problem) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            problem.accept(path, "must be a string, got " + Json.describe(v));
            return "";
        }
        return v.asText();
    }

    /** The boolean, or null when absent, null or not a boolean. */
    static Boolean bool(JsonNode node, String field, String path, BiConsumer<String, String> problem) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            problem.accept(path, "must be true or false, got " + Json.describe(v));
            return null;
        }
        return v.booleanValue();
    }

    /** The object, or null when absent, null or not an object. */
    static JsonNode object(JsonNode node, String field, String path, BiConsumer<String, String> problem) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            problem.accept(path, "must be an object, got " + Json.describe(v));
            return null;
        }
        return v;
    }
}
