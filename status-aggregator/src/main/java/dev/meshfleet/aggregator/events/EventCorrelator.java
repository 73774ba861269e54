package dev.meshfleet.aggregator.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meshfleet.aggregator.conditions.Conditions;
import dev.meshfleet.aggregator.conditions.Reasons;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.schemas.state.InstallationState;

/**
 * Turns the transitions of each status write into few Events, as client-go's EventCorrelator does for a controller:
 * <ul>
 * <li><b>Aggregated:</b> one Event per resource and kind of transition (the reason: the state reached, such as
 *     {@code Healthy} or {@code ControlPlaneInstallFailed}). A thousand clusters reaching HEALTHY add a thousand to the
 *     count of one Event, whose message names the newest few.</li>
 * <li><b>Capped:</b> at most {@code perMinute} Event writes per resource in any minute. A series that changes beyond
 *     the cap is held, its count still growing, and written once the minute allows ({@link #due}), Warnings first: no
 *     transition is lost from the counts, and a flapping fleet costs the API server a few writes a minute.</li>
 * <li><b>Bounded:</b> series are kept for the newest {@code maxResources} resources (client-go keeps 4096); a resource
 *     forgotten starts its counts over, as after a restart.</li>
 * </ul>
 * Pure apart from its own memory: the time of a write ({@code now}) is given by the caller, the Event times are those
 * of the transitions. Not thread-safe: the status writer's one thread calls it.
 */
public final class EventCorrelator {
    static final long MINUTE_MILLIS = 60_000;
    static final int NAMED = 3;
    static final int QUOTED = 256;
    public static final int MAX_MESSAGE = 1024;

    private final int perMinute;
    private final Map<String, ResourceEvents> resources;

    public EventCorrelator(int perMinute, int maxResources) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("at least one Event per minute, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.resources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ResourceEvents> eldest) {
                return size() > maxResources;
            }
        };
    }

    /** Counts {@code transitions} into their series and returns the Events to write now (the cap allowing). */
    public List<EventRecord> record(Owner owner, List<Transition> transitions, long now) {
        ResourceEvents events = resources.computeIfAbsent(owner.key() + "/" + owner.uid(), k -> new ResourceEvents(owner));
        Map<String, List<Transition>> byReason = new LinkedHashMap<>();
        transitions.forEach(t -> byReason.computeIfAbsent(Reasons.of(t.to()), r -> new ArrayList<>()).add(t));
        byReason.forEach((reason, these) -> events.series.computeIfAbsent(reason, r -> new Series(reason,
                Conditions.degraded(these.get(0).to().phase()))).add(these));
        return events.due(now, perMinute);
    }

    /** The held Events of every resource that the cap now allows (the writer's resync calls it). */
    public List<EventRecord> due(long now) {
        List<EventRecord> due = new ArrayList<>();
        new ArrayList<>(resources.values()).forEach(r -> due.addAll(r.due(now, perMinute)));
        return due;
    }

    /** Series changed but not written yet, over every resource. */
    public int held() {
        return resources.values().stream().mapToInt(r -> (int) r.series.values().stream().filter(s -> s.dirty).count())
                .sum();
    }

    private static final class ResourceEvents {
        final Owner owner;
        final Map<String, Series> series = new LinkedHashMap<>();
        final Deque<Long> writes = new ArrayDeque<>();

        ResourceEvents(Owner owner) {
            this.owner = owner;
        }

        List<EventRecord> due(long now, int perMinute) {
            while (!writes.isEmpty() && writes.peekFirst() <= now - MINUTE_MILLIS) {
                writes.removeFirst();
            }
            List<EventRecord> due = new ArrayList<>();
            List<Series> dirty = series.values().stream().filter(s -> s.dirty)
                    .sorted(Comparator.comparing((Series s) -> !s.warning).thenComparing(s -> -s.last)).toList();
            for (Series s : dirty) {
                if (writes.size() >= perMinute) {
                    break;
                }
                writes.addLast(now);
                s.dirty = false;
                due.add(new EventRecord(owner, s.reason, s.warning, s.message, s.count, Instant.ofEpochMilli(s.first),
                        Instant.ofEpochMilli(s.last)));
            }
            return due;
        }
    }

    private static final class Series {
        final String reason;
        final boolean warning;
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String message = "";
        boolean dirty;

        Series(String reason, boolean warning) {
            this.reason = reason;
            this.warning = warning;
        }

        void add(List<Transition> these) {
            count += these.size();
            for (Transition t : these) {
                first = Math.min(first, t.timeMillis());
                last = Math.max(last, t.timeMillis());
            }
            message = message(these);
            dirty = true;
        }
    }

    /**
     * "cluster1/1-24: INSTALLING_CONTROL_PLANE -> HEALTHY" for one; "12 installations -> HEALTHY: cluster1/1-24,
     * cluster2/1-24, cluster3/1-24 and 9 more" for many; the first one's own message in parentheses.
     */
    static String message(List<Transition> these) {
        Transition first = these.get(0);
        InstallationState to = first.to();
        StringBuilder text = new StringBuilder();
        if (these.size() == 1) {
            text.append(first.installation()).append(": ").append(first.from().isEmpty() ? "" : first.from() + " -> ")
                    .append(to.name());
        } else {
            text.append(these.size()).append(" installations -> ").append(to.name()).append(": ");
            for (int i = 0; i < Math.min(NAMED, these.size()); i++) {
                text.append(i == 0 ? "" : ", ").append(these.get(i).installation());
            }
            if (these.size() > NAMED) {
                text.append(" and ").append(these.size() - NAMED).append(" more");
            }
        }
        if (!first.message().isEmpty()) {
            String said = first.message();
            text.append(" (").append(said.length() <= QUOTED ? said : said.substring(0, QUOTED - 3) + "...").append(')');
        }
        return text.length() <= MAX_MESSAGE ? text.toString() : text.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
