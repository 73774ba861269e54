package dev.meshfleet.sandbox.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;

/**
 * When a sandbox step is done. A resource has settled when its status describes its current generation,
 * every cluster its spec names has at least one installation in the status (under the key the aggregator
 * really writes: {@link ResourceView#statusKey}; none is waited for once a whole-resource translation
 * error shows, under {@link Crds#WHOLE_RESOURCE_CLUSTER}), and every installation is in a
 * state that will not change by itself ({@link Phase#settled()}), HEALTHY excepted for one the spec no longer
 * wants (its removal is still to come); a deleted resource has settled when it
 * is gone, or when its removal is stuck on something outside (see {@link #removalIsStuck}). Pure: the caller reads the resources and calls {@link #evaluate} again until it says so.
 *
 * <p>A peered ServiceMeshController (one with {@code status.peers}, docs/adr/0046) is SUCCEEDED once its east-west
 * Gateway has an address, before its peers' addresses have reached its plan: the translator plans its remote peers a
 * few seconds later. So it has settled only when it knows a link (up or down) to every other peered controller of its
 * namespace that is SUCCEEDED (whose address is known), and none of its links is still {@code Pending}. A peer that
 * never gets an address (never-ready) is not SUCCEEDED, so nothing waits for it.
 */
public final class Settle {

    /** How far along a set of resources is; {@code moving} says, per unsettled resource, why. */
    public record Progress(int settled, int total, List<String> moving, boolean allHealthy) {
        public boolean done() {
            return settled == total;
        }
    }

    private Settle() {
    }

    public static Progress evaluate(List<ResourceView> views) {
        int settled = 0;
        boolean healthy = true;
        List<String> moving = new ArrayList<>();
        java.util.Map<String, Integer> addressedByNamespace = new java.util.HashMap<>();
        for (ResourceView v : views) {
            if (v.peers() != null && !v.gone() && !v.deleting() && !v.installations().isEmpty()
                    && v.installations().stream().allMatch(r -> phase(v, r) == Phase.HEALTHY)) {
                addressedByNamespace.merge(v.ref().namespace(), 1, Integer::sum);
            }
        }
        for (ResourceView v : views) {
            String why = whyNotSettled(v);
            if (why == null) {
                why = whyPeersNotSettled(v, addressedByNamespace.getOrDefault(v.ref().namespace(), 0));
            }
            if (why == null) {
                settled++;
            } else {
                moving.add(v.ref().display() + " " + why);
            }
            healthy &= isHealthy(v);
        }
        return new Progress(settled, views.size(), moving, healthy);
    }

    /** null when settled, else a short reason for the progress line. */
    static String whyNotSettled(ResourceView v) {
        if (v.gone()) {
            return null;
        }
        if (v.deleting()) {
            if (removalIsStuck(v)) {
                return null;
            }
            String states = brief(v.installations().stream().map(r -> r.cluster() + ":" + r.state()).toList());
            return "(deleting" + (states.isEmpty() ? "" : " " + states) + ")";
        }
        if (v.observedGeneration() == null) {
            return "(no status yet)";
        }
        if (v.generation() != null && !v.generation().equals(v.observedGeneration())) {
            return "(status is of generation " + v.observedGeneration() + ", spec is " + v.generation() + ")";
        }
        Set<String> reported = v.installations().stream().map(InstallationRow::cluster).collect(Collectors.toSet());
        // A whole-resource entry is a translation error: the translator emits the plans it could make
        // before it, so once it shows, no other cluster of this generation gets an entry by itself.
        List<String> missing = reported.contains(Crds.WHOLE_RESOURCE_CLUSTER) ? List.of()
                : v.specClusters().stream().filter(c -> !reported.contains(c)).sorted().toList();
        if (!missing.isEmpty()) {
            return "(no status yet for " + (missing.size() <= BRIEF ? String.join(", ", missing)
                    : missing.size() + " clusters: " + String.join(", ", missing.subList(0, BRIEF)) + " and "
                            + (missing.size() - BRIEF) + " more") + ")";
        }
        // An installation the spec no longer wants, still HEALTHY: its removal has not been reported yet (the status
        // may already describe the new generation through the installations it still wants).
        List<String> inProgress = v.installations().stream()
                .filter(r -> !settled(v, r) || v.unwanted(r) && phase(v, r) == Phase.HEALTHY)
                .map(r -> r.cluster() + "/" + r.revision() + ":" + r.state()).toList();
        return inProgress.isEmpty() ? null : brief(inProgress);
    }

