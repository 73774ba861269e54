package dev.meshfleet.installer.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshfleet.schemas.charts.StrategicMerge;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * IstioOperator's {@code k8s.overlays}, applied as istioctl applies them to the objects a chart rendered: each
 * overlay names an object by kind and name (its apiVersion, when given, is not compared: istioctl ignores it too)
 * and lists patches {@code {path, value}}, applied in order.
 *
 * <p>A path is a list of elements separated by dots ({@code \.} is a dot inside a key, as in annotation names).
 * An element is a map key, or in brackets after it: {@code [N]} the N-th item of a list (an index past the end, or
 * -1, appends), {@code [key:value]} the first map item of a list whose key has that value, {@code [value]} the
 * first scalar item matching that regular expression. Missing map keys on the way are created. A patch with a
 * value sets it (a string that reads as a YAML map is set as that map, which is how the guides write whole list
 * items; a single value on a key holding a list is appended to it); a patch without a value, or with null, removes
 * what the path names (a missing map key is left missing).
 *
 * <p>An entry with {@code strategicMerge} instead of {@code patches} is one of the plain {@code k8s} fields
 * ({@code env}, {@code readinessProbe}, ...) that istioctl applies as a Kubernetes strategic merge patch on the
 * component's workload and the chart has no value for: the translator writes the patch, {@link StrategicMerge}
 * applies it, before the user's overlays as istioctl orders them.
 *
 * <p>Unlike today's istioctl, which skips an overlay matching nothing, an overlay naming no rendered object is an
 * error (as istioctl's older releases had it): a silent no-op is what issue 9 forbids. So is a selector that finds
 * nothing, or a path going through a scalar. Pure: the objects given are not changed.
 */
public final class Overlays {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern INDEX = Pattern.compile("-?\\d+");

    /** A patch that cannot be applied, or an overlay naming no object: final, the installation fails with it. */
    public static final class OverlayException extends RuntimeException {
        public OverlayException(String message) {
            super(message);
        }
    }

    private Overlays() {
    }

    /**
     * The objects with the overlays applied.
     *
     * @param overlaysJson a JSON array of overlays ({@code kind}, {@code name}, {@code patches}; {@code field} names
     *                     the overlay in the spec for messages); null or empty means none
     */
    public static List<ObjectNode> apply(List<ObjectNode> objects, String overlaysJson) {
        JsonNode overlays = read(overlaysJson);
        List<ObjectNode> out = new ArrayList<>(objects.size());
        objects.forEach(o -> out.add(o.deepCopy()));
        for (int i = 0; i < overlays.size(); i++) {
            JsonNode overlay = overlays.get(i);
            String at = overlay.path("field").asText("overlays[" + i + "]");
            String kind = overlay.path("kind").asText("");
            String name = overlay.path("name").asText("");
            boolean found = false;
            for (ObjectNode object : out) {
                if (kind.equals(object.path("kind").asText()) && name.equals(object.path("metadata").path("name").asText())) {
                    found = true;
                    if (overlay.has("strategicMerge")) {
                        StrategicMerge.apply(object, overlay.get("strategicMerge"));
                        continue;
                    }
                    JsonNode patches = overlay.path("patches");
                    for (int j = 0; j < patches.size(); j++) {
                        JsonNode patch = patches.get(j);
                        String path = patch.path("path").asText("");
                        try {
                            patch(object, path, patch.get("value"));
                        } catch (OverlayException e) {
                            throw new OverlayException(at + ".patches[" + j + "] (" + kind + " " + name + ", path '"
                                    + path + "'): " + e.getMessage());
                        }
                    }
                }
            }
            if (!found) {
                throw new OverlayException(at + " names " + kind + " " + name + ", which the chart does not render;"
                        + " rendered: " + out.stream().map(o -> o.path("kind").asText() + " "
                                + o.path("metadata").path("name").asText()).distinct().toList());
            }
        }
        return out;
    }

    /** Applies one patch in place: sets {@code value} at {@code path}, or removes what it names when null. */
    static void patch(ObjectNode root, String path, JsonNode value) {
        List<String> elements = elements(path);
        JsonNode parent = null;
        JsonNode node = root;
        Object key = null;
        for (int i = 0; i < elements.size(); i++) {
            String element = elements.get(i);
            boolean last = i == elements.size() - 1;
            if (node == null || node.isNull()) {
                node = element.startsWith("[") ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
                put(parent, key, node);
            }
            if (node instanceof ArrayNode list) {
                int index = find(list, element);
                parent = list;
                key = index;
                node = index < list.size() ? list.get(index) : null;
            } else if (node instanceof ObjectNode map) {
                if (element.startsWith("[")) {
                    throw new OverlayException(element + " selects a list item, but there is a map there");
                }
                parent = map;
                key = element;
                node = map.get(element);
                if (node == null && !last) {
                    node = elements.get(i + 1).startsWith("[") ? map.putArray(element) : map.putObject(element);
                }
            } else {
                throw new OverlayException("'" + element + "' is below " + node.getNodeType().name().toLowerCase()
                        + " " + node + ", which has no fields or items");
            }
        }
        if (parent == null) {
            throw new OverlayException("the path is empty");
        }
        if (value == null || value.isNull()) {
            remove(parent, key);
        } else {
            set(parent, key, node, asTree(value));
        }
    }

    private static void set(JsonNode parent, Object key, JsonNode current, JsonNode value) {
        if (parent instanceof ObjectNode map && current instanceof ArrayNode list && !value.isArray()) {
            list.add(value);
        } else {
            put(parent, key, value);
        }
    }

    private static void put(JsonNode parent, Object key, JsonNode value) {
        if (parent instanceof ArrayNode list) {
            int index = (Integer) key;
            if (index >= list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            ((ObjectNode) parent).set((String) key, value);
        }
    }

    private static void remove(JsonNode parent, Object key) {
        if (parent instanceof ArrayNode list) {
            int index = (Integer) key;
            if (index >= list.size()) {
                throw new OverlayException("index " + index + " is past the end of the list (" + list.size()
                        + " items): nothing to remove");
            }
            list.remove(index);
        } else {
            ((ObjectNode) parent).remove((String) key);
        }
    }

    /** The index in {@code list} an element names; the list's size to append. */
    private static int find(ArrayNode list, String element) {
        if (!element.startsWith("[")) {
            throw new OverlayException("'" + element + "' is a map key, but there is a list there; select an item with"
                    + " [N], [key:value] or [value]");
        }
        String inner = element.substring(1, element.length() - 1);
        if (INDEX.matcher(inner).matches()) {
            int index = Integer.parseInt(inner);
            return index < 0 || index >= list.size() ? list.size() : index;
        }
        int colon = unescaped(inner, ':');
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (colon > 0) {
                String field = inner.substring(0, colon).replace("\\:", ":");
                String wanted = inner.substring(colon + 1).replace("\\:", ":");
                if (item.isObject() && item.has(field) && wanted.equals(text(item.get(field)))) {
                    return i;
                }
            } else if (item.isValueNode() && regex(inner).matcher(text(item)).find()) {
                return i;
            }
        }
        throw new OverlayException("no item of the list matches " + element);
    }

    private static Pattern regex(String expression) {
        try {
            return Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw new OverlayException("[" + expression + "] is not a regular expression: " + e.getDescription());
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * The elements of a path: split at dots not escaped, {@code \.} kept as a dot, and {@code key[...]} as two
     * elements.
     */
    static List<String> elements(String path) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '.') {
                current.append('.');
                i++;
            } else if (c == '.') {
                split(current.toString(), out);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        split(current.toString(), out);
        return out;
    }

    private static void split(String element, List<String> out) {
        if (element.isEmpty()) {
            return;
        }
        int bracket = element.indexOf('[');
        if (bracket < 0) {
            out.add(element);
            return;
        }
        if (bracket > 0) {
            out.add(element.substring(0, bracket));
        }
        String rest = element.substring(bracket);
        while (!rest.isEmpty()) {
            int close = rest.indexOf(']');
            if (!rest.startsWith("[") || close < 2) {
                throw new OverlayException("'" + element + "' is not key, key[N], key[key:value] or key[value]");
            }
            out.add(rest.substring(0, close + 1));
            rest = rest.substring(close + 1);
        }
    }

    private static int unescaped(String s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c && (i == 0 || s.charAt(i - 1) != '\\')) {
                return i;
            }
        }
        return -1;
    }

    /** A string that reads as a YAML map is that map (how guides write list items); anything else as given. */
    private static JsonNode asTree(JsonNode value) {
        if (value.isTextual()) {
            try {
                JsonNode parsed = YAML.readTree(value.asText());
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (JsonProcessingException e) {
                // Not YAML: a plain string.
            }
        }
        return value.deepCopy();
    }

    private static JsonNode read(String overlaysJson) {
        if (overlaysJson == null || overlaysJson.isBlank()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        try {
            JsonNode node = JSON.readTree(overlaysJson);
            return node.isArray() ? node : JsonNodeFactory.instance.arrayNode();
        } catch (JsonProcessingException e) {
            throw new OverlayException("the plan's overlays are not JSON: " + e.getOriginalMessage());
        }
    }
}
