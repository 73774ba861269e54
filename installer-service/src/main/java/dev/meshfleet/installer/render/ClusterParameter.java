package dev.meshfleet.installer.render;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The cluster's name as a parameter of a release's values: most clusters of a fleet render the same
 * chart with the same values but for a string or two that is the cluster's own name (istiod's
 * {@code meshConfig.trustDomain} defaults to it). Every string value equal to the name is replaced by
 * a {@link #TOKEN}, so that all clusters share one values shape, rendered once; a cluster's manifests
 * are then the shape's with the token replaced by its name ({@link #substitute}). Pure.
 *
 * <p>Only names that stay strings wherever YAML puts them are parameters: a DNS label that starts with
 * a letter and is not one of YAML's booleans or null. Whether a chart uses the value verbatim (and not
 * hashed, cased or cut) is for the renderer to check, once per shape.
 */
public record ClusterParameter(String cluster, String valuesJson) {
    /** Stands for the cluster's name in the shared values and manifests; never a cluster's name itself. */
    public static final String TOKEN = "meshfleet-cluster-name-7f3c9a1e";
    private static final Pattern STRING_SAFE = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off",
            "null");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The values with the cluster's name as a parameter, or empty when they do not name it (or it cannot be one). */
    public static Optional<ClusterParameter> of(String valuesJson, String cluster) {
        if (valuesJson == null || valuesJson.isBlank() || cluster == null || !STRING_SAFE.matcher(cluster).matches()
                || YAML_WORDS.contains(cluster) || valuesJson.contains(TOKEN)) {
            return Optional.empty();
        }
        JsonNode values;
        try {
            values = JSON.readTree(valuesJson);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (!replace(values, cluster)) {
            return Optional.empty();
        }
        return Optional.of(new ClusterParameter(cluster, values.toString()));
    }

    /** The shape's rendered manifests made this cluster's. */
    public String substitute(String renderedShape) {
        return renderedShape.replace(TOKEN, cluster);
    }

    private static boolean replace(JsonNode node, String cluster) {
        boolean any = false;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isTextual() && field.getValue().asText().equals(cluster)) {
                    field.setValue(TextNode.valueOf(TOKEN));
                    any = true;
                } else {
                    any |= replace(field.getValue(), cluster);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual() && array.get(i).asText().equals(cluster)) {
                    array.set(i, TextNode.valueOf(TOKEN));
                    any = true;
                } else {
                    any |= replace(array.get(i), cluster);
                }
            }
        }
        return any;
    }
}