    /**
     * null when a peered controller's links are all known (see the class comment), else why not; {@code addressed} is
     * the number of SUCCEEDED peered controllers of its namespace, itself included when it is one.
     */
    static String whyPeersNotSettled(ResourceView v, int addressed) {
        ResourceView.Peers peers = v.peers();
        if (peers == null || v.gone() || v.deleting()) {
            return null;
        }
        if (peers.pending()) {
            return "(peers " + peers.up() + "/" + peers.total() + ", a link pending)";
        }
        if (peers.total() < addressed - 1) {
            return "(peers " + peers.up() + "/" + peers.total() + " of " + (addressed - 1) + " peered)";
        }
        return null;
    }

    /** Up to this many installations are listed one by one in a progress line; more are counted by state. */
    static final int BRIEF = 5;

    /**
     * The progress line's account of {@code where:STATE} entries: each one when there are few, else how many
     * are in each state (most first) and the first few, so that a resource across a thousand clusters still
     * prints one short line.
     */
    static String brief(List<String> entries) {
        if (entries.size() <= BRIEF) {
            return String.join(" ", entries);
        }
        java.util.Map<String, Long> byState = entries.stream().collect(Collectors.groupingBy(
                e -> e.substring(e.lastIndexOf(':') + 1), java.util.TreeMap::new, Collectors.counting()));
        String counts = byState.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        return counts + " (" + String.join(" ", entries.subList(0, BRIEF)) + " and " + (entries.size() - BRIEF)
                + " more)";
    }

    /**
     * A deleting resource whose removal cannot finish by itself: every installation is either
     * UNINSTALLED or UNKNOWN, and at least one is UNKNOWN. An unreachable cluster is what blocks a
     * removal (the installer reports a cluster it cannot read or delete in as UNKNOWN): the finalizer
     * holds the resource and its status says which cluster, so waiting out the step's timeout would
     * tell the user nothing more. Any other state means the removal has not reached that installation
     * yet (an installation that was FAILED or ACTION_REQUIRED before the delete is still removed), and
     * all UNINSTALLED leaves only the finalizer's release, which comes by itself.
     */
    static boolean removalIsStuck(ResourceView v) {
        boolean unknown = false;
        for (InstallationRow r : v.installations()) {
            Phase p = phase(v, r);
            if (p == Phase.UNKNOWN) {
                unknown = true;
            } else if (p != Phase.UNINSTALLED) {
                return false;
            }
        }
        return unknown;
    }

    /** HEALTHY, or gone after a delete, or UNINSTALLED. */
    static boolean isHealthy(ResourceView v) {
        if (v.gone()) {
            return true;
        }
        if (v.deleting() || v.installations().isEmpty()) {
            return false;
        }
        return v.installations().stream().allMatch(r -> {
            Phase p = phase(v, r);
            return p == Phase.HEALTHY || p == Phase.UNINSTALLED;
        });
    }

    private static boolean settled(ResourceView v, InstallationRow r) {
        Phase p = phase(v, r);
        // A state name we do not know cannot be waited on; count it as settled and let the outcome show it.
        return p == null || p.settled();
    }

    static Phase phase(ResourceView v, InstallationRow r) {
        if (r.state() == null) {
            return Phase.INSTALL_PENDING;
        }
        try {
            return InstallationState.of(v.ref().kind(), r.state()).phase();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
