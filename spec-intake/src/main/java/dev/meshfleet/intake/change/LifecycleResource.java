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
 * @param extensionsJson    a ServiceMeshController's: the data of its namespace's gloo-extensions-config ConfigMap
 *                          as JSON, null when there is none (and for the other kinds; docs/adr/0045)
 */
public record LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
        String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson,
        String extensionsJson) {

    public LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
            String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson) {
        this(kind, namespace, name, uid, generation, resourceVersion, deletionRequested, holdsFinalizer, actor, specJson,
                null);
    }

    /** The same resource, translated with this gloo-extensions-config data (null: none). */
    public LifecycleResource withExtensions(String extensions) {
        return new LifecycleResource(kind, namespace, name, uid, generation, resourceVersion, deletionRequested,
                holdsFinalizer, actor, specJson, extensions);
    }

    /** The record key on every topic: Kind/namespace/name. */
    public String key() {
        return OwnerKeys.of(kind, namespace, name);
    }
}
