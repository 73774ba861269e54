package dev.meshfleet.schemas.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A Kubernetes strategic merge patch on a rendered object, as istioctl applies the fields of {@code k8s}
 * ({@code readinessProbe}, {@code env}, {@code securityContext}, ...) to what a chart rendered: maps are merged key
 * by key, null removes a key, and the lists Kubernetes merges by a key (containers and env by {@code name}, volume
 * mounts by {@code mountPath}, ...) are merged item by item, an item with a new key appended after the others; any
 * other list is replaced. So an env entry named like one the chart renders replaces that entry's fields instead of
 * adding a second entry of the same name.
 *
 * <p>The merge keys are those of the Kubernetes types these patches touch (pod template, container, Service),
 * keyed by the field's name. Directives ({@code $patch}, {@code $retainKeys}) are not read: istioctl's patches are
 * built from the IstioOperator fields and carry none. Pure: changes the target in place.
 *
 * <p>Shared: the translator writes these patches (its {@code K8sFields}) and renders them in its chart tests, the
 * installer applies them to the objects it renders ({@code render.Overlays}).
 */
public final class StrategicMerge {
    /** Field name -> the key its items are merged by (Kubernetes' patchMergeKey for those fields). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "volumeDevices", "devicePath",
            "imagePullSecrets", "name",
            "hostAliases", "ip",
            "topologySpreadConstraints", "topologyKey");

    private StrategicMerge() {
    }

    /** Merges {@code patch} into {@code target}. */
    public static void apply(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = target.get(key);
            if (value == null || value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current instanceof ObjectNode map) {
                apply(map, value);
            } else if (value.isArray() && current instanceof ArrayNode list && mergeKey(key, value) != null) {
                mergeList(list, (ArrayNode) value, mergeKey(key, value));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    /** A Service's ports merge by {@code port}, a container's by {@code containerPort}. */
    private static String mergeKey(String field, JsonNode items) {
        if ("ports".equals(field)) {
            return items.size() > 0 && items.get(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode list, ArrayNode patch, String key) {
        for (JsonNode item : patch) {
            ObjectNode same = null;
            for (JsonNode existing : list) {
                if (existing instanceof ObjectNode o && item.has(key) && item.get(key).equals(o.get(key))) {
                    same = o;
                    break;
                }
            }
            if (same != null && item.isObject()) {
                apply(same, item);
            } else {
                list.add(item.deepCopy());
            }
        }
    }
}
