package dev.meshfleet.translation;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outcome of translating one resource generation: per cluster the plans that translated, and
 * the errors. A cluster can have both (two installations, one broken).
 */
public record Translation(Owner owner, long generation, SortedMap<String, List<Plan>> plansByCluster,
        List<TranslationError> errors) {

    public Translation {
        TreeMap<String, List<Plan>> copy = new TreeMap<>();
        plansByCluster.forEach((cluster, plans) -> copy.put(cluster, List.copyOf(plans)));
        plansByCluster = java.util.Collections.unmodifiableSortedMap(copy);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Every cluster this resource has a plan for. */
    public SortedSet<String> clusters() {
        return new TreeSet<>(plansByCluster.keySet());
    }

    public List<Plan> plans(String cluster) {
        return plansByCluster.getOrDefault(cluster, List.of());
    }

    public List<Plan> allPlans() {
        return plansByCluster.values().stream().flatMap(List::stream).toList();
    }

    static Translation of(Owner owner, long generation, Map<String, List<Plan>> plans, List<TranslationError> errors) {
        return new Translation(owner, generation, new TreeMap<>(plans), errors);
    }
}
