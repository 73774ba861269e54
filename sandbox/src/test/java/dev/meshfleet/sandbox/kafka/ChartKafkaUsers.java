package dev.meshfleet.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AclBinding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;

import dev.meshfleet.testkit.StrimziAcls;

/**
 * The chart's KafkaUsers as a Strimzi cluster gets them: {@code deploy/helm/meshfleet} rendered by helm-java (Helm's
 * own code) with {@code values-strimzi.yaml}, each KafkaUser's ACLs as the bindings Strimzi's User Operator creates.
 */
record ChartKafkaUsers(Map<String, User> byComponent) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One KafkaUser: its name (the principal's) and its ACLs as Kafka bindings. */
    record User(String name, List<AclBinding> acls) {
    }

    /** The KafkaUsers of the chart in the checkout, by the component they are labelled with. */
    static ChartKafkaUsers render(Path repoRoot) {
        Path chart = repoRoot.resolve("deploy/helm/meshfleet");
        String manifests = new Helm(chart).template().withName("meshfleet").withNamespace("meshfleet-system")
                .withValuesFile(chart.resolve("values-strimzi.yaml")).call();
        Map<String, User> users = new LinkedHashMap<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            Map<String, Object> object = parse(document);
            if (object != null && "KafkaUser".equals(object.get("kind"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) metadata.get("labels");
                users.put(labels.get("app.kubernetes.io/name"),
                        new User(String.valueOf(metadata.get("name")), StrimziAcls.of(object)));
            }
        }
        return new ChartKafkaUsers(Map.copyOf(users));
    }

    User of(String component) {
        User user = byComponent.get(component);
        if (user == null) {
            throw new IllegalArgumentException("the chart has no KafkaUser for " + component + "; it has " + byComponent.keySet());
        }
        return user;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String document) {
        if (document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"))) {
            return null;
        }
        try {
            return YAML.readValue(document, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the chart rendered a document that is not YAML:\n" + document, e);
        }
    }
}
