package dev.meshfleet.intake.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * admission.k8s.io/v1 {@code AdmissionReview} in and out, per
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request and #response:
 * the response carries the request's {@code uid}, {@code allowed}, and for a refusal a {@code status} whose message
 * the API server passes on as {@code admission webhook "NAME" denied the request: MESSAGE}.
 */
public final class AdmissionReviews {
    public static final String API_VERSION = "admission.k8s.io/v1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AdmissionReviews() {
    }

    /**
     * The request of a review; empty when it is about something other than an ILM, GLM or ServiceMeshController (the webhook's rules never
     * send one, and allowing it is what a webhook that does not care answers).
     *
     * @throws IllegalArgumentException when the body is not an AdmissionReview with a request
     */
    public static Optional<AdmissionRequest> request(JsonNode review) {
        JsonNode request = review == null ? null : review.get("request");
        if (request == null || !request.isObject() || !request.hasNonNull("uid")) {
            throw new IllegalArgumentException("not an " + API_VERSION + " AdmissionReview with a request.uid");
        }
        ResourceKind kind;
        try {
            kind = Crds.kindNamed(request.path("kind").path("kind").asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        request.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
        JsonNode object = present(request.get("object"));
        JsonNode oldObject = present(request.get("oldObject"));
        String name = request.path("name").asText("");
        if (name.isEmpty() && object != null) {
            name = object.path("metadata").path("name").asText("");
        }
        return Optional.of(new AdmissionRequest(request.get("uid").asText(), kind, request.path("namespace").asText(""),
                name, AdmissionRequest.Operation.valueOf(request.path("operation").asText("CONNECT")),
                request.path("userInfo").path("username").asText(""), groups, object, oldObject,
                request.path("dryRun").asBoolean(false)));
    }

    /** The review answering {@code requestUid}: allowed, or refused with {@code message}. */
    public static ObjectNode response(String requestUid, AdmissionRules.Decision decision) {
        ObjectNode review = NODES.objectNode().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
        ObjectNode response = review.putObject("response").put("uid", requestUid);
        if (decision instanceof AdmissionRules.Denied denied) {
            response.put("allowed", false);
            // 422 Invalid: the request is well formed, a field of it is not (the API server keeps a code >= 400).
            response.putObject("status").put("code", 422).put("reason", "Invalid").put("message", denied.message());
        } else {
            response.put("allowed", true);
        }
        return review;
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
