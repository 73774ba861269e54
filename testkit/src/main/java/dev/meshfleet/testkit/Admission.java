package dev.meshfleet.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * What the API server checks of a write before it stores it: a custom resource against its CRD's
 * structural schema ({@link StructuralSchema}: pruned, then validated; 422 Invalid naming each
 * field), and the size limits (see {@link #tooLarge}). Called under the store's monitor with the
 * object as it would be stored.
 */
final class Admission {

    /**
     * The API server's limit on a write's request body (apiserver {@code MaxRequestBodyBytes},
     * 3 MiB: twice etcd's limit, as JSON is larger than the protobuf stored); above it, 413.
     */
    static final int MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
    /**
     * etcd's default {@code --max-request-bytes}, 1.5 MiB: an object that large is refused by etcd
     * ("etcdserver: request is too large"), which the API server passes on as a 500. Measured here
     * on the stored JSON (Kubernetes stores protobuf, somewhat smaller, so this errs on the safe side).
     */
    static final int MAX_OBJECT_BYTES = 1536 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/";

    /** Parsed schemas by the CRD's stored JSON: a CRD changes rarely, objects are written often. */
    private final Map<String, Optional<Crd>> parsed = new ConcurrentHashMap<>();
    private final ClusterStore store;

    Admission(ClusterStore store) {
        this.store = store;
    }

    /** The parts of a CRD admission needs for one served version. */
    record Crd(String kind, String group, JsonNode schema) {
    }

    /** A custom resource's coordinates from its REST path, or empty for a built-in or non-object path. */
    record Target(String group, String version, String plural, String name) {
        static Optional<Target> of(String path) {
            String[] p = path.split("/");
            // "", "apis", group, version, [namespaces, ns,] plural, [name, [status]]
            if (p.length < 5 || !p[1].equals("apis") || !p[2].contains(".")) {
                return Optional.empty();
            }
            int plural = p[4].equals("namespaces") && p.length >= 7 ? 6 : 4;
            return Optional.of(new Target(p[2], p[3], p[plural], p.length > plural + 1 ? p[plural + 1] : null));
        }
    }

    /**
     * Prunes {@code object} in place and validates it if {@code path} names a custom resource whose
     * CRD is in the store; the refusal (422) if it is invalid.
     */
    Optional<MockResponse> admitCustomResource(String path, ObjectNode object) {
        return admitCustomResource(path, object, Map.of());
    }

    /**
     * As {@link #admitCustomResource(String, ObjectNode)}, with the write's query: under
     * {@code fieldValidation=Strict} (what kubectl sends by default) an unknown field is refused
     * with 400, as the API server's strict decoding does, instead of pruned.
     */
    Optional<MockResponse> admitCustomResource(String path, ObjectNode object, Map<String, String> query) {
        Optional<Target> target = Target.of(path);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<Crd> crd = crd(target.get());
        if (crd.isEmpty()) {
            return Optional.empty();
        }
        StructuralSchema.Verdict verdict = StructuralSchema.admit(crd.get().schema(), object);
        if (!verdict.pruned().isEmpty() && "Strict".equals(query.get("fieldValidation"))) {
            String kind = crd.get().kind();
            return Optional.of(Status.of(400, "BadRequest", kind + " in version \"" + target.get().version()
                    + "\" cannot be handled as a " + kind + ": strict decoding error: " + String.join(", ",
                            verdict.pruned().stream().map(f -> "unknown field \"" + f + "\"").toList())));
        }
        List<StructuralSchema.FieldError> errors = verdict.errors();
        if (errors.isEmpty()) {
            // Validating admission comes after the schema, as in the API server.
            return store.reviewWrite(path, object, query);
        }
        String name = target.get().name() != null ? target.get().name() : object.path("metadata").path("name").asText("");
        return Optional.of(invalid(crd.get().kind(), crd.get().group(), name, errors));
    }

    private Optional<Crd> crd(Target target) {
        var entry = store.findResource(store.getKey(CRDS + target.plural() + "." + target.group()));
        if (entry == null) {
            return Optional.empty();
        }
        return parsed.computeIfAbsent(entry.getValue(), raw -> {
            if (parsed.size() > 256) {
                parsed.clear(); // old versions of changed CRDs; never many
            }
            return read(raw, target.version());
        });
    }

    private static Optional<Crd> read(String raw, String version) {
        try {
            JsonNode crd = JSON.readTree(raw);
            for (JsonNode v : crd.path("spec").path("versions")) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema");
                if (v.path("name").asText().equals(version) && schema.isObject()) {
                    return Optional.of(new Crd(crd.path("spec").path("names").path("kind").asText(),
                            crd.path("spec").path("group").asText(), schema));
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty(); // an unreadable CRD validates nothing, as it would not be served
        }
    }

    /**
     * The 422 the API server answers for an invalid object
     * (apimachinery {@code errors.NewInvalid}): message {@code Kind.group "name" is invalid: <error>}
     * (several errors in brackets, comma-separated), details naming each field in a cause.
     */
    static MockResponse invalid(String kind, String group, String name, List<StructuralSchema.FieldError> errors) {
        String qualified = group.isEmpty() ? kind : kind + "." + group;
        String listed = errors.size() == 1 ? errors.get(0).describe()
                : "[" + String.join(", ", errors.stream().map(StructuralSchema.FieldError::describe).toList()) + "]";
        ObjectNode status = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("message", qualified + " \"" + name + "\" is invalid: " + listed)
                .put("reason", "Invalid").put("code", 422);
        status.putObject("metadata");
        ObjectNode details = status.putObject("details").put("name", name).put("group", group).put("kind", kind);
        var causes = details.putArray("causes");
        for (StructuralSchema.FieldError e : errors) {
            causes.addObject().put("reason", e.kind().causeReason).put("message", e.body()).put("field", e.field());
        }
        return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }

    /** 413 for a request body over {@link #MAX_REQUEST_BODY_BYTES}, as the API server answers it. */
    static Optional<MockResponse> bodyTooLarge(long bytes) {
        if (bytes <= MAX_REQUEST_BODY_BYTES) {
            return Optional.empty();
        }
        return Optional.of(Status.of(413, "RequestEntityTooLarge",
                "Request entity too large: limit is " + MAX_REQUEST_BODY_BYTES));
    }

    /**
     * 500 with etcd's message for an object over {@link #MAX_OBJECT_BYTES}: what the API server
     * answers today when etcd refuses the write (kubernetes/kubernetes#112152 asks for a 4xx);
     * {@code kubectl} shows "Error from server: etcdserver: request is too large".
     */
    static Optional<MockResponse> tooLarge(String stored) {
        if (stored == null || stored.length() <= MAX_OBJECT_BYTES / 4
                || stored.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_OBJECT_BYTES) {
            return Optional.empty();
        }
        return Optional.of(Status.of(500, "", "etcdserver: request is too large"));
    }
}
