package dev.meshfleet.aggregator.fold;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one fold changed in the status of an owner: whether its own fields changed (uid,
 * observedGeneration, deleted), which clusters' entries changed, and whether a reader of the status
 * would see any of it. The stream persists only what changed and publishes only what a reader would
 * see. Pure. Entries are compared by identity first ({@link StatusFold} keeps an untouched entry as
 * the same object), so the cost is one pass over the cluster keys, with no deep comparison of the
 * entries that did not move.
 *
 * @param ownerChanged    the owner, its observedGeneration or its deleted flag differ (or there was no status)
 * @param changedClusters clusters whose entry was added, removed or replaced
 * @param reportChanged   a reader of the status sees a difference: {@code ownerChanged}, a cluster or
 *                        installation added or removed, or an installation that does not
 *                        {@link Installation#reportsSameAs report the same}
 */
public record StatusChange(boolean ownerChanged, Set<String> changedClusters, boolean reportChanged) {

    public static StatusChange between(Status before, Status after) {
        boolean ownerChanged = before == null || !before.owner().equals(after.owner())
                || before.observedGeneration() != after.observedGeneration() || before.deleted() != after.deleted();
        Map<String, ClusterEntry> old = before == null ? Map.of() : before.clusters();
        Set<String> changed = new TreeSet<>();
        boolean reportChanged = ownerChanged;
        for (Map.Entry<String, ClusterEntry> was : old.entrySet()) {
            ClusterEntry is = after.clusters().get(was.getKey());
            if (was.getValue() != is) {
                changed.add(was.getKey());
                reportChanged = reportChanged || !reportsSame(was.getValue(), is);
            }
        }
        for (Map.Entry<String, ClusterEntry> is : after.clusters().entrySet()) {
            if (!old.containsKey(is.getKey())) {
                changed.add(is.getKey());
                reportChanged = true;
            }
        }
        return new StatusChange(ownerChanged, changed, reportChanged);
    }

    private static boolean reportsSame(ClusterEntry was, ClusterEntry is) {
        Map<String, Installation> a = was == null ? Map.of() : was.installations();
        Map<String, Installation> b = is == null ? Map.of() : is.installations();
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Objects.requireNonNull(e.getValue()).reportsSameAs(b.get(e.getKey())));
    }
}
