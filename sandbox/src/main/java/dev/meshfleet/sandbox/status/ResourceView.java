package dev.meshfleet.sandbox.status;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * What the sandbox needs to know about one ILM, GLM or ServiceMeshController to decide whether it has settled: its generation,
 * the generation its status describes, the clusters its spec names, and its installations. Built from
 * the resource as the API server returns it (plain maps), so the settle rules need no client.
 */
public record ResourceView(ResourceRef ref, Long generation, Long observedGeneration, boolean deleting, boolean gone,
        Set<String> specClusters, Map<String, Set<String>> specRevisions, List<InstallationRow> installations,
        Peers peers) {

    public ResourceView {
        specClusters = Set.copyOf(specClusters);
        specRevisions = Map.copyOf(specRevisions);
        installations = List.copyOf(installations);
    }

    public ResourceView(ResourceRef ref, Long generation, Long observedGeneration, boolean deleting, boolean gone,
            Set<String> specClusters, Map<String, Set<String>> specRevisions, List<InstallationRow> installations) {
        this(ref, generation, observedGeneration, deleting, gone, specClusters, specRevisions, installations, null);
    }

    /**
     * A peered ServiceMeshController's links (docs/adr/0046): {@code status.peers} {@code up/total}, and whether one of
     * {@code status.peering.down} is still {@code Pending} (its remote Gateway reports nothing yet). Null for a
     * resource without {@code status.peers}.
     */
    public record Peers(int up, int total, boolean pending) {
    }

    /**
     * Whether the spec no longer wants this installation: its cluster is not named, or every installation naming
     * the cluster gives its revision and none is this one. Unknown (false) when an installation naming the
     * cluster gives no revision: its status key is then not the spec's to tell.
     */
    public boolean unwanted(InstallationRow row) {
        if (!specClusters.contains(row.cluster())) {
            return true;
        }
        Set<String> revisions = specRevisions.get(row.cluster());
        return revisions != null && !revisions.contains(row.revision());
    }

    /** A resource that no longer exists (after a delete step). */
    public static ResourceView gone(ResourceRef ref) {
        return new ResourceView(ref, null, null, false, true, Set.of(), Map.of(), List.of());
    }

    /** From the resource's metadata, spec and status as maps (JSON objects). */
    @SuppressWarnings("unchecked")
    public static ResourceView of(ResourceKind kind, Map<String, Object> metadata, Map<String, Object> spec,
            Map<String, Object> status) {
        String namespace = string(metadata.get("namespace"));
        ResourceRef ref = new ResourceRef(kind, namespace == null ? "default" : namespace, string(metadata.get("name")));
        Long generation = number(metadata.get("generation"));
        boolean deleting = metadata.get("deletionTimestamp") != null;
        Set<String> clusters = new LinkedHashSet<>();
        Map<String, Set<String>> revisions = new java.util.HashMap<>();
        Set<String> revisionless = new java.util.HashSet<>();
        if (kind == ResourceKind.ServiceMeshController) {
            return controller(ref, generation, deleting, spec, status);
        }
        if (kind == ResourceKind.ExternalControlPlane) {
            return externalControlPlane(ref, generation, deleting, spec, status);
        }
        String revisionField = kind == ResourceKind.GatewayLifecycleManager ? "gatewayRevision" : "revision";
        if (spec != null && spec.get("installations") instanceof List<?> installs) {
            for (Object install : installs) {
                if (install instanceof Map<?, ?> i && i.get("clusters") instanceof List<?> cs) {
                    Object revision = i.get(revisionField);
                    for (Object c : cs) {
                        String key = statusKey(c);
                        clusters.add(key);
                        // "auto" is resolved by the translator (its default revision): not the status key.
                        if (revision instanceof String r && !r.isBlank() && !r.trim().equals("auto")) {
                            revisions.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(r.trim());
                        } else {
                            revisionless.add(key);
                        }
                    }
                }
            }
        }
        revisionless.forEach(revisions::remove);
        Long observed = null;
        List<InstallationRow> rows = new ArrayList<>();
        if (status != null) {
            observed = number(status.get("observedGeneration"));
            if (status.get("clusters") instanceof Map<?, ?> byCluster) {
                for (var c : ((Map<String, Object>) byCluster).entrySet()) {
                    if (c.getValue() instanceof Map<?, ?> cs && cs.get("installations") instanceof Map<?, ?> byRev) {
                        for (var r : ((Map<String, Object>) byRev).entrySet()) {
                            Map<String, Object> inst = r.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                            rows.add(new InstallationRow(c.getKey(), r.getKey(), string(inst.get("state")),
                                    string(inst.get("message"))));
                        }
                    }
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(InstallationRow::cluster).thenComparing(InstallationRow::revision));
        return new ResourceView(ref, generation, observed, deleting, false, clusters, revisions, rows);
    }

    /** A ServiceMeshController: one revisionless installation in {@code spec.cluster}, its state read from the phase. */
    private static ResourceView controller(ResourceRef ref, Long generation, boolean deleting, Map<String, Object> spec,
            Map<String, Object> status) {
        String cluster = spec != null && spec.get("cluster") instanceof String c && !c.isBlank() ? c.trim()
                : Crds.WHOLE_RESOURCE_CLUSTER;
        InstallationRow row = ControllerStatus.row(cluster, status);
        return new ResourceView(ref, generation, status == null ? null : number(status.get("observedGeneration")),
                deleting, false, Set.of(cluster), Map.of(), row == null ? List.of() : List.of(row), peers(status));
    }

    /** {@code status.peers} ("n/m") and whether a down link is Pending; null without a readable one. */
    private static Peers peers(Map<String, Object> status) {
        if (status == null || !(status.get("peers") instanceof String text) || !text.matches("\\d+/\\d+")) {
            return null;
        }
        int slash = text.indexOf('/');
        boolean pending = false;
        if (status.get("peering") instanceof Map<?, ?> peering && peering.get("down") instanceof List<?> down) {
            for (Object link : down) {
                pending |= link instanceof Map<?, ?> l && "Pending".equals(l.get("reason"));
            }
        }
        return new Peers(Integer.parseInt(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)),
                pending);
    }

    /**
     * An ExternalControlPlane (ADR 0031): one revisionless installation in the external cluster and in each remote
     * cluster, shown as {@code status.clusters.<cluster>.state} (the revision key is {@code default}, as an ILM's
     * revisionless installation's).
     */
    @SuppressWarnings("unchecked")
    private static ResourceView externalControlPlane(ResourceRef ref, Long generation, boolean deleting,
            Map<String, Object> spec, Map<String, Object> status) {
        Set<String> clusters = new LinkedHashSet<>();
        if (spec != null && spec.get("external") instanceof Map<?, ?> external && external.get("cluster") instanceof String c
                && !c.isBlank()) {
            clusters.add(c.trim());
        }
        if (spec != null && spec.get("remoteClusters") instanceof List<?> remotes) {
            remotes.forEach(r -> clusters.add(statusKey(r)));
        }
        if (clusters.isEmpty()) {
            clusters.add(Crds.WHOLE_RESOURCE_CLUSTER);
        }
        List<InstallationRow> rows = new ArrayList<>();
        Long observed = null;
        if (status != null) {
            observed = number(status.get("observedGeneration"));
            if (status.get("clusters") instanceof Map<?, ?> byCluster) {
                for (var c : ((Map<String, Object>) byCluster).entrySet()) {
                    if (c.getValue() instanceof Map<?, ?> entry && entry.get("state") != null) {
                        rows.add(new InstallationRow(c.getKey(), "default", string(entry.get("state")),
                                string(entry.get("message"))));
                    }
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(InstallationRow::cluster));
        return new ResourceView(ref, generation, observed, deleting, false, clusters, Map.of(), rows);
    }

    /**
     * The status key under which the aggregator shows a spec's cluster entry: its name, trimmed, as the
     * translator reads it; an entry without a usable name (missing, empty, not a string) is reported as
     * a translation error under {@link Crds#WHOLE_RESOURCE_CLUSTER}, so that is the key to wait for.
     */
    static String statusKey(Object clusterEntry) {
        if (clusterEntry instanceof Map<?, ?> cm && cm.get("name") instanceof String name && !name.isBlank()) {
            return name.trim();
        }
        if (clusterEntry instanceof String name && !name.isBlank()) {
            return name.trim(); // the translator names a bare string's cluster after it
        }
        return Crds.WHOLE_RESOURCE_CLUSTER;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    private static Long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s && s.matches("\\d+")) {
            return Long.parseLong(s);
        }
        return null;
    }
}
