package dev.meshfleet.aggregator.fold;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The installations of one owner in one cluster, by revision ("" for a revisionless installation),
 * and the newest installer epoch seen for the cluster: events of an older epoch come from a replica
 * that lost the cluster's partition and are dropped.
 */
public record ClusterEntry(SortedMap<String, Installation> installations, long installerEpoch) {
    public ClusterEntry {
        installations = Collections.unmodifiableSortedMap(new TreeMap<>(installations));
    }

    static ClusterEntry empty() {
        return new ClusterEntry(new TreeMap<>(), 0);
    }

    ClusterEntry with(String revision, Installation installation, long epoch) {
        TreeMap<String, Installation> next = new TreeMap<>(installations);
        next.put(revision, installation);
        return new ClusterEntry(next, Math.max(installerEpoch, epoch));
    }

    ClusterEntry withEpoch(long epoch) {
        return epoch <= installerEpoch ? this : new ClusterEntry(installations, epoch);
    }
}
