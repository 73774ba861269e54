package dev.meshfleet.intake.admission;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * What the API server asks the validating webhook (admission.k8s.io/v1 {@code AdmissionReview.request}), read once at
 * the edge ({@link AdmissionReviews}). {@code object} is null for a delete, {@code oldObject} for a create.
 */
public record AdmissionRequest(String requestUid, ResourceKind kind, String namespace, String name, Operation operation,
        String username, List<String> groups, JsonNode object, JsonNode oldObject, boolean dryRun) {

    /** The operations a ValidatingWebhookConfiguration can name. */
    public enum Operation {
        CREATE, UPDATE, DELETE, CONNECT
    }

    public AdmissionRequest {
        groups = List.copyOf(groups);
    }
}
