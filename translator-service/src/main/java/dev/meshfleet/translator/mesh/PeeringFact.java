package dev.meshfleet.translator.mesh;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.SmcPeering;
import java.util.Map;
import java.util.Optional;

/**
 * The fact a peered ServiceMeshController's peers depend on, read off an installation event (docs/adr/0046): the
 * installer that owns the controller's cluster reported, for its installation of revision {@code peering}, the address
 * of the east-west Gateway ({@code facts} {@code eastwest.address}, {@code eastwest.addressType}). Pure. Only an
 * installer's event counts ({@code source} {@code installer/<replica>}), with its {@code sourceEpoch} kept so that the
 * report of a replica that lost the cluster's partition does not overwrite a newer one ({@link Address#after}).
 */
public record PeeringFact(String ownerKey, String uid, String cluster, String address, String addressType, long epoch) {
    public static final String ADDRESS = "eastwest.address";
    public static final String ADDRESS_TYPE = "eastwest.addressType";
    static final String INSTALLER_PREFIX = "installer/";

    /** The fact an event carries, if it carries one; every other event (nearly all of them) gives empty. */
    public static Optional<PeeringFact> of(InstallationEvent event) {
        if (event == null || event.getOwner().getKind() != ResourceKind.ServiceMeshController
                || !SmcPeering.REVISION.equals(event.getRevision()) || event.getSource() == null
                || !event.getSource().startsWith(INSTALLER_PREFIX) || event.getFacts() == null) {
            return Optional.empty();
        }
        Map<String, String> facts = event.getFacts();
        String address = facts.getOrDefault(ADDRESS, "");
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String type = facts.getOrDefault(ADDRESS_TYPE, "");
        // The chart's default, and what an address without a type is (Gateway API: IPAddress when unset).
        type = "Hostname".equals(type) ? "Hostname" : "IPAddress";
        var owner = event.getOwner();
        return Optional.of(new PeeringFact(OwnerKeys.of(owner.getKind(), owner.getNamespace(), owner.getName()),
                owner.getUid(), event.getCluster(), address.trim(), type, event.getSourceEpoch()));
    }
}
