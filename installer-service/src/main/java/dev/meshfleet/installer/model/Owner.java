package dev.meshfleet.installer.model;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The ILM, GLM, ServiceMeshController or ExternalControlPlane an installation belongs to. */
public record Owner(ResourceKind kind, String namespace, String name, String uid) {
    public static Owner from(OwnerRef ref) {
        return new Owner(ref.getKind(), ref.getNamespace(), ref.getName(), ref.getUid());
    }

    public OwnerRef toAvro() {
        return OwnerRef.newBuilder().setKind(kind).setNamespace(namespace).setName(name).setUid(uid == null ? "" : uid)
                .build();
    }

    /** {@code Kind/namespace/name}: the event record key. */
    public String key() {
        return OwnerKeys.of(kind, namespace, name);
    }

    /**
     * An ILM, a ServiceMeshController (docs/adr/0027) or an ExternalControlPlane (its installation in each cluster is a
     * part of one control plane: the external istiod, or a remote cluster's base, webhooks and reader; ADR 0031).
     */
    public boolean isControlPlane() {
        return kind == ResourceKind.IstioLifecycleManager || kind == ResourceKind.ServiceMeshController
                || kind == ResourceKind.ExternalControlPlane;
    }
}
