package dev.meshfleet.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/** meta/v1 Status failure bodies, the shape clients (Fabric8, kubectl) parse error messages from. */
final class Status {
    private Status() {
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
