package dev.meshfleet.aggregator.fold;

import java.util.Objects;

import dev.meshfleet.schemas.v1.ResourceKind;

/** The ILM or GLM a status belongs to; the uid tells a re-created resource from the one before it. */
public record Owner(ResourceKind kind, String namespace, String name, String uid) {
    public Owner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
    }

    /** The record key: Kind/namespace/name. */
    public String key() {
        return kind.name() + "/" + namespace + "/" + name;
    }
}
