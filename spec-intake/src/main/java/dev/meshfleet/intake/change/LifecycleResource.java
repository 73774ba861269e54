package dev.meshfleet.intake.change;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * What the intake needs to know about one ILM or GLM, converted once from the informer's object so
 * that the publish rules never touch a Kubernetes type.
 *
 * @param deletionRequested metadata.deletionTimestamp is set
 * @param holdsFinalizer    metadata.finalizers contains {@link dev.meshfleet.schemas.crd.Crds#FINALIZER}
 * @param actor             who last changed the spec, see {@link Actors}
 * @param specJson          the spec exactly as stored, as JSON; "{}" when the resource has none
 */
public record LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
        String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson) {

    /** The record key on every topic: Kind/namespace/name. */
    public String key() {
        return OwnerKeys.of(kind, namespace, name);
    }
}
