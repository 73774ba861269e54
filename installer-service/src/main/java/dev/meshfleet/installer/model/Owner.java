package dev.meshfleet.installer.model;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The ILM, GLM or ServiceMeshController an installation belongs to. */
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

    /** An ILM or a ServiceMeshController: both install a control plane (docs/adr/0027). */
    public boolean isControlPlane() {
        return kind == ResourceKind.IstioLifecycleManager || kind == ResourceKind.ServiceMeshController;
    }
}
