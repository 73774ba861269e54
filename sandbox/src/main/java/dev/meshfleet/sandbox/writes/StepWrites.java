package dev.meshfleet.sandbox.writes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.meshfleet.testkit.WriteLog;
import dev.meshfleet.sandbox.mesh.MeshSummary;

/**
 * The line {@code sandbox run|up} prints after each step: how many writes the installers made to the workload
 * clusters during the step (the API servers' write log, testkit {@code WriteLog}), in all and per cluster (issue 12: "the writes are counted"). Pure: counts per cluster in,
 * one line out. Clusters are listed by count, most first, then by name as people sort them ({@code cluster2} before
 * {@code cluster10}); more than {@link #GROUP_OVER} clusters with the same count are one group ({@code 100 clusters 1
 * each}), and after {@link #ENTRIES} entries the rest is summed, so that a step across 1,000 clusters is one short line.
 */
public final class StepWrites {

    /** Clusters of one count are grouped when there are more than this many. */
    static final int GROUP_OVER = 3;
    /** At most this many entries (a cluster or a group) are shown; the rest is summed. */
    static final int ENTRIES = 12;

    private StepWrites() {
    }

    /**
     * {@code sandbox: step 2/3: the installers made 13 writes: cluster4 10, cluster1 1, cluster2 1, cluster3 1}: the
     * writes (POST, PUT, PATCH, DELETE: each request that may change an object) of the step, per cluster; clusters
     * with no write are left out.
     */
    public static String line(int step, int steps, Map<String, Integer> writesByCluster) {
        int total = writesByCluster.values().stream().mapToInt(Integer::intValue).sum();
        String head = "sandbox: step " + step + "/" + steps + ": the installers made " + total
                + (total == 1 ? " write" : " writes");
        if (total == 0) {
            return head + " to the workload clusters";
        }
        // Count, most first -> the clusters with that count, in natural order.
        Map<Integer, List<String>> byCount = new TreeMap<>(Comparator.reverseOrder());
        writesByCluster.forEach((cluster, n) -> {
            if (n > 0) {
                byCount.computeIfAbsent(n, k -> new ArrayList<>()).add(cluster);
            }
        });
        List<String> entries = new ArrayList<>();
        List<Integer> entryClusters = new ArrayList<>();
        List<Integer> entryWrites = new ArrayList<>();
        for (var e : byCount.entrySet()) {
            List<String> clusters = e.getValue().stream().sorted(MeshSummary.CLUSTER_ORDER).toList();
            if (clusters.size() > GROUP_OVER) {
                entries.add(clusters.size() + " clusters " + e.getKey() + " each");
                entryClusters.add(clusters.size());
                entryWrites.add(clusters.size() * e.getKey());
            } else {
                for (String c : clusters) {
                    entries.add(c + " " + e.getKey());
                    entryClusters.add(1);
                    entryWrites.add(e.getKey());
                }
            }
        }
        if (entries.size() <= ENTRIES) {
            return head + ": " + String.join(", ", entries);
        }
        int restClusters = entryClusters.subList(ENTRIES, entries.size()).stream().mapToInt(Integer::intValue).sum();
        int restWrites = entryWrites.subList(ENTRIES, entries.size()).stream().mapToInt(Integer::intValue).sum();
        return head + ": " + String.join(", ", entries.subList(0, ENTRIES)) + " and " + restWrites + " in "
                + restClusters + " more clusters";
    }

    /**
     * Writes per cluster of those an installer made (they name their writer, ADR 0013; the simulator, the sandbox and
     * kubectl name none).
     */
    public static Map<String, Integer> byInstallers(List<WriteLog.Write> writes) {
        return count(writes.stream().filter(w -> w.writer().isPresent()).map(WriteLog.Write::cluster).toList());
    }

    /** Writes per cluster of a list of clusters (one entry per write). */
    public static Map<String, Integer> count(List<String> clusterOfEachWrite) {
        return clusterOfEachWrite.stream().collect(Collectors.toMap(c -> c, c -> 1, Integer::sum, TreeMap::new));
    }

}
