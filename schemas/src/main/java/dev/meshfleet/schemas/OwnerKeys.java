package dev.meshfleet.schemas;

import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The record key of everything that concerns one ILM, GLM or ServiceMeshController: {@code Kind/namespace/name}. */
public final class OwnerKeys {
    private OwnerKeys() {
    }

    public static String of(ResourceKind kind, String namespace, String name) {
        return kind.name() + "/" + namespace + "/" + name;
    }

    public static String of(OwnerRef owner) {
        return of(owner.getKind(), owner.getNamespace(), owner.getName());
    }

    /** Whether a record key concerns a resource of {@code kind}: read without decoding the record's value. */
    public static boolean isOf(ResourceKind kind, String key) {
        return key != null && key.length() > kind.name().length() && key.startsWith(kind.name())
                && key.charAt(kind.name().length()) == '/';
    }

    /** Parses {@code Kind/namespace/name}; throws IllegalArgumentException naming what is wrong. */
    public static Parsed parse(String key) {
        String[] parts = key == null ? new String[0] : key.split("/", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("expected Kind/namespace/name, got '" + key + "'");
        }
        ResourceKind kind;
        try {
            kind = dev.meshfleet.schemas.crd.Crds.kindNamed(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + key + "'");
        }
        return new Parsed(kind, parts[1], parts[2]);
    }

    public record Parsed(ResourceKind kind, String namespace, String name) {
    }
}
