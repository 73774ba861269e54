package dev.meshfleet.sandbox.history;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

/**
 * What changed between two specs, as field paths with old and new values: the JSON Patch (RFC 6902) between them,
 * made by zjsonpatch's {@link JsonDiff} (no diff of our own), with moves and copies spelled out as the adds and
 * removes they are, read as {@code spec.a.b[0].c: old -> new}. Pure.
 */
public final class FieldChanges {
    private FieldChanges() {
    }

    /** One changed field: its path ({@code spec.installations[0].istioOperatorSpec.tag}), old and new JSON, null when absent. */
    public record FieldChange(String path, String oldValue, String newValue) {
        @Override
        public String toString() {
            return path + ": " + (oldValue == null ? "(absent)" : oldValue) + " -> "
                    + (newValue == null ? "(absent)" : newValue);
        }
    }

    /** The changes from {@code before} (null: nothing, a creation) to {@code after} (null: a deletion), in patch order. */
    public static List<FieldChange> between(JsonNode before, JsonNode after) {
        JsonNode from = before == null ? JsonNodeFactory.instance.objectNode() : before;
        JsonNode to = after == null ? JsonNodeFactory.instance.objectNode() : after;
        JsonNode patch = JsonDiff.asJson(from, to, EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION,
                DiffFlags.ADD_ORIGINAL_VALUE_ON_REPLACE));
        List<FieldChange> changes = new ArrayList<>();
        for (JsonNode op : patch) {
            String pointer = op.path("path").asText();
            String path = "spec" + fieldPath(pointer);
            switch (op.path("op").asText()) {
                case "add" -> changes.add(new FieldChange(path, null, op.get("value").toString()));
                case "remove" -> changes.add(new FieldChange(path, from.at(pointer).toString(), null));
                case "replace" -> changes.add(new FieldChange(path, op.has("fromValue") ? op.get("fromValue").toString()
                        : from.at(pointer).toString(), op.get("value").toString()));
                default -> throw new IllegalStateException("an operation the diff was told to leave out: " + op);
            }
        }
        return changes;
    }

    /** A JSON pointer as a field path: {@code /installations/0/tag} -> {@code .installations[0].tag}. */
    static String fieldPath(String pointer) {
        StringBuilder path = new StringBuilder();
        if (pointer.isEmpty()) {
            return "";
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            String name = token.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append('.').append(name);
            }
        }
        return path.toString();
    }
}
