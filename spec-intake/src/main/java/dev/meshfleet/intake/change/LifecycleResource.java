package dev.meshfleet.intake.change;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * @param annotations       the annotations Meshfleet acts on ({@link ReadAnnotations}), sorted; empty when none
 */
public record LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
        String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson,
        String extensionsJson, SortedMap<String, String> annotations) {

    public LifecycleResource {
        annotations = Collections.unmodifiableSortedMap(annotations == null ? new TreeMap<>() : new TreeMap<>(annotations));
    }

    public LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
            String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson) {
        this(kind, namespace, name, uid, generation, resourceVersion, deletionRequested, holdsFinalizer, actor, specJson,
                null, null);
    }

    public LifecycleResource(ResourceKind kind, String namespace, String name, String uid, long generation,
            String resourceVersion, boolean deletionRequested, boolean holdsFinalizer, String actor, String specJson,
            String extensionsJson) {
        this(kind, namespace, name, uid, generation, resourceVersion, deletionRequested, holdsFinalizer, actor, specJson,
                extensionsJson, null);
    }

    /** The same resource, translated with this gloo-extensions-config data (null: none). */
    public LifecycleResource withExtensions(String extensions) {
        return new LifecycleResource(kind, namespace, name, uid, generation, resourceVersion, deletionRequested,
                holdsFinalizer, actor, specJson, extensions, annotations);
    }

    /** The same resource with these annotations Meshfleet acts on. */
    public LifecycleResource withAnnotations(Map<String, String> read) {
        return new LifecycleResource(kind, namespace, name, uid, generation, resourceVersion, deletionRequested,
                holdsFinalizer, actor, specJson, extensionsJson, new TreeMap<>(read));
    }

    /** What the resource is published with besides its spec, whose change alone publishes it again. */
    public Published.Beside beside() {
        return new Published.Beside(extensionsJson, annotations);
    }

    /** The record key on every topic: Kind/namespace/name. */
    public String key() {
        return OwnerKeys.of(kind, namespace, name);
    }
}
