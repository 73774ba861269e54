package dev.meshfleet.sandbox.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet at one instant (pure): for every installation, the generation of its resource in force then (the last spec
 * change observed at or before it) with its spec, and the state it was last observed in at or before it. Where retention
 * dropped a resource's installation events, an installation with no event left at or before the instant is
 * {@link Observed.Dropped}: its state then cannot be told, and the view says so instead of guessing.
 */
public final class FleetAt {
    private FleetAt() {
    }

    /** What was observed of an installation at the instant. */
    public sealed interface Observed {
        /** Its last event at or before the instant. */
        record Known(String state, Instant since, long eventGeneration) implements Observed {
        }

        /** Its events before {@code retainedFrom} are gone, and none is left at or before the instant. */
        record Dropped(Instant retainedFrom) implements Observed {
        }
    }

    /** One installation at the instant; {@code deleted}: its resource's last change by then was its deletion. */
    public record Installation(String resource, String cluster, String revision, long generation, boolean deleted,
            String specJson, Observed observed) {
        String id() {
            return resource + " " + cluster + " " + revision;
        }
    }

    /** Every installation at {@code at}, by resource, cluster and revision. */
    public record View(Instant at, List<Installation> installations) {
    }

    /**
     * @param changes by resource key, each in topic order
     * @param transitions by resource key, any order
     * @param eventsRetainedFrom for the resources whose installation events lost records to retention: when what is
     *        left begins
     * @param cluster only this cluster, when given
     */
    public static View at(Instant at, Map<String, List<History.Change>> changes,
            Map<String, List<History.Transition>> transitions, Map<String, Instant> eventsRetainedFrom,
            Optional<String> cluster) {
        List<Installation> out = new ArrayList<>();
        for (Map.Entry<String, List<History.Change>> resource : new TreeMap<>(changes).entrySet()) {
            String key = resource.getKey();
            Optional<History.Change> inForce = resource.getValue().stream().filter(c -> !c.observedAt().isAfter(at))
                    .reduce((first, second) -> second);
            if (inForce.isEmpty()) {
                continue;
            }
            History.Change change = inForce.get();
            Instant retainedFrom = eventsRetainedFrom.get(key);
            Map<String, Observed> byInstallation = new TreeMap<>();
            transitions.getOrDefault(key, List.of()).stream().sorted(Comparator.comparing(History.Transition::time))
                    .forEach(t -> {
                        String id = t.cluster() + " " + t.revision();
                        if (!t.time().isAfter(at)) {
                            byInstallation.put(id, new Observed.Known(t.state(), t.time(), t.generation()));
                        } else if (retainedFrom != null) {
                            byInstallation.putIfAbsent(id, new Observed.Dropped(retainedFrom));
                        }
                    });
            if (byInstallation.isEmpty() && retainedFrom != null) {
                byInstallation.put(" ", new Observed.Dropped(retainedFrom));
            }
            if (change.delete() && byInstallation.values().stream().allMatch(FleetAt::uninstalled)) {
                continue;
            }
            byInstallation.forEach((id, observed) -> {
                String[] clusterAndRevision = id.split(" ", -1);
                if (cluster.isEmpty() || cluster.get().equals(clusterAndRevision[0])) {
                    out.add(new Installation(key, clusterAndRevision[0], clusterAndRevision[1], change.generation(),
                            change.delete(), change.specJson(), observed));
                }
            });
        }
        return new View(at, out);
    }

    private static boolean uninstalled(Observed o) {
        return o instanceof Observed.Known k && k.state().startsWith("UNINSTALLED");
    }
}
