package dev.meshfleet.aggregator.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.aggregator.fold.ClusterEntry;
import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.status.StatusDocument;

/**
 * What a status write will change, installation by installation: the resource's status as it is ({@code shown}) against
 * the folded status about to be written. Level-triggered like the write itself: after a restart the resource already
 * shows the folded states and nothing is a transition, so a restart floods no one with Events. Transitions between two
 * writes (a coalesce window) are not seen, only where each installation went. Pure.
 */
public final class StateChanges {
    private StateChanges() {
    }

    /** @param shown the resource's {@code status} now (null or missing: it shows nothing yet) */
    public static List<Transition> between(JsonNode shown, Status next) {
        JsonNode clusters = shown == null ? null : shown.path("clusters");
        List<Transition> changes = new ArrayList<>();
        for (Map.Entry<String, ClusterEntry> cluster : next.clusters().entrySet()) {
            String clusterKey = StatusDocument.clusterKey(cluster.getKey());
            for (Map.Entry<String, Installation> i : cluster.getValue().installations().entrySet()) {
                String revisionKey = StatusDocument.revisionKey(i.getKey());
                String before = clusters == null ? ""
                        : clusters.path(clusterKey).path("installations").path(revisionKey).path("state").asText("");
                Installation now = i.getValue();
                if (!before.equals(now.state().name())) {
                    changes.add(new Transition(clusterKey + "/" + revisionKey, before, now.state(), now.message(),
                            now.updatedAt()));
                }
            }
        }
        return changes;
    }

    /**
     * As {@link #between}, for a resource whose status shows one revisionless installation per cluster as
     * {@code clusters.<cluster>.state} (an ExternalControlPlane's, ADR 0031); its installations are named
     * {@code cluster/default}.
     */
    public static List<Transition> betweenClusters(JsonNode shown, Status next) {
        JsonNode clusters = shown == null ? null : shown.path("clusters");
        List<Transition> changes = new ArrayList<>();
        for (Map.Entry<String, ClusterEntry> cluster : next.clusters().entrySet()) {
            Installation now = cluster.getValue().installations().get("");
            if (now == null) {
                continue;
            }
            String clusterKey = StatusDocument.clusterKey(cluster.getKey());
            String before = clusters == null ? "" : clusters.path(clusterKey).path("state").asText("");
            if (!before.equals(now.state().name())) {
                changes.add(new Transition(clusterKey + "/" + StatusDocument.revisionKey(""), before, now.state(),
                        now.message(), now.updatedAt()));
            }
        }
        return changes;
    }
}
