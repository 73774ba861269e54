package dev.meshfleet.installer.reconcile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Plan;

/**
 * Which clusters this replica owns (those whose install-plans partition it is assigned), the
 * epoch under which it owns them, and each one's latest desired state. Written by the consumer
 * thread, read by the workers.
 */
public class Ownership {
    /** A cluster this replica owns; {@code plans} is its whole desired state (empty after a tombstone). */
    public record Owned(String cluster, int partition, long epoch, List<Plan> plans) {
    }

    private final Map<Integer, Long> partitionEpochs = new ConcurrentHashMap<>();
    private final Map<String, Owned> clusters = new ConcurrentHashMap<>();
    /**
     * Per cluster, every plan its desired states announced since a round last took them (the latest per
     * installation): a plan announced and dropped again before a round ran was never reconciled, and only these say
     * it existed.
     */
    private final Map<String, Map<InstallationKey, Plan>> announced = new ConcurrentHashMap<>();

    public void assigned(int partition, long epoch) {
        partitionEpochs.put(partition, epoch);
        // Re-assigned under a new epoch: clusters already known keep their state, take the new epoch.
        clusters.replaceAll((c, o) -> o.partition() == partition ? new Owned(c, partition, epoch, o.plans()) : o);
    }

    /** Forgets the partition and returns the clusters that were owned through it. */
    public Set<String> revoked(int partition) {
        partitionEpochs.remove(partition);
        Set<String> dropped = clusters.values().stream().filter(o -> o.partition() == partition).map(Owned::cluster)
                .collect(Collectors.toSet());
        dropped.forEach(clusters::remove);
        dropped.forEach(announced::remove);
        return dropped;
    }

    /** Records the cluster's latest desired state; false when the partition is not (or no longer) ours. */
    public boolean desired(String cluster, int partition, List<Plan> plans) {
        Long epoch = partitionEpochs.get(partition);
        if (epoch == null) {
            return false;
        }
        clusters.put(cluster, new Owned(cluster, partition, epoch, List.copyOf(plans)));
        // After the put: whatever a round takes from here was in a desired state it can read (or an older one).
        announced.compute(cluster, (c, seen) -> {
            Map<InstallationKey, Plan> next = seen == null ? new LinkedHashMap<>() : seen;
            plans.forEach(p -> next.put(p.key(), p));
            return next;
        });
        return true;
    }

    /**
     * Takes the plans announced for the cluster since the last take. A round takes them before it reads the desired
     * state, so every plan taken is in that state or was dropped by it.
     */
    public List<Plan> takeAnnounced(String cluster) {
        Map<InstallationKey, Plan> seen = announced.remove(cluster);
        return seen == null ? List.of() : List.copyOf(seen.values());
    }

    public Optional<Owned> get(String cluster) {
        return Optional.ofNullable(clusters.get(cluster));
    }

    /**
     * The owned clusters, a live read-only view (iterated as the map's keys are: weakly consistent). Not a copy: the
     * resync timers ask twice a second, and Set.copyOf of names as alike as cluster1..cluster1000 probes its open
     * addressing table long enough to be a tenth of an idle installer's CPU at 1,000 clusters.
     */
    public Set<String> clusters() {
        return java.util.Collections.unmodifiableSet(clusters.keySet());
    }

    public Set<String> clustersOf(int partition) {
        return clusters.values().stream().filter(o -> o.partition() == partition).map(Owned::cluster)
                .collect(Collectors.toSet());
    }

    /** True while the cluster is still owned under {@code epoch}: events of a lost epoch must not go out. */
    public boolean owns(String cluster, long epoch) {
        Owned o = clusters.get(cluster);
        return o != null && o.epoch() == epoch;
    }

    public int partitions() {
        return partitionEpochs.size();
    }
}
