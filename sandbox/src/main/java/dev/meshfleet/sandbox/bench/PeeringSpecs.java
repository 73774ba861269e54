package dev.meshfleet.sandbox.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The peering benchmark's specs, from examples/smc-peering.yaml: its {@code gloo-extensions-config} ConfigMap and one
 * ServiceMeshController per cluster shaped like its first one (name {@code managed-istio-<cluster>}, {@code cluster}
 * and {@code network} the cluster). Pure: YAML in, YAML out.
 */
public final class PeeringSpecs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PeeringSpecs() {
    }

    /** The example's ConfigMap, if {@code withConfigMap}, then a controller per cluster, as one multi-document YAML. */
    @SuppressWarnings("unchecked")
    public static String controllers(String exampleYaml, List<String> clusters, boolean withConfigMap) {
        Map<String, Object> configMap = null;
        Map<String, Object> shape = null;
        try {
            for (JsonNode doc : YAML.readValues(YAML.createParser(exampleYaml), JsonNode.class).readAll()) {
                String kind = doc.path("kind").asText();
                if (kind.equals("ConfigMap") && configMap == null) {
                    configMap = YAML.convertValue(doc, LinkedHashMap.class);
                } else if (kind.equals("ServiceMeshController") && shape == null) {
                    shape = YAML.convertValue(doc, LinkedHashMap.class);
                }
            }
            if (shape == null || configMap == null) {
                throw new IllegalArgumentException("the example needs a ConfigMap and a ServiceMeshController");
            }
            List<String> docs = new ArrayList<>();
            if (withConfigMap) {
                docs.add(YAML.writeValueAsString(configMap));
            }
            for (String cluster : clusters) {
                Map<String, Object> doc = YAML.convertValue(shape, LinkedHashMap.class);
                Map<String, Object> metadata = (Map<String, Object>) doc.get("metadata");
                metadata.put("name", "managed-istio-" + cluster);
                Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
                spec.put("cluster", cluster);
                spec.put("network", cluster);
                docs.add(YAML.writeValueAsString(doc));
            }
            return String.join("", docs);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the example is not YAML: " + e.getMessage(), e);
        }
    }
}
