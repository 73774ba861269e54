package dev.meshfleet.sandbox.fencing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which writes to workload clusters were made by a replica that no longer owned the cluster, judged from
 * what the installers publish, not from the leases that are meant to prevent them (ADR 0013): a write
 * with epoch E by replica R to cluster C counts when another replica's epoch greater than E for C's
 * install-plans partition had begun by the time the write reached the API server. An epoch begins with
 * its replica's first event under it for any cluster of the partition. Pure: the sandbox reads the
 * events, the partitions and the writes, and asks here.
 */
public final class FencingAudit {
    private FencingAudit() {
    }

    /** Replica {@code replica}'s first event under {@code epoch} about a cluster of {@code partition}. */
    public record EpochStart(int partition, String replica, long epoch, long atMillis) {
    }

    /** An installer's event about {@code cluster} under {@code epoch}, observed at {@code atMillis}. */
    public record Event(String cluster, String replica, long epoch, long atMillis) {
    }

    /** A write that named its writer, received by the cluster's API server at {@code atMillis}. */
    public record Write(String cluster, String replica, long epoch, long atMillis) {
    }

    /**
     * The writes by a replica to a cluster it no longer owned, in the order given.
     *
     * @param partitionOf each cluster's install-plans partition; a write to a cluster with none is not judged
     */
    public static List<Write> stale(Collection<Write> writes, Map<String, Integer> partitionOf,
            Collection<EpochStart> starts) {
        List<Write> stale = new ArrayList<>();
        for (Write w : writes) {
            Integer partition = partitionOf.get(w.cluster());
            if (partition == null) {
                continue;
            }
            boolean superseded = starts.stream().anyMatch(s -> s.partition() == partition
                    && !s.replica().equals(w.replica()) && s.epoch() > w.epoch() && s.atMillis() <= w.atMillis());
            if (superseded) {
                stale.add(w);
            }
        }
        return stale;
    }

    /**
     * The first event of each (partition, replica, epoch); events about clusters with no partition are left out.
     */
    public static List<EpochStart> starts(Collection<Event> installerEvents, Map<String, Integer> partitionOf) {
        Map<String, EpochStart> first = new java.util.HashMap<>();
        for (Event e : installerEvents) {
            Integer partition = partitionOf.get(e.cluster());
            if (partition == null) {
                continue;
            }
            first.merge(partition + "|" + e.replica() + "|" + e.epoch(),
                    new EpochStart(partition, e.replica(), e.epoch(), e.atMillis()),
                    (a, b) -> a.atMillis() <= b.atMillis() ? a : b);
        }
        return List.copyOf(first.values());
    }
}
