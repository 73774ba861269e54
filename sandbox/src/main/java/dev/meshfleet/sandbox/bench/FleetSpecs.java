package dev.meshfleet.sandbox.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The fleet benchmark's specs: an example ILM or GLM with its first installation's cluster list replaced by
 * {@code cluster1 .. clusterN}, each entry shaped like the example's first cluster entry (its
 * {@code defaultRevision} or {@code activeGateway} kept). Pure: YAML in, YAML out.
 */
public final class FleetSpecs {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FleetSpecs() {
    }

    /** The example document with its first installation naming every cluster given, in order. */
    @SuppressWarnings("unchecked")
    public static String naming(String exampleYaml, List<String> clusters) {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("a fleet spec needs at least one cluster");
        }
        try {
            Map<String, Object> doc = YAML.readValue(exampleYaml, LinkedHashMap.class);
            Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
            List<Object> installations = spec == null ? null : (List<Object>) spec.get("installations");
            if (installations == null || installations.isEmpty()) {
                throw new IllegalArgumentException("the example has no spec.installations[0]");
            }
            Map<String, Object> first = (Map<String, Object>) installations.get(0);
            List<Object> exampleClusters = (List<Object>) first.get("clusters");
            if (exampleClusters == null || exampleClusters.isEmpty()) {
                throw new IllegalArgumentException("the example has no spec.installations[0].clusters[0]");
            }
            Map<String, Object> shape = (Map<String, Object>) exampleClusters.get(0);
            List<Object> named = new ArrayList<>(clusters.size());
            for (String cluster : clusters) {
                Map<String, Object> entry = new LinkedHashMap<>(shape);
                entry.put("name", cluster);
                named.add(entry);
            }
            first.put("clusters", named);
            return YAML.writeValueAsString(doc);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the example is not YAML: " + e.getMessage(), e);
        }
    }

    /** {@code cluster1 .. clusterN}, the sandbox's names for N clusters. */
    public static List<String> clusters(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            names.add("cluster" + i);
        }
        return names;
    }
}
