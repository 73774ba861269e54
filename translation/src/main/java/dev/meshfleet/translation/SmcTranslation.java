package dev.meshfleet.translation;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of translating one ServiceMeshController generation: the one plan for its cluster, or the errors
 * (under the cluster when it is a usable name, else {@link TranslationError#SPEC_CLUSTER}). Never both.
 */
public record SmcTranslation(String namespace, String name, long generation, Plan plan, List<TranslationError> errors) {
    public static final String KIND = "ServiceMeshController";

    public SmcTranslation {
        errors = List.copyOf(errors);
    }

    /** The record key the pipeline will use, {@code ServiceMeshController/namespace/name}. */
    public String key() {
        return KIND + "/" + namespace + "/" + name;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The plan under its cluster, as {@link Translation#plansByCluster()} holds plans; empty when refused. */
    public SortedMap<String, List<Plan>> plansByCluster() {
        TreeMap<String, List<Plan>> out = new TreeMap<>();
        if (plan != null) {
            out.put(plan.cluster(), List.of(plan));
        }
        return out;
    }
}
