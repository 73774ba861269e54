package dev.meshfleet.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Meshfleet chart rendered as {@code helm template} renders it (helm-java: Helm's own Go code, no
 * binary), and every object parsed into Fabric8's typed model: a Deployment is a {@code Deployment}, a
 * Role a {@code Role}; only kinds Fabric8 does not model (KafkaTopic, ServiceMonitor) stay generic.
 */
final class Chart {
    static final Path DIR = Path.of("helm", "meshfleet").toAbsolutePath();
    static final Path STRIMZI_VALUES = DIR.resolve("values-strimzi.yaml");
    static final String RELEASE = "meshfleet";
    static final String NAMESPACE = "meshfleet-system";
    static final String BOOTSTRAP = "kafka-0.kafka:9092";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Chart() {
    }

    /** The chart with the default values and the required bootstrap servers. */
    static Rendered defaults() {
        return render(Map.of("kafka.bootstrapServers", BOOTSTRAP));
    }

    /** The chart with values-strimzi.yaml. */
    static Rendered strimzi() {
        return render(Map.of(), STRIMZI_VALUES);
    }

    static Rendered render(Map<String, Object> sets, Path... valuesFiles) {
        if (!Files.isDirectory(DIR)) {
            throw new IllegalStateException("the chart is not at " + DIR + " (run the tests from the deploy module)");
        }
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        for (Map.Entry<String, Object> set : new LinkedHashMap<>(sets).entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return new Rendered(parse(template.call()));
    }

    /** Each YAML document of a manifest stream as a typed object; a document with no object is skipped. */
    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /** What one render produced. */
    record Rendered(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        List<HasMetadata> kind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + ", found "
                        + found.size() + " among " + objects.stream().map(o -> o.getKind() + "/"
                                + o.getMetadata().getName()).toList());
            }
            return found.get(0);
        }
    }
}
