package dev.meshfleet.translator.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.Canonical;
import java.util.Optional;

/**
 * A fact an ExternalControlPlane's plans depend on, read off an installation event (docs/adr/0031, "Order"): the
 * installer that owns the external cluster reported the resource's external installation HEALTHY, and the address
 * it serves is the one its observed spec names. Pure. The translator sees these events because it reads
 * {@code meshfleet.installation-events}, keyed like {@code meshfleet.spec-changes} by owner, so a resource's spec
 * and its facts meet in one task without another topic.
 */
public record EcpFact(String ownerKey, String uid, String healthyAddress) {
    static final String INSTALLER_PREFIX = "installer/";

    /** The fact an event carries, if it carries one; every other event (most of them) gives empty. */
    public static Optional<EcpFact> of(InstallationEvent event) {
        if (event == null || event.getOwner().getKind() != ResourceKind.ExternalControlPlane
                || !"HEALTHY".equals(event.getState()) || event.getSource() == null
                || !event.getSource().startsWith(INSTALLER_PREFIX) || event.getObservedOperatorJson() == null) {
            return Optional.empty();
        }
        JsonNode observed;
        try {
            observed = Canonical.parse(event.getObservedOperatorJson());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not the translator's JSON: no fact can be read from it
        }
        String address = observed.path("external").path("address").asText("");
        if (!"external".equals(observed.path("role").asText()) || address.isEmpty()) {
            return Optional.empty();
        }
        var owner = event.getOwner();
        return Optional.of(new EcpFact(OwnerKeys.of(owner.getKind(), owner.getNamespace(), owner.getName()),
                owner.getUid(), address));
    }
}
