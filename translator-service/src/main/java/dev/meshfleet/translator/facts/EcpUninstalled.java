package dev.meshfleet.translator.facts;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.Optional;

/**
 * The other fact an ExternalControlPlane's plans depend on (docs/adr/0031, "Removal in order"): the installer that
 * owns a cluster reported the resource's installation there uninstalled. Pure; read off installation events like
 * {@link EcpFact}.
 */
public record EcpUninstalled(String ownerKey, String uid, String cluster) {
    static final String UNINSTALLED = "UNINSTALLED_CONTROL_PLANE";

    public static Optional<EcpUninstalled> of(InstallationEvent event) {
        if (event == null || event.getOwner().getKind() != ResourceKind.ExternalControlPlane
                || !UNINSTALLED.equals(event.getState()) || event.getSource() == null
                || !event.getSource().startsWith(EcpFact.INSTALLER_PREFIX)) {
            return Optional.empty();
        }
        var owner = event.getOwner();
        return Optional.of(new EcpUninstalled(OwnerKeys.of(owner.getKind(), owner.getNamespace(), owner.getName()),
                owner.getUid(), event.getCluster()));
    }
}
