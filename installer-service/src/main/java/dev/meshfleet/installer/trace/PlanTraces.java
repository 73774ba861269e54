package dev.meshfleet.installer.trace;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.meshfleet.installer.model.Plan;
import io.opentelemetry.context.Context;

/**
 * Which spec change each installation's events belong to, for tracing. An install-plans record is a cluster's whole
 * desired state and carries the trace context of the one change that produced it (the translator's claims span);
 * the owners whose plans that record changed, added or removed take that context, the others keep the one of the
 * change that last touched them. An event of an owner is reported in its context once per (revision, state), so a
 * resync re-emitting HEALTHY every few minutes does not grow a trace for ever; those re-emits go out untraced.
 *
 * <p>Memory: one entry per (cluster, owner) with a plan, the same order as the plans themselves.
 */
public final class PlanTraces {
    private record Entry(String planHashes, Context context, Set<String> reported) {
    }

    private static final String REMOVED = "";

    private final Map<String, Map<String, Entry>> byCluster = new ConcurrentHashMap<>();

    /** A cluster's plans, read from a record whose headers carried {@code context}. */
    public void read(String cluster, List<Plan> plans, Context context) {
        Map<String, String> hashes = new TreeMap<>();
        for (Plan p : plans) {
            hashes.merge(p.owner().key(), p.revision() + "=" + p.planHash(), (a, b) -> a + "," + b);
        }
        Map<String, Entry> before = byCluster.getOrDefault(cluster, Map.of());
        Map<String, Entry> now = new HashMap<>();
        hashes.forEach((owner, h) -> {
            Entry old = before.get(owner);
            now.put(owner, old != null && old.planHashes().equals(h) ? old : new Entry(h, context, new HashSet<>()));
        });
        // Owners this record removed from the cluster: their uninstall is this change's. One removed earlier is
        // forgotten now.
        before.forEach((owner, old) -> {
            if (!hashes.containsKey(owner) && !old.planHashes().equals(REMOVED)) {
                now.put(owner, new Entry(REMOVED, context, new HashSet<>()));
            }
        });
        byCluster.put(cluster, Map.copyOf(now));
    }

    /** The cluster's partition went to another replica. */
    public void forget(String cluster) {
        byCluster.remove(cluster);
    }

    /**
     * The context to report this state of the owner's installation in: the change that last touched the owner's plans
     * in the cluster, the first time the installation reports this state under it; otherwise empty (untraced).
     */
    public Optional<Context> report(String cluster, String owner, String revision, String state) {
        Entry e = byCluster.getOrDefault(cluster, Map.of()).get(owner);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e.reported()) {
            return e.reported().add(revision + "/" + state) ? Optional.of(e.context()) : Optional.empty();
        }
    }
}
