package dev.meshfleet.sandbox.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** The kubeconfig `sandbox up` writes: one context per cluster, `mgmt` first and current. */
public final class Kubeconfig {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private Kubeconfig() {
    }

    /** contexts maps a context name to its API server URL, in order. */
    public static String render(Map<String, String> contexts) {
        List<Object> clusters = new ArrayList<>();
        List<Object> ctxs = new ArrayList<>();
        List<Object> users = new ArrayList<>();
        for (var e : contexts.entrySet()) {
            clusters.add(Map.of("name", e.getKey(), "cluster", Map.of("server", e.getValue())));
            ctxs.add(Map.of("name", e.getKey(), "context", Map.of("cluster", e.getKey(), "user", e.getKey())));
            // The mock API servers need no credentials; a token keeps kubectl from prompting.
            users.add(Map.of("name", e.getKey(), "user", Map.of("token", "sandbox")));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", clusters);
        config.put("contexts", ctxs);
        config.put("users", users);
        config.put("current-context", contexts.keySet().iterator().next());
        config.put("preferences", Map.of());
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
