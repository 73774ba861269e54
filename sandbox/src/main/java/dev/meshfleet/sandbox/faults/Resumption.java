package dev.meshfleet.sandbox.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a killed installer replica took its clusters back after its restart. Its clusters are those it sent an
 * installation event about before it was killed; a restarted replica has resumed a cluster when it sends an
 * event about it again (it keeps no state across a restart, so it reports every cluster it reconciles). With
 * static membership (ADR 0011) it gets the same partitions back, so every one of its clusters should come back
 * to it; a cluster another replica reported on instead was handed over by a rebalance. A replica killed before it
 * reported on anything (early in a rollout) has no such clusters: then the clusters it reported on since its
 * restart are counted, from its restart to its first event about each. Only events before the next spec change
 * after the restart count ({@code until}): a cluster first reported after it may be that change's work (a cluster
 * added back to the spec long after the restart), not a resumption; it counts as not resumed.
 *
 * @param owned the clusters it sent events about before its kill, or when none, those it sent events about since
 *        its restart
 * @param reportedBefore whether it had sent any event before its kill
 * @param resumed how many of them it sent an event about since its restart
 * @param first from the restart to its first event about one of them; null when none
 * @param last from the restart to its first event about the last of them to come back; null when none
 * @param takenOver how many of them only another replica reported on since the restart
 */
public record Resumption(int owned, boolean reportedBefore, int resumed, Duration first, Duration last, int takenOver) {

    /** One installation event as read from the topic: which replica sent it ({@code installer/<id>}), about which cluster, when. */
    public record Event(String source, String cluster, Instant at) {
    }

    /** From the events read since before the kill; {@code source} is the replica's, {@code installer/<replica id>}. */
    public static Resumption of(List<Event> events, String source, Instant killed, Instant restarted) {
        return of(events, source, killed, restarted, null);
    }

    /**
     * As {@link #of(List, String, Instant, Instant)}, counting only the events before {@code until}, the first spec
     * change applied after the restart (null: none).
     */
    public static Resumption of(List<Event> events, String source, Instant killed, Instant restarted, Instant until) {
        Set<String> owned = new TreeSet<>();
        Map<String, Instant> back = new HashMap<>();
        Set<String> reportedByOthers = new TreeSet<>();
        for (Event e : events) {
            if (until != null && !e.at().isBefore(until)) {
                continue;
            }
            if (e.source().equals(source)) {
                if (e.at().isBefore(killed)) {
                    owned.add(e.cluster());
                } else if (!e.at().isBefore(restarted)) {
                    back.merge(e.cluster(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
                }
            } else if (!e.at().isBefore(restarted)) {
                reportedByOthers.add(e.cluster());
            }
        }
        boolean reportedBefore = !owned.isEmpty();
        if (!reportedBefore) {
            owned.addAll(back.keySet());
        }
        Instant first = null;
        Instant last = null;
        int resumed = 0;
        int takenOver = 0;
        for (String cluster : owned) {
            Instant at = back.get(cluster);
            if (at == null) {
                takenOver += reportedByOthers.contains(cluster) ? 1 : 0;
                continue;
            }
            resumed++;
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }
        return new Resumption(owned.size(), reportedBefore, resumed, first == null ? null : Duration.between(restarted, first),
                last == null ? null : Duration.between(restarted, last), takenOver);
    }
}
