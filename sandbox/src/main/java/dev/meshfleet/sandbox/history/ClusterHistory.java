package dev.meshfleet.sandbox.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every change that touched one cluster, across resources (pure): the entries with a transition there, and only those transitions. */
public final class ClusterHistory {
    private ClusterHistory() {
    }

    /** By resource key (sorted), the entries of {@code histories} that caused a transition on {@code cluster}. */
    public static Map<String, List<History.Entry>> of(Map<String, List<History.Entry>> histories, String cluster) {
        Map<String, List<History.Entry>> out = new TreeMap<>();
        histories.forEach((key, entries) -> {
            List<History.Entry> touching = entries.stream().map(e -> onlyOn(e, cluster))
                    .filter(e -> !e.transitions().isEmpty()).toList();
            if (!touching.isEmpty()) {
                out.put(key, touching);
            }
        });
        return out;
    }

    private static History.Entry onlyOn(History.Entry e, String cluster) {
        Map<String, List<History.Transition>> kept = new LinkedHashMap<>();
        e.transitions().forEach((installation, ts) -> {
            if (!ts.isEmpty() && ts.get(0).cluster().equals(cluster)) {
                kept.put(installation, ts);
            }
        });
        return new History.Entry(e.uid(), e.generation(), e.delete(), e.when(), e.who(), e.changes(), kept);
    }
}
