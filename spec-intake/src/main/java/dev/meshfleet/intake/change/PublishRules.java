package dev.meshfleet.intake.change;

import java.util.Optional;

import dev.meshfleet.intake.change.PublishDecision.AddFinalizer;
import dev.meshfleet.intake.change.PublishDecision.Nothing;
import dev.meshfleet.intake.change.PublishDecision.Publish;
import dev.meshfleet.schemas.v1.Operation;

/**
 * The intake's rules, level-triggered: given what the informer cache holds now for a key, what
 * the worker last saw under that key, and what was already published, the next step. The worker
 * applies the step and asks again until the answer is {@link Nothing}, so one call decides one
 * step and the order of the rules is the order of the work:
 * <ol>
 * <li>the resource the worker last saw under this key is gone (deleted outright, or replaced by a
 * re-created one with a new uid) and its DELETE never went out: publish DELETE from what we saw.
 * This covers a finalizer removed by hand and a resource deleted before we could add ours;</li>
 * <li>nothing in the cache: nothing to do;</li>
 * <li>deletion requested: publish DELETE once per uid. The finalizer stays: the status-aggregator
 * removes it when every installation is uninstalled;</li>
 * <li>no finalizer: add it first, so that no UPSERT goes out for a resource whose deletion we
 * could miss;</li>
 * <li>this (uid, generation) was not published yet, or a ServiceMeshController's gloo-extensions-config data
 * (docs/adr/0045) or the annotations Meshfleet acts on ({@link ReadAnnotations}, docs/adr/0046) changed since:
 * publish UPSERT. A status-only update, or a change of any other annotation or label, bumps no generation and so
 * publishes nothing.</li>
 * </ol>
 */
public final class PublishRules {
    private PublishRules() {
    }

    public static PublishDecision decide(Optional<LifecycleResource> current, Optional<LifecycleResource> lastSeen,
            Published published) {
        if (lastSeen.isPresent()) {
            LifecycleResource seen = lastSeen.get();
            boolean replacedOrGone = current.map(c -> !c.uid().equals(seen.uid())).orElse(true);
            if (replacedOrGone && !published.deleted(seen.uid())) {
                return new Publish(Operation.DELETE, seen);
            }
        }
        if (current.isEmpty()) {
            return new Nothing("not in the cache");
        }
        LifecycleResource resource = current.get();
        if (resource.deletionRequested()) {
            return published.deleted(resource.uid())
                    ? new Nothing("DELETE already published")
                    : new Publish(Operation.DELETE, resource);
        }
        if (!resource.holdsFinalizer()) {
            return new AddFinalizer(resource);
        }
        if (published.upserted(resource.uid(), resource.generation(), resource.beside())) {
            return new Nothing("generation " + resource.generation() + " already published");
        }
        return new Publish(Operation.UPSERT, resource);
    }
}
