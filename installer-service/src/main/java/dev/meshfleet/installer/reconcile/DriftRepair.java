package dev.meshfleet.installer.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.meshfleet.installer.cluster.ApplyResult;
import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.diff.Drift;
import dev.meshfleet.installer.diff.RepairScope;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.remote.ReaderTokenRefill;
import dev.meshfleet.installer.remote.RemoteSecrets;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.installer.render.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Drift repair of an installation in sync with its plan: server-side apply of what is already there
 * is a no-op (the resourceVersion stays); of what was changed or deleted, a write. The versions
 * before and after tell which ({@link Drift}). Objects still as this replica's last repair left them are not
 * applied at all ({@link RepairScope}): at rest a repair is one list per kind. The outcome is a value; the
 * reconciler reports it.
 * A failed read throws {@link ClusterOps.CallFailed}, classified by the caller.
 */
final class DriftRepair {

    sealed interface Outcome {
        /** Nothing had drifted. */
        record InPlace() implements Outcome {
        }

        /** What had drifted, one line per object ("Deployment a/b was deleted"), now put back. */
        record Repaired(List<String> drift) implements Outcome {
        }

        /** The API refused putting an object back (a message naming it), or the plan did not render. */
        record Failed(String message) implements Outcome {
        }

        record Unreachable(String message) implements Outcome {
        }
    }

    private final ChartRenderer renderer;
    private final RemoteSecrets remoteSecrets;

    DriftRepair(ChartRenderer renderer, RemoteSecrets remoteSecrets) {
        this.renderer = renderer;
        this.remoteSecrets = remoteSecrets;
    }

    /**
     * The desired content of every object of the plan in the cluster, as a digest. What is rendered follows from
     * the releases, the cluster and the labels alone (charts do not change while the process runs).
     */
    static String digest(Plan plan, String cluster, Map<String, String> labels) {
        return Names.hash(plan.charts() + "|" + cluster + "|" + new TreeMap<>(labels));
    }

    /**
     * Records what an apply of {@code applied} (with desired content {@code digest}) left, for the next repair. An
     * object the apply left out because its content had not changed ({@code ApplyScope}: no live version) is as its
     * last write left it under the new plan too: its record keeps its versions and takes the new digest, or the next
     * repair would apply every such object again (a peered cluster's every Gateway, at each peer that joins).
     */
    static void remember(Map<String, RepairScope.Seen> seen, List<ObjectRef> applied, Map<String, LiveVersion> live,
            String digest) {
        for (ObjectRef ref : applied) {
            LiveVersion now = live.get(ref.identity());
            if (now != null) {
                seen.put(ref.identity(), new RepairScope.Seen(now.uid(), now.resourceVersion(), now.generation(),
                        now.metadataDigest(), digest));
            } else {
                seen.computeIfPresent(ref.identity(), (k, last) -> new RepairScope.Seen(last.uid(),
                        last.resourceVersion(), last.generation(), last.metadataDigest(), digest));
            }
        }
    }

    /**
     * @param cluster the cluster repaired (a parameter of its values: {@link ChartRenderer#render(ChartSpec, String)})
     * @param labels the labels every applied object carries
     * @param listedByOthers identities other inventories list (their deletion alone counts as drift)
     * @param seen what this replica's repairs left in the cluster, by identity ({@link RepairScope}): only what
     *             may have drifted is applied, and what was applied is recorded here
     * @param readerTokens the reader token version each remote secret records, by identity: a remote secret filled
     *             and applied here is recorded in it
     */
    Outcome repair(ClusterOps ops, String cluster, Plan plan, Map<String, String> labels, Set<String> listedByOthers,
            Map<String, RepairScope.Seen> seen, Map<String, Optional<ReaderTokenRefill.Version>> readerTokens) {
        List<HasMetadata> objects = new ArrayList<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                objects.addAll(renderer.render(chart, cluster, labels));
            }
        } catch (ChartRenderer.RenderException e) {
            return new Outcome.Failed(e.getMessage());
        }
        String digest = digest(plan, cluster, labels);
        Map<String, HasMetadata> byIdentity = new LinkedHashMap<>();
        List<ObjectRef> refs = new ArrayList<>();
        for (HasMetadata object : objects) {
            ObjectRef ref = Manifests.ref(object);
            refs.add(ref);
            byIdentity.put(ref.identity(), object);
        }
        Map<String, HasMetadata> listed = ops.liveObjects(refs);
        Map<String, RepairScope.Version> versions = new HashMap<>();
        listed.forEach((identity, object) -> {
            var m = object.getMetadata();
            // Digested only when written since: at rest a repair digests nothing.
            RepairScope.Seen last = seen.get(identity);
            String metadata = last != null && Objects.equals(last.resourceVersion(), m.getResourceVersion())
                    ? last.metadataDigest() : ClusterOps.metadataDigest(object);
            versions.put(identity, new RepairScope.Version(m.getUid(), m.getResourceVersion(),
                    m.getGeneration() == null ? 0 : m.getGeneration(), metadata));
        });
        List<ObjectRef> scope = RepairScope.toApply(refs, digest, versions, seen);
        if (scope.isEmpty()) {
            return new Outcome.InPlace();
        }
        Map<String, LiveVersion> before = new HashMap<>();
        for (ObjectRef ref : scope) {
            HasMetadata object = listed.get(ref.identity());
            if (object != null) {
                before.put(ref.identity(), ClusterOps.liveVersion(object));
            }
        }
        // Filled (a remote secret's kubeconfig, read from its remote cluster) only now: at rest nothing is in scope.
        RemoteSecrets.Outcome filled = remoteSecrets.fill(List.of(scope.stream().map(r -> byIdentity.get(r.identity()))
                .toList()));
        if (filled instanceof RemoteSecrets.Outcome.Waiting waiting) {
            return new Outcome.Failed(waiting.message());
        }
        List<HasMetadata> toApply = ((RemoteSecrets.Outcome.Filled) filled).rendered().get(0);
        ApplyResult result = ops.apply(toApply);
        if (result instanceof ApplyResult.Unreachable u) {
            return new Outcome.Unreachable(u.message());
        }
        if (result instanceof ApplyResult.Refused refused) {
            return new Outcome.Failed("repairing " + refused.object() + " was refused: " + refused.message()
                    + "; retried at the next resync");
        }
        Map<String, LiveVersion> after = ((ApplyResult.Applied) result).live();
        remember(seen, scope, after, digest);
        for (HasMetadata secret : toApply) {
            if (RemoteSecrets.isShell(secret)) {
                readerTokens.put(Manifests.ref(secret).identity(), RemoteSecrets.recorded(secret));
            }
        }
        List<String> drift = Drift.describe(scope, before, after, listedByOthers);
        return drift.isEmpty() ? new Outcome.InPlace() : new Outcome.Repaired(drift);
    }
}
