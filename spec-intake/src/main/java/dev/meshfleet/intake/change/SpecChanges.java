package dev.meshfleet.intake.change;

import java.time.Instant;

import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;

/** The wire record for a decision; the caller supplies the clock. */
public final class SpecChanges {
    private SpecChanges() {
    }

    public static SpecChange of(LifecycleResource resource, Operation operation, Instant observedAt) {
        return SpecChange.newBuilder()
                .setUid(resource.uid())
                .setKind(resource.kind())
                .setNamespace(resource.namespace())
                .setName(resource.name())
                .setGeneration(resource.generation())
                .setResourceVersion(resource.resourceVersion() == null ? "" : resource.resourceVersion())
                .setOperation(operation)
                .setActor(resource.actor() == null ? "" : resource.actor())
                .setObservedAt(observedAt)
                .setSpecJson(resource.specJson())
                .setExtensionsJson(resource.extensionsJson())
                // null, not an empty map, without any: the record (and its audit hash) is as before the field existed.
                .setAnnotations(resource.annotations().isEmpty() ? null : resource.annotations())
                .build();
    }
}
