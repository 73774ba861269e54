package dev.meshfleet.intake.admission;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * One admitted request, as the admissions topic keeps it (docs/adr/0023): the object's uid, the generation it will
 * have once stored (when the request carried one), the hash of its spec, and who asked.
 */
public record Admitted(String requestUid, String uid, ResourceKind kind, String namespace, String name,
        OptionalLong generation, String specHash, AdmissionRequest.Operation operation, String username,
        List<String> groups, Instant admittedAt) {
    public Admitted {
        groups = List.copyOf(groups);
    }
}
