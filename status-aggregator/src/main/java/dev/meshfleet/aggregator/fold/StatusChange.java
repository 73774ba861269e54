package dev.meshfleet.aggregator.fold;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
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
        SortedMap<String, ClusterEntry> old = before == null ? Collections.emptySortedMap() : before.clusters();
        Set<String> changed = new TreeSet<>();
        boolean reportChanged = ownerChanged;
        // Both maps are sorted by cluster name: one pass over both, side by side. (A lookup per cluster in the
        // other map compared names as alike as cluster1..cluster1000 ten times each, for every event folded: a
        // quarter of the aggregator's CPU in a 1,000-cluster rollout.)
        Iterator<Map.Entry<String, ClusterEntry>> was = old.entrySet().iterator();
        Iterator<Map.Entry<String, ClusterEntry>> is = after.clusters().entrySet().iterator();
        Map.Entry<String, ClusterEntry> w = next(was);
        Map.Entry<String, ClusterEntry> i = next(is);
        while (w != null || i != null) {
            int order = w == null ? 1 : i == null ? -1 : w.getKey().compareTo(i.getKey());
            if (order < 0) { // gone
                changed.add(w.getKey());
                reportChanged = reportChanged || !reportsSame(w.getValue(), null);
                w = next(was);
            } else if (order > 0) { // new
                changed.add(i.getKey());
                reportChanged = true;
                i = next(is);
            } else {
                if (w.getValue() != i.getValue()) {
                    changed.add(w.getKey());
                    reportChanged = reportChanged || !reportsSame(w.getValue(), i.getValue());
                }
                w = next(was);
                i = next(is);
            }
        }
        return new StatusChange(ownerChanged, changed, reportChanged);
    }

    private static <E> E next(Iterator<E> it) {
        return it.hasNext() ? it.next() : null;
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
