package dev.meshfleet.translation;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The ILM or GLM a translation belongs to. The uid is carried but never hashed: a re-created CR with the same spec plans the same. */
public record Owner(ResourceKind kind, String namespace, String name, String uid) {

    /** The record key {@code Kind/namespace/name}. */
    public String key() {
        return OwnerKeys.of(kind, namespace, name);
    }
}
