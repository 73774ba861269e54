package dev.meshfleet.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests received by the API servers, counted per cluster, verb and resource as Kubernetes' request info names
 * them ({@code list configmaps}, {@code patch deployments}, {@code update istiolifecyclemanagers/status}): what a
 * test or a benchmark counts when it says how many requests a reconcile costs.
 */
public final class RequestCounts {

    /** The cluster name of the management API server's requests. */
    public static final String MANAGEMENT = "";

    private final Map<String, Map<String, LongAdder>> byCluster = new ConcurrentHashMap<>();

    void record(String cluster, RequestInfo info) {
        String key = info.verb() + " " + info.combinedResource();
        byCluster.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Requests of one verb on one resource (e.g. "list", "configmaps") received by a cluster's API server. */
    public long count(String cluster, String verb, String resource) {
        Map<String, LongAdder> counts = byCluster.get(cluster);
        LongAdder n = counts == null ? null : counts.get(verb + " " + resource);
        return n == null ? 0 : n.sum();
    }

    /** Every cluster's counts summed, by "verb resource", sorted; the management cluster's apart when asked. */
    public Map<String, Long> totals(boolean management) {
        Map<String, Long> out = new TreeMap<>();
        byCluster.forEach((cluster, counts) -> {
            if (cluster.equals(MANAGEMENT) == management) {
                counts.forEach((k, n) -> out.merge(k, n.sum(), Long::sum));
            }
        });
        return out;
    }

    /** One cluster's counts by "verb resource", sorted. */
    public Map<String, Long> of(String cluster) {
        Map<String, Long> out = new TreeMap<>();
        byCluster.getOrDefault(cluster, Map.of()).forEach((k, n) -> out.put(k, n.sum()));
        return out;
    }

    public void clear() {
        byCluster.clear();
    }
}
