package dev.meshfleet.installer.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.cluster.ApplyResult;
import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.diff.ApplyScope;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.schemas.state.Phase;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Applies a rendered plan layer by layer: a control plane's base chart first (the CRDs and
 * cluster-wide RBAC the rest needs), then its other charts together; a gateway's charts at once. Only the objects
 * whose content changed since this replica wrote them are written ({@link ApplyScope}); a layer with none is skipped.
 * Announces each layer before applying it (the progress state), and after a failed layer records
 * in the inventory whatever may now exist, so that a removal cannot leak it. Prune and the
 * complete inventory are the reconciler's: they depend on the other installations of the round.
 */
final class Applier {
    private static final Logger LOG = Logger.getLogger(Applier.class);

    sealed interface Outcome {
        /**
         * Every layer applied; {@code objects} is everything the plan renders, {@code live} their versions as the
         * API answered, by identity.
         */
        record Applied(List<ObjectRef> objects, Map<String, LiveVersion> live) implements Outcome {
        }

        /** The API refused an object; {@code baseLayer} when it was the control plane's base chart. */
        record Refused(boolean baseLayer, String message) implements Outcome {
        }

        record Unreachable(String message) implements Outcome {
        }
    }

    /** Told before each layer is applied: the progress state and what is being applied. */
    interface Progress {
        void applying(Phase phase, String message);
    }

    /** One layer: its objects, whether it is a control plane's base chart, and how to name it. */
    record Layer(List<HasMetadata> objects, boolean base, String description) {
    }

    /** The layers of {@code plan}, given its charts rendered in order (pure). */
    static List<Layer> layers(Plan plan, List<List<HasMetadata>> rendered) {
        String charts = plan.charts().stream().map(ChartSpec::chart).collect(Collectors.joining(", "));
        if (plan.owner().isControlPlane() && rendered.size() > 1) {
            String rest = plan.charts().stream().skip(1).map(ChartSpec::chart).collect(Collectors.joining(", "));
            return List.of(new Layer(rendered.get(0), true, "the cluster-wide base layer (chart "
                    + plan.charts().get(0).chart() + ")"),
                    new Layer(rendered.subList(1, rendered.size()).stream().flatMap(List::stream).toList(), false,
                            "charts " + rest));
        }
        return List.of(new Layer(rendered.stream().flatMap(List::stream).toList(), false, "charts " + charts));
    }

    /**
     * @param written what this replica last wrote in the cluster, content digest by identity: objects whose content it
     *                already wrote and the inventory lists are left out ({@link ApplyScope}); what this apply writes
     *                is recorded in it
     */
    Outcome apply(ClusterOps ops, Plan plan, Inventory current, List<List<HasMetadata>> rendered, boolean upgrade,
            Map<String, String> written, Progress progress) {
        List<ObjectRef> all = rendered.stream().flatMap(List::stream).map(Manifests::ref).toList();
        String charts = plan.charts().stream().map(ChartSpec::chart).collect(Collectors.joining(", "));
        Set<String> listed = ApplyScope.listed(current);
        Map<String, LiveVersion> live = new HashMap<>();
        for (Layer layer : layers(plan, rendered)) {
            List<HasMetadata> toWrite = new ArrayList<>();
            Map<String, String> digests = new HashMap<>();
            for (HasMetadata object : layer.objects()) {
                ObjectRef ref = Manifests.ref(object);
                String digest = Manifests.digest(object);
                if (ApplyScope.mustApply(ref, digest, listed, written)) {
                    toWrite.add(object);
                    digests.put(ref.identity(), digest);
                }
            }
            if (toWrite.isEmpty()) {
                continue;
            }
            Phase phase = upgrade ? Phase.UPDATING : layer.base() ? Phase.INSTALLING_CONTROLLER : Phase.INSTALLING;
            // An update re-applies every layer under one name: the charts it changes.
            progress.applying(phase, "applying " + (upgrade ? "charts " + charts : layer.description()));
            ApplyResult result = ops.apply(toWrite);
            if (result instanceof ApplyResult.Refused refused) {
                recordPartial(ops, plan, current, all);
                return new Outcome.Refused(layer.base(), "applying " + refused.object() + " was refused: "
                        + refused.message() + "; retried at the next resync");
            }
            if (result instanceof ApplyResult.Unreachable unreachable) {
                recordPartial(ops, plan, current, all);
                return new Outcome.Unreachable(unreachable.message());
            }
            live.putAll(((ApplyResult.Applied) result).live());
            written.putAll(digests);
        }
        return new Outcome.Applied(all, live);
    }

    /** After a failed apply, the inventory must list whatever may now exist, or a removal would leak it. */
    private static void recordPartial(ClusterOps ops, Plan plan, Inventory current, List<ObjectRef> attempted) {
        Map<String, ObjectRef> union = new LinkedHashMap<>();
        if (current != null) {
            current.objects().forEach(o -> union.put(o.identity(), o));
        }
        attempted.forEach(o -> union.put(o.identity(), o));
        Inventory partial = new Inventory(plan.owner(), plan.generation(), plan.revision(),
                current == null ? "" : current.tag(), current == null ? "" : current.planHash(),
                current == null ? null : current.observedOperatorJson(), false, List.copyOf(union.values()));
        try {
            ops.writeInventory(partial);
        } catch (RuntimeException e) {
            // Best effort: the failure being reported is the apply's; the next attempt records again.
            LOG.debugf("could not record the partial inventory of %s: %s", plan.key(), e.getMessage());
        }
    }
}
