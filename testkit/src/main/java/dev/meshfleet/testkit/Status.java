package dev.meshfleet.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/** meta/v1 Status failure bodies, the shape clients (Fabric8, kubectl) parse error messages from. */
final class Status {
    private Status() {
    }

    /** 404 NotFound for an object of {@code resource} (plural) named {@code name}, with its details, as Kubernetes. */
    static MockResponse notFound(String resource, String name) {
        ObjectNode status = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("message", resource + " \"" + name + "\" not found")
                .put("reason", "NotFound")
                .put("code", 404);
        status.putObject("metadata");
        status.putObject("details").put("name", name).put("kind", resource);
        return new MockResponse().setResponseCode(404)
                .setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }

    static MockResponse of(int code, String reason, String message) {
        ObjectNode status = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("message", message)
                .put("code", code);
        if (!reason.isEmpty()) {
            status.put("reason", reason); // "" is StatusReasonUnknown, which the API server leaves out
        }
        status.putObject("metadata");
        return new MockResponse().setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
