package dev.meshfleet.sandbox.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The kubeconfig `sandbox up` writes: one cluster per API server ({@code mgmt} first), one user per person of the
 * sandbox with its token, and the contexts: {@code mgmt} (current) and each workload cluster as the first user
 * (platform-admin), then {@code USER@mgmt} for every other user. Each HTTPS server gets the sandbox's own CA as
 * {@code certificate-authority-data}: kubectl sends a bearer token only over TLS, so the users' tokens reach API servers
 * that authorize each request by them.
 */
public final class Kubeconfig {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private Kubeconfig() {
    }

    /**
     * @param clusters cluster name -> API server URL, in order, the management cluster first
     * @param users user name -> bearer token, in order, the administrator first
     * @param ca the CA of the HTTPS servers, PEM then base64 ({@code certificate-authority-data}), or null when every
     *        server is plain HTTP
     */
    public static String render(Map<String, String> clusters, Map<String, String> users, String ca) {
        String admin = users.keySet().iterator().next();
        String mgmt = clusters.keySet().iterator().next();
        List<Object> clusterList = new ArrayList<>();
        List<Object> ctxs = new ArrayList<>();
        List<Object> userList = new ArrayList<>();
        for (var e : clusters.entrySet()) {
            Map<String, String> cluster = new LinkedHashMap<>();
            cluster.put("server", e.getValue());
            if (e.getValue().startsWith("https:") && ca != null) {
                cluster.put("certificate-authority-data", ca);
            }
            clusterList.add(Map.of("name", e.getKey(), "cluster", cluster));
            ctxs.add(Map.of("name", e.getKey(), "context", Map.of("cluster", e.getKey(), "user", admin)));
        }
        for (var e : users.entrySet()) {
            userList.add(Map.of("name", e.getKey(), "user", Map.of("token", e.getValue())));
            if (!e.getKey().equals(admin)) {
                ctxs.add(Map.of("name", e.getKey() + "@" + mgmt, "context", Map.of("cluster", mgmt, "user", e.getKey())));
            }
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", clusterList);
        config.put("contexts", ctxs);
        config.put("users", userList);
        config.put("current-context", mgmt);
        config.put("preferences", Map.of());
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
