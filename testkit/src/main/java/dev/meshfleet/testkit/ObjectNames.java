package dev.meshfleet.testkit;

import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The API server's check of metadata.name on create, as Kubernetes does it for custom resources and most
 * built-in kinds: a lowercase RFC 1123 subdomain of at most 253 characters, refused with 422 Invalid and
 * Kubernetes' own message naming the field.
 */
final class ObjectNames {
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ObjectNames() {
    }

    /** The 422 refusal of a create whose metadata.name is given but not a valid name; empty when it is valid. */
    static Optional<MockResponse> refuseInvalidName(JsonNode object) {
        JsonNode name = object.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isEmpty()) {
            return Optional.empty();
        }
        String n = name.asText();
        String problem = null;
        if (n.length() > 253) {
            problem = "must be no more than 253 characters";
        } else if (!SUBDOMAIN.matcher(n).matches()) {
            problem = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
                    + " validation is '" + SUBDOMAIN.pattern() + "')";
        }
        if (problem == null) {
            return Optional.empty();
        }
        String kind = object.path("kind").asText("");
        String apiVersion = object.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? "." + apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return Optional.of(Status.of(422, "Invalid", kind + group + " \"" + n + "\" is invalid: metadata.name: Invalid value: \""
                + n + "\": " + problem));
    }
}
