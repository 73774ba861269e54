package dev.meshfleet.translation;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of translating one ServiceMeshController generation: the control plane's plan for its cluster, or the
 * errors (under the cluster when it is a usable name, else {@link TranslationError#SPEC_CLUSTER}). Never both. A
 * controller whose namespace's extensions say Peering also has {@code member} (what it brings to its mesh) and
 * {@code peeringPlan} (its installation of revision {@code peering}, {@link SmcPeering}); both null otherwise.
 */
public record SmcTranslation(String namespace, String name, long generation, Plan plan, Plan peeringPlan,
        SmcPeering.Member member, List<TranslationError> errors) {
    public static final String KIND = "ServiceMeshController";

    public SmcTranslation {
        errors = List.copyOf(errors);
    }

    /** Not peered. */
    public SmcTranslation(String namespace, String name, long generation, Plan plan, List<TranslationError> errors) {
        this(namespace, name, generation, plan, null, null, errors);
    }

    /** The record key the pipeline will use, {@code ServiceMeshController/namespace/name}. */
    public String key() {
        return KIND + "/" + namespace + "/" + name;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /**
     * The plans under their cluster, as {@link Translation#plansByCluster()} holds plans (the control plane, then the
     * peering installation: sorted by revision); empty when refused.
     */
    public SortedMap<String, List<Plan>> plansByCluster() {
        TreeMap<String, List<Plan>> out = new TreeMap<>();
        if (plan != null) {
            out.put(plan.cluster(), peeringPlan == null ? List.of(plan) : List.of(plan, peeringPlan));
        }
        return out;
    }
}
