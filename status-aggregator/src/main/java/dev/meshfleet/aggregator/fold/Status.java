package dev.meshfleet.aggregator.fold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The folded status of one ILM or GLM: one {@link Installation} per (cluster, revision). The summary
 * is derived, never stored apart from the entries it summarises.
 *
 * @param deleted set by whoever learns the owner is gone (the events do not say it); kept by the fold
 */
public record Status(Owner owner, long observedGeneration, SortedMap<String, ClusterEntry> clusters,
        boolean deleted) {

    public Status {
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    }

    public static Status empty(Owner owner) {
        return new Status(owner, 0, new TreeMap<>(), false);
    }

    public Summary summary() {
        return Summary.of(owner.kind(), installations());
    }

    public List<Installation> installations() {
        List<Installation> all = new ArrayList<>();
        clusters.values().forEach(c -> all.addAll(c.installations().values()));
        return all;
    }

    public Optional<Installation> installation(String cluster, String revision) {
        ClusterEntry entry = clusters.get(cluster);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.installations().get(revision));
    }

    public long installerEpoch(String cluster) {
        ClusterEntry entry = clusters.get(cluster);
        return entry == null ? 0 : entry.installerEpoch();
    }

    /** Newest updatedAt of any installation, 0 when there is none. */
    long newestUpdate() {
        return installations().stream().mapToLong(Installation::updatedAt).max().orElse(0);
    }
}
