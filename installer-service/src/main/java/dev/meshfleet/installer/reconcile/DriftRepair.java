package dev.meshfleet.installer.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.meshfleet.installer.cluster.ApplyResult;
import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.diff.Drift;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.render.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Drift repair of an installation in sync with its plan: server-side apply of what is already there
 * is a no-op (the resourceVersion stays); of what was changed or deleted, a write. The versions
 * before and after tell which ({@link Drift}). The outcome is a value; the reconciler reports it.
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

    DriftRepair(ChartRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * @param cluster the cluster repaired (a parameter of its values: {@link ChartRenderer#render(ChartSpec, String)})
     * @param labels the labels every applied object carries
     * @param listedByOthers identities other inventories list (their deletion alone counts as drift)
     */
    Outcome repair(ClusterOps ops, String cluster, Plan plan, Map<String, String> labels, Set<String> listedByOthers) {
        List<HasMetadata> objects = new ArrayList<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                objects.addAll(Manifests.label(renderer.render(chart, cluster), labels));
            }
        } catch (ChartRenderer.RenderException e) {
            return new Outcome.Failed(e.getMessage());
        }
        List<ObjectRef> refs = objects.stream().map(Manifests::ref).toList();
        Map<String, LiveVersion> before = ops.liveVersions(refs);
        ApplyResult result = ops.apply(objects);
        if (result instanceof ApplyResult.Unreachable u) {
            return new Outcome.Unreachable(u.message());
        }
        if (result instanceof ApplyResult.Refused refused) {
            return new Outcome.Failed("repairing " + refused.object() + " was refused: " + refused.message()
                    + "; retried at the next resync");
        }
        List<String> drift = Drift.describe(refs, before, ((ApplyResult.Applied) result).live(), listedByOthers);
        return drift.isEmpty() ? new Outcome.InPlace() : new Outcome.Repaired(drift);
    }
}
