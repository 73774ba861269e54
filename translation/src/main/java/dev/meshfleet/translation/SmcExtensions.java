package dev.meshfleet.translation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.translation.SmcSpec.Problem;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 003's {@code gloo-extensions-config} ConfigMap as typed values: the settings every ServiceMeshController of
 * its namespace is translated with (docs/adr/0045). Its {@code data} has three keys, each a YAML document:
 * <ul>
 * <li>{@code stable}: {@code serviceMeshController.istiod.{discoverySelectors, topology.{affinity, nodeSelector,
 * tolerations}, deployment.podAnnotations, serviceAnnotations}};</li>
 * <li>{@code beta}: {@code serviceMeshController.{cni.{confDir, binDir}, multiClusterMode}}, where
 * {@code multiClusterMode: Peering} switches peering on;</li>
 * <li>{@code values.istiod}: Helm values of the istiod chart, merged over everything else.</li>
 * </ul>
 * Pure. {@link #read} refuses a key or field the seed does not document (a typo would otherwise be ignored in
 * silence) and a value of the wrong shape, each problem naming the ConfigMap, its key and the field.
 *
 * @param istiodValues the {@code values.istiod} document; an empty object when absent
 */
public record SmcExtensions(JsonNode discoverySelectors, JsonNode affinity, JsonNode nodeSelector, JsonNode tolerations,
        JsonNode podAnnotations, JsonNode serviceAnnotations, String cniConfDir, String cniBinDir, boolean peering,
        ObjectNode istiodValues) {

    /** The ConfigMap's name; one per namespace, applied to every ServiceMeshController there. */
    public static final String CONFIG_MAP = "gloo-extensions-config";
    /** The one multicluster mode the seed documents. */
    public static final String PEERING = "Peering";
    /** No ConfigMap: nothing is added to the translation. */
    public static final SmcExtensions NONE = new SmcExtensions(null, null, null, null, null, null, "", "", false,
            Json.object());

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String STABLE = "stable";
    private static final String BETA = "beta";
    private static final String VALUES_ISTIOD = "values.istiod";

    /**
     * The ConfigMap's {@code data} (a JSON object of strings; null or missing: no ConfigMap), or null with
     * {@code problems} filled.
     */
    public static SmcExtensions read(JsonNode data, List<Problem> problems) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            return NONE;
        }
        int before = problems.size();
        Section section = new Section(problems);
        section.onlyKeys(data, "", Set.of(STABLE, BETA, VALUES_ISTIOD));
        JsonNode istiod = section.walk(section.document(data, STABLE), STABLE, "serviceMeshController", "istiod");
        section.onlyKeys(istiod, STABLE + "].serviceMeshController.istiod",
                Set.of("discoverySelectors", "topology", "deployment", "serviceAnnotations"));
        String at = STABLE + "].serviceMeshController.istiod.";
        JsonNode topology = section.object(istiod, "topology", at + "topology");
        section.onlyKeys(topology, at + "topology", Set.of("affinity", "nodeSelector", "tolerations"));
        JsonNode deployment = section.object(istiod, "deployment", at + "deployment");
        section.onlyKeys(deployment, at + "deployment", Set.of("podAnnotations"));
        JsonNode selectors = section.listOfObjects(istiod, "discoverySelectors", at + "discoverySelectors");
        JsonNode affinity = section.object(topology, "affinity", at + "topology.affinity");
        JsonNode nodeSelector = section.strings(topology, "nodeSelector", at + "topology.nodeSelector");
        JsonNode tolerations = section.listOfObjects(topology, "tolerations", at + "topology.tolerations");
        JsonNode podAnnotations = section.strings(deployment, "podAnnotations", at + "deployment.podAnnotations");
        JsonNode serviceAnnotations = section.strings(istiod, "serviceAnnotations", at + "serviceAnnotations");

        JsonNode smc = section.walk(section.document(data, BETA), BETA, "serviceMeshController");
        section.onlyKeys(smc, BETA + "].serviceMeshController", Set.of("cni", "multiClusterMode"));
        JsonNode cni = section.object(smc, "cni", BETA + "].serviceMeshController.cni");
        section.onlyKeys(cni, BETA + "].serviceMeshController.cni", Set.of("confDir", "binDir"));
        String confDir = section.hostPath(cni, "confDir", BETA + "].serviceMeshController.cni.confDir");
        String binDir = section.hostPath(cni, "binDir", BETA + "].serviceMeshController.cni.binDir");
        String mode = section.string(smc, "multiClusterMode", BETA + "].serviceMeshController.multiClusterMode");
        if (!mode.isEmpty() && !mode.equals(PEERING)) {
            section.problem(BETA + "].serviceMeshController.multiClusterMode", "must be " + PEERING
                    + " (or absent: no peering), got the string '" + mode + "'");
        }

        JsonNode values = section.document(data, VALUES_ISTIOD);
        ObjectNode istiodValues = Json.object();
        if (values != null && !values.isObject()) {
            section.problem(VALUES_ISTIOD + "]", "must be a YAML map of istiod chart values, got " + Json.describe(values));
        } else if (values != null) {
            istiodValues = ((ObjectNode) values).deepCopy();
        }
        if (problems.size() > before) {
            return null;
        }
        return new SmcExtensions(selectors, affinity, nodeSelector, tolerations, podAnnotations, serviceAnnotations,
                confDir, binDir, PEERING.equals(mode), istiodValues);
    }

    /** The checks of one ConfigMap, each problem's path starting {@code gloo-extensions-config[<key>]}. */
    private record Section(List<Problem> problems) {
        void problem(String path, String message) {
            problems.add(new Problem(CONFIG_MAP + "[" + path, message));
        }

        /** The key's YAML document, or null when absent; a key that is not a string or not YAML is a problem. */
        JsonNode document(JsonNode data, String key) {
            JsonNode text = data.get(key);
            if (text == null || text.isNull()) {
                return null;
            }
            if (!text.isTextual()) {
                problem(key + "]", "must be a string holding a YAML document, got " + Json.describe(text));
                return null;
            }
            try {
                JsonNode doc = YAML.readTree(text.asText());
                return doc == null || doc.isMissingNode() || doc.isNull() ? null : doc;
            } catch (JsonProcessingException e) {
                problem(key + "]", "is not YAML: " + e.getOriginalMessage());
                return null;
            }
        }

        /** Descends through objects; a step that is not an object is a problem and ends the walk. */
        JsonNode walk(JsonNode doc, String key, String... fields) {
            JsonNode node = doc;
            StringBuilder at = new StringBuilder(key + "]");
            if (node != null && !node.isObject()) {
                problem(at.toString(), "must be a YAML map, got " + Json.describe(node));
                return null;
            }
            for (String f : fields) {
                if (node == null) {
                    return null;
                }
                onlyKeys(node, at.toString(), Set.of(f));
                at.append('.').append(f);
                node = object(node, f, at.toString());
            }
            return node;
        }

        void onlyKeys(JsonNode node, String at, Set<String> known) {
            if (node == null || !node.isObject()) {
                return;
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!known.contains(name)) {
                    String where = at.isEmpty() ? name + "]" : at + "." + name;
                    problem(where, "is not a setting of " + CONFIG_MAP + " (seed 003); the settings here are "
                            + String.join(", ", known.stream().sorted().toList()));
                }
            }
        }

        JsonNode object(JsonNode node, String field, String at) {
            JsonNode v = node == null ? null : node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                problem(at, "must be a map, got " + Json.describe(v));
                return null;
            }
            return v;
        }

        JsonNode listOfObjects(JsonNode node, String field, String at) {
            JsonNode v = node == null ? null : node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                problem(at, "must be a list, got " + Json.describe(v));
                return null;
            }
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isObject()) {
                    problem(at + "[" + i + "]", "must be a map, got " + Json.describe(v.get(i)));
                    return null;
                }
            }
            return v;
        }

        /** A map of strings (labels, annotations); numbers and booleans are refused as the API server refuses them. */
        JsonNode strings(JsonNode node, String field, String at) {
            JsonNode v = object(node, field, at);
            if (v == null) {
                return null;
            }
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    problem(at + "." + e.getKey(), "must be a string (quote it), got " + Json.describe(e.getValue()));
                    return null;
                }
            }
            return v;
        }

        String string(JsonNode node, String field, String at) {
            JsonNode v = node == null ? null : node.get(field);
            if (v == null || v.isNull()) {
                return "";
            }
            if (!v.isTextual()) {
                problem(at, "must be a string, got " + Json.describe(v));
                return "";
            }
            return v.asText();
        }

        /** An absolute host path (the CNI's directories are mounted from the node). */
        String hostPath(JsonNode node, String field, String at) {
            String p = string(node, field, at);
            if (!p.isEmpty() && !p.startsWith("/")) {
                problem(at, "must be an absolute path on the node, got '" + p + "'");
                return "";
            }
            return p;
        }
    }
}
