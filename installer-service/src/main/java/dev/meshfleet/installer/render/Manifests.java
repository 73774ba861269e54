package dev.meshfleet.installer.render;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meshfleet.installer.model.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Rendered chart output to Kubernetes objects, and the labels Meshfleet puts on every object it
 * owns. Pure (no cluster): the serialization only maps kinds to model classes, so that known kinds
 * are applied as typed objects and need no discovery.
 */
public final class Manifests {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /**
     * Every non-empty document of a multi-document YAML stream, in order; a List document gives its items.
     * The stream is split by the YAML parser (Fabric8's serialization), not by searching for {@code ---}.
     */
    public static List<HasMetadata> parse(String yaml) {
        if (isBlank(yaml)) {
            return List.of();
        }
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<?> documents = parsed instanceof List<?> list ? list : parsed == null ? List.of() : List.of(parsed);
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : documents) {
            if (document instanceof KubernetesResourceList<?> items) {
                objects.addAll(items.getItems());
            } else if (document instanceof HasMetadata object) {
                objects.add(object);
            } else if (document != null) {
                throw new IllegalArgumentException("rendered document is not a Kubernetes object: " + document);
            }
        }
        return List.copyOf(objects);
    }

    /** The objects as one compact JSON document per line: JSON escapes every newline inside a string. */
    public static String jsonLines(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata object : objects) {
            out.append(SERIALIZATION.asJson(object)).append('\n');
        }
        return out.toString();
    }

    /**
     * A digest of the object's content as it would be sent to the API server (its JSON): two renders that serialize
     * alike are the same apply ({@link dev.meshfleet.installer.diff.ApplyScope}). One serialization: a digest of the
     * JSON with every map's keys sorted cost a 1,000-cluster rollout far more, and bought nothing (a shape's first
     * cluster gets helm's objects only when they serialize exactly as the shape's do).
     */
    public static String digest(HasMetadata object) {
        return Names.hash(SERIALIZATION.asJson(object));
    }

    /** The objects of {@link #jsonLines}' text, parsed with the JSON parser (much faster than YAML's). */
    public static List<HasMetadata> parseJsonLines(String lines) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                objects.add(SERIALIZATION.unmarshal(line, HasMetadata.class));
            }
        }
        return List.copyOf(objects);
    }

    /**
     * {@code objects}, which the caller made and nobody else holds, with {@code labels} added (ours win over the
     * chart's): no copy.
     */
    public static List<HasMetadata> labelInPlace(List<HasMetadata> objects, Map<String, String> labels) {
        for (HasMetadata object : objects) {
            Map<String, String> merged = new LinkedHashMap<>();
            if (object.getMetadata().getLabels() != null) {
                merged.putAll(object.getMetadata().getLabels());
            }
            merged.putAll(labels);
            object.getMetadata().setLabels(merged);
        }
        return List.copyOf(objects);
    }

    /** Copies of {@code objects} with {@code labels} added (ours win over the chart's). */
    public static List<HasMetadata> label(List<HasMetadata> objects, Map<String, String> labels) {
        List<HasMetadata> labelled = new ArrayList<>();
        for (HasMetadata object : objects) {
            HasMetadata copy = SERIALIZATION.clone(object);
            Map<String, String> merged = new LinkedHashMap<>();
            if (copy.getMetadata().getLabels() != null) {
                merged.putAll(copy.getMetadata().getLabels());
            }
            merged.putAll(labels);
            copy.getMetadata().setLabels(merged);
            labelled.add(copy);
        }
        return List.copyOf(labelled);
    }

    /**
     * Gives namespaced objects without a namespace the release namespace, as helm install would.
     * Cluster-scoped kinds are those the serialization knows to be cluster-scoped.
     */
    public static List<HasMetadata> defaultNamespace(List<HasMetadata> objects, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (!ClusterScope.isClusterScoped(object) && (object.getMetadata().getNamespace() == null
                    || object.getMetadata().getNamespace().isEmpty())) {
                HasMetadata copy = SERIALIZATION.clone(object);
                copy.getMetadata().setNamespace(namespace);
                out.add(copy);
            } else {
                out.add(object);
            }
        }
        return List.copyOf(out);
    }

    public static ObjectRef ref(HasMetadata object) {
        return new ObjectRef(object.getApiVersion(), object.getKind(),
                ClusterScope.isClusterScoped(object) ? "" : object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /** A minimal object of the right model class for a reference: what a delete or get needs. */
    public static HasMetadata skeleton(ObjectRef ref) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", ref.name());
        if (!ref.namespace().isEmpty()) {
            metadata.put("namespace", ref.namespace());
        }
        Map<String, Object> object = Map.of("apiVersion", ref.apiVersion(), "kind", ref.kind(), "metadata", metadata);
        return (HasMetadata) SERIALIZATION.unmarshal(SERIALIZATION.asJson(object), KubernetesResource.class);
    }

    public static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    private static boolean isBlank(String doc) {
        return doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    }
}
