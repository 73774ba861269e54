package dev.meshfleet.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The object store of one API server (the management cluster or one workload cluster): Fabric8's
 * CRUD dispatcher with our additions in front. It owns no thread, so a thousand of them cost only
 * their objects. Every request is handled under the store's monitor, so read-modify-write
 * additions (server-side apply, garbage collection) see a consistent store even when in-process
 * callers (the {@link WorkloadSimulator}) write at the same time as HTTP clients.
 */
public final class ClusterStore extends KubernetesCrudDispatcher {

    /** A change to one object: {@code before} is null for a creation, {@code after} for a removal. */
    public record Change(String path, String before, String after) {
    }

    private final String cluster;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
    private volatile List<Fault> faults = List.of();
    private final ServerSideApply ssa = new ServerSideApply(this);
    private final StoredKeys keys = new StoredKeys();
    private final Admission admission = new Admission(this);
    private final ValidatingWebhooks webhooks = new ValidatingWebhooks(this);
    /** The user of the request being handled (under the store's monitor), for the webhooks' AdmissionReview. */
    private UserInfo requestUser = UserInfo.anonymous();
    /**
     * The uid a create of the request being handled was reviewed with: the API server sets the uid before admission,
     * Fabric8's store only when it stores, so the store is made to keep the reviewed one (webhooks join on it).
     */
    private String reviewedUid;
    /** Objects removed by the request being handled, waiting for their dependents to be collected. */
    private final java.util.ArrayDeque<String> removed = new java.util.ArrayDeque<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The characters of objects the management cluster's change history may hold; a workload cluster's, once watched. */
    static final long MANAGEMENT_HISTORY_CHARS = 16L << 20;
    static final long WORKLOAD_HISTORY_CHARS = 1L << 20;

    /** The newest resourceVersion given to an object (the one a list answers with). */
    private volatile long lastResourceVersion;
    /**
     * The latest changes, oldest first, that a watch from a resourceVersion replays (Kubernetes' watch cache): every
     * change with a version above {@link #historyFrom} is here. Bounded by {@link #historyBudget} characters.
     */
    private final java.util.ArrayDeque<Recorded> history = new java.util.ArrayDeque<>();
    private long historySize;
    /** -1 while nothing is recorded: a workload cluster records only once a watch asked to start from a version. */
    private long historyFrom;
    private final long historyBudget;

    ClusterStore(String cluster) {
        this.cluster = cluster;
        // The management cluster is watched by every service from the start; a thousand workload clusters, each keeping
        // the objects it replaced, would cost memory that no one uses.
        this.historyFrom = cluster == null ? 0 : -1;
        this.historyBudget = cluster == null ? MANAGEMENT_HISTORY_CHARS : WORKLOAD_HISTORY_CHARS;
    }

    /** The workload cluster's name, or null for the management cluster. */
    public String cluster() {
        return cluster;
    }

    public List<Fault> faults() {
        return faults;
    }

    void setFaults(List<Fault> faults) {
        this.faults = List.copyOf(faults);
        if (faults.stream().anyMatch(Fault.Unreachable.class::isInstance)) {
            // An API server that went down drops its open watches too; each client finds it gone when it watches again.
            for (StoreWatch watch : watches) {
                watch.drop();
            }
        }
    }

    boolean has(Class<? extends Fault> kind) {
        return faults.stream().anyMatch(kind::isInstance);
    }

    /**
     * Calls {@code listener} for every change, synchronously and under the store's lock: it must
     * only hand the change over (queue it), never call back into the store.
     */
    public void addListener(Consumer<Change> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Change> listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        String path = request.getPath();
        int query = path.indexOf('?');
        String pathOnly = query < 0 ? path : path.substring(0, query);
        requestUser = UserInfo.of(request).orElse(UserInfo.anonymous());
        reviewedUid = null;
        for (Fault fault : faults()) {
            if (fault instanceof Fault.Forbidden forbidden && forbidden.refuses(method, pathOnly)) {
                return Status.of(403, "Forbidden", "the request " + method + " " + pathOnly + " is forbidden: User"
                        + " \"system:serviceaccount:meshfleet-system:installer\" cannot " + method.toLowerCase()
                        + " resource \"" + forbidden.resource() + "\"");
            }
        }
        if (method.equals("GET") && pathOnly.equals("/version")) {
            return json(200, VERSION);
        }
        if (method.equals("GET") && pathOnly.equals("/")) {
            return json(200, "{\"paths\":[\"/api\",\"/api/v1\",\"/apis\",\"/openapi/v2\",\"/openapi/v3\",\"/version\"]}");
        }
        if (method.equals("GET")) {
            var discovery = Discovery.answer(this, pathOnly);
            if (discovery.isPresent()) {
                return discovery.get();
            }
            String accept = request.getHeader("Accept");
            var eventFields = EventFieldSelector.of(path);
            if (eventFields.isPresent() && !ServerSideApply.query(path).containsKey("watch")) {
                MockResponse answer = withEventFieldSelector(request, eventFields.get());
                return accept != null && accept.contains("as=Table") && answer.code() == 200
                        ? Discovery.table(this, pathOnly, answer) : answer;
            }
            if (accept != null && accept.contains("as=Table") && !ServerSideApply.query(path).containsKey("watch")) {
                SetSelector selector = SetSelector.of(path);
                MockResponse answer = selector.isEmpty() ? super.dispatch(request) : withSetSelector(request, selector);
                return answer != null && answer.code() == 200 ? Discovery.table(this, pathOnly, answer) : answer;
            }
        }
        String contentTypeHeader = request.getHeader("Content-Type");
        if (contentTypeHeader != null && contentTypeHeader.contains("protobuf")) {
            // We store JSON only; client-go retries a write in JSON after 415 (kubectl create ns).
            return Status.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json, application/yaml");
        }
        boolean write = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        String requestBody = write ? request.getBody().readUtf8() : null;
        if (write) {
            var tooLarge = Admission.bodyTooLarge(requestBody.getBytes(StandardCharsets.UTF_8).length);
            if (tooLarge.isPresent()) {
                return tooLarge.get();
            }
        }
        if (method.equals("POST")) {
            var refused = refuseInvalidName(requestBody);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (method.equals("PATCH") && contentTypeHeader != null && contentTypeHeader.startsWith("application/apply-patch")) {
            return ssa.apply(path, requestBody);
        }
        if (write) {
            // Write parameters (fieldManager, dryRun, ...) would defeat Fabric8's path matching,
            // e.g. its ".../status" test; the object is identified by the path alone.
            String contentType = request.getHeader("Content-Type");
            if (contentType != null && contentType.startsWith("application/strategic-merge-patch+json")) {
                // Strategic merge differs from a JSON merge patch only for lists with merge keys;
                // close enough for kubectl's client-side apply and Fabric8's edit().
                contentType = "application/merge-patch+json";
            }
            if (method.equals("PATCH") && contentType != null && contentType.startsWith("application/json-patch+json")) {
                MockResponse refused = refusedJsonPatch(pathOnly, requestBody);
                if (refused != null) {
                    return refused;
                }
            }
            Write admitted = admit(new Write(method, contentType, requestBody), pathOnly, ServerSideApply.query(path));
            if (admitted.refusal() != null) {
                return admitted.refusal();
            }
            contentType = admitted.contentType();
            Headers.Builder headers = request.getHeaders().newBuilder();
            if (contentType != null) {
                headers.set("Content-Type", contentType);
            }
            String body = recordUpdate(admitted.method(), pathOnly, contentType, ServerSideApply.query(path),
                    request.getHeader("User-Agent"), admitted.body());
            request = new RecordedRequest(request.getHttpVersion(), HttpMethod.valueOf(admitted.method()), pathOnly,
                    headers.build(), new Buffer(body.getBytes(StandardCharsets.UTF_8)));
        }
        if (method.equals("DELETE")) {
            var refused = reviewDelete(pathOnly, ServerSideApply.query(path));
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            SetSelector selector = SetSelector.of(path);
            if (!selector.isEmpty()) {
                return withSetSelector(request, selector);
            }
        }
        MockResponse response = super.dispatch(request);
        if (reviewedUid != null && response != null && response.code() == 201) {
            response = withUid(response, reviewedUid);
        }
        reviewedUid = null;
        collectGarbage();
        return response != null ? response : Status.of(405, "MethodNotAllowed", method + " is not supported");
    }

    /**
     * A JSON merge patch as RFC 7386 defines it (what kubectl's client-side apply sends for a custom resource, and a
     * strategic merge patch here): an object merges key by key, {@code null} removes a key, anything else, lists
     * included, replaces. Fabric8's own merge appends list items, so that {@code kubectl apply} of a changed list
     * stored both the old and the new items. Keys starting with {@code $} are strategic-merge directives
     * ({@code $setElementOrder/...}, {@code $retainKeys}), never fields: they are dropped.
     */
    @Override
    public JsonNode merge(JsonNode target, String patch) {
        try {
            return mergePatch(target, JSON.readTree(patch));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a JSON merge patch: " + e.getMessage(), e);
        }
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getKey().startsWith("$")) {
                return;
            }
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /** A write as it will reach Fabric8's handler, or the refusal that ends it. */
    private record Write(String method, String contentType, String body, MockResponse refusal) {
        Write(String method, String contentType, String body) {
            this(method, contentType, body, null);
        }
    }

    /**
     * Admission of a create, update or (non-apply) patch: the object as it would be stored is
     * checked against its CRD's structural schema (pruned, then validated) and etcd's size limit.
     * A patch whose result loses pruned fields is sent on as an update of the pruned result, so
     * that what is stored is what was admitted.
     */
    private Write admit(Write write, String pathOnly, Map<String, String> query) {
        String body = write.body();
        if (body == null || body.isBlank()) {
            return write;
        }
        boolean patch = write.method().equals("PATCH");
        boolean custom = Admission.Target.of(pathOnly).isPresent();
        try {
            if (!patch) {
                if (!custom) {
                    return Admission.tooLarge(body).map(r -> new Write(write.method(), null, null, r)).orElse(write);
                }
                JsonNode object = JSON.readTree(body);
                if (!(object instanceof ObjectNode)) {
                    return write;
                }
                var refusal = admission.admitCustomResource(pathOnly, (ObjectNode) object, query);
                if (refusal.isEmpty()) {
                    String pruned = object.toString();
                    refusal = Admission.tooLarge(pruned);
                    body = pruned;
                }
                return new Write(write.method(), write.contentType(), body, refusal.orElse(null));
            }
            String objectPath = pathOnly.endsWith("/status") ? pathOnly.substring(0, pathOnly.length() - 7) : pathOnly;
            Map.Entry<AttributeSet, String> current = findResource(getKey(objectPath));
            if (current == null || !custom && current.getValue().length() + body.length() < Admission.MAX_OBJECT_BYTES / 4) {
                return write; // nothing to patch (Fabric8 answers 404), or too small to matter
            }
            ObjectNode live = (ObjectNode) JSON.readTree(current.getValue());
            JsonNode after = write.contentType() != null && write.contentType().startsWith("application/merge-patch+json")
                    ? merge(live, body) : JsonPatch.apply(JSON.readTree(body), live);
            if (!(after instanceof ObjectNode result)) {
                return write;
            }
            ObjectNode before = result.deepCopy();
            var refusal = custom ? admission.admitCustomResource(pathOnly, result, query) : java.util.Optional.<MockResponse>empty();
            if (refusal.isEmpty()) {
                refusal = Admission.tooLarge(result.toString());
            }
            if (refusal.isPresent()) {
                return new Write(write.method(), write.contentType(), body, refusal.get());
            }
            return result.equals(before) ? write : new Write("PUT", "application/json", result.toString());
        } catch (Exception e) {
            // Not ours to judge: Fabric8's handler answers a malformed write with the proper error.
            return write;
        }
    }

    /** A create whose metadata.name Kubernetes would refuse (see {@link ObjectNames}). */
    private static java.util.Optional<MockResponse> refuseInvalidName(String body) {
        try {
            return ObjectNames.refuseInvalidName(JSON.readTree(body));
        } catch (java.io.IOException | RuntimeException notJson) {
            // Not JSON: the store's own handling answers as before.
            return java.util.Optional.empty();
        }
    }

    /**
     * A list, watch or collection delete whose label selector has set-based requirements: Fabric8
     * sees the rest of the selector, we apply the set-based part to what it answers.
     */
    private MockResponse withSetSelector(RecordedRequest request, SetSelector selector) {
        String path = selector.pathWithoutThem();
        boolean watch = ServerSideApply.query(path).containsKey("watch");
        if (watch) {
            return new MockResponse().withWebSocketUpgrade(
                    new StoreWatch(getAttributeExtractor().fromPath(path), selector, startVersion(path)));
        }
        // Always a GET first: for a DELETE, Fabric8 would remove everything the rest matches.
        MockResponse all = super.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET, path,
                request.getHeaders(), new Buffer()));
        if (all == null || all.code() != 200 || all.getBody() == null) {
            return all;
        }
        try {
            JsonNode body = JSON.readTree(all.getBody().getBytes());
            if (!body.has("items")) {
                return all; // one named object: the selector does not apply
            }
            ArrayNode kept = JSON.createArrayNode();
            for (JsonNode item : body.path("items")) {
                if (selector.matches(labels(item))) {
                    kept.add(item);
                }
            }
            if (request.getMethod().equals("DELETE")) {
                // Fabric8 would delete everything the rest of the selector matches: delete only ours.
                for (JsonNode item : kept) {
                    var key = findResource(getKey(path.replaceAll("\\?.*$", "") + "/"
                            + item.path("metadata").path("name").asText()));
                    if (key != null) {
                        super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(),
                                pathOf(key.getKey(), item), request.getHeaders(), new Buffer()));
                    }
                }
                collectGarbage();
            }
            ((ObjectNode) body).set("items", kept);
            return json(200, body.toString());
        } catch (Exception e) {
            return Status.of(500, "InternalError", "mock API server: cannot filter by label selector: " + e);
        }
    }

    /** A list of Events by a field selector on their fields ({@link EventFieldSelector}), filtered here. */
    private MockResponse withEventFieldSelector(RecordedRequest request, EventFieldSelector selector) {
        var refused = selector.refusal();
        if (refused.isPresent()) {
            return Status.of(400, "BadRequest", refused.get());
        }
        MockResponse all = super.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
                selector.pathWithoutIt(), request.getHeaders(), new Buffer()));
        if (all == null || all.code() != 200 || all.getBody() == null) {
            return all;
        }
        try {
            JsonNode body = JSON.readTree(all.getBody().getBytes());
            ArrayNode kept = JSON.createArrayNode();
            for (JsonNode item : body.path("items")) {
                if (selector.matches(item)) {
                    kept.add(item);
                }
            }
            ((ObjectNode) body).set("items", kept);
            // Kubernetes names a list by its kind (EventList); client-go's typed decoder (kubectl describe's Event
            // search) refuses Fabric8's "List", and describe drops that error: it would show "Events: <none>".
            ((ObjectNode) body).put("kind", "EventList");
            return json(200, body.toString());
        } catch (Exception e) {
            return Status.of(500, "InternalError", "mock API server: cannot filter Events by field selector: " + e);
        }
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new java.util.HashMap<>();
        object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /**
     * A Secret's stringData is write-only: the API server merges it into data, base64-encoded,
     * overwriting keys of the same name (https://kubernetes.io/docs/concepts/configuration/secret/).
     */
    static String foldStringData(String secret) {
        try {
            ObjectNode object = (ObjectNode) JSON.readTree(secret);
            JsonNode stringData = object.remove("stringData");
            if (stringData == null || !"Secret".equals(object.path("kind").asText())) {
                return secret;
            }
            ObjectNode data = object.with("data");
            stringData.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
                    .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
            return object.toString();
        } catch (Exception e) {
            return secret;
        }
    }

    /** The CustomResourceDefinitions in this store, for discovery and printer columns. */
    List<JsonNode> customResourceDefinitions() {
        return objectsOf("customresourcedefinitions");
    }

    /** Every stored object of the resource {@code plural} (any group), parsed; an unreadable one is left out. */
    List<JsonNode> objectsOf(String plural) {
        List<JsonNode> objects = new ArrayList<>();
        List<Map.Entry<AttributeSet, String>> entries;
        synchronized (map) {
            entries = new ArrayList<>(map.entrySet());
        }
        for (Map.Entry<AttributeSet, String> entry : entries) {
            var attribute = entry.getKey().getAttribute("plural");
            if (attribute != null && attribute.getValues().iterator().next().toString().equals(plural)) {
                try {
                    objects.add(JSON.readTree(entry.getValue()));
                } catch (Exception e) {
                    // not readable: not served, as an API server would refuse to store it
                }
            }
        }
        return objects;
    }

    /**
     * Background cascading deletion, as the garbage collector does it
     * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/): an object whose
     * ownerReferences name a removed object's uid is deleted, and so on down; the objects of a
     * removed Namespace are deleted. Dependents with finalizers are only marked, as any delete.
     */
    private void collectGarbage() {
        while (!removed.isEmpty()) {
            JsonNode gone;
            try {
                gone = JSON.readTree(removed.poll());
            } catch (Exception e) {
                continue;
            }
            String uid = gone.path("metadata").path("uid").asText("");
            String namespace = "Namespace".equals(gone.path("kind").asText()) && "v1".equals(gone.path("apiVersion").asText())
                    ? gone.path("metadata").path("name").asText() : null;
            List<Map.Entry<AttributeSet, String>> entries;
            synchronized (map) {
                entries = new ArrayList<>(map.entrySet());
            }
            for (Map.Entry<AttributeSet, String> entry : entries) {
                String value = entry.getValue();
                boolean candidate = (!uid.isEmpty() && value.contains(uid))
                        || (namespace != null && value.contains("\"" + namespace + "\""));
                if (candidate) {
                    deleteIfDependent(entry, uid, namespace);
                }
            }
        }
    }

    private void deleteIfDependent(Map.Entry<AttributeSet, String> entry, String ownerUid, String namespace) {
        try {
            JsonNode object = JSON.readTree(entry.getValue());
            JsonNode metadata = object.path("metadata");
            boolean owned = false;
            for (JsonNode ref : metadata.path("ownerReferences")) {
                owned |= ref.path("uid").asText().equals(ownerUid);
            }
            boolean inNamespace = namespace != null && namespace.equals(metadata.path("namespace").asText(null));
            if (!(owned || inNamespace) || !map.containsKey(entry.getKey())) {
                return;
            }
            String path = pathOf(entry.getKey(), object);
            if (metadata.path("finalizers").isEmpty()) {
                processEvent(path, entry.getKey(), entry.getKey(), null, null);
            } else if (!metadata.hasNonNull("deletionTimestamp")) {
                ObjectNode marked = ((ObjectNode) object).deepCopy();
                marked.with("metadata").put("deletionTimestamp", ServerSideApply.now())
                        .put("resourceVersion", String.valueOf(requestResourceVersion()));
                processEvent(path, entry.getKey(), entry.getKey(), null, marked.toString());
            }
        } catch (Exception e) {
            // an object we cannot read is left alone, as a real GC leaves what it cannot decode
        }
    }

    /** The REST path of a stored object, from its apiVersion and the plural its key holds. */
    static String pathOf(AttributeSet key, JsonNode object) {
        var plural = key.getAttribute("plural");
        String resource = plural == null ? object.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "s"
                : String.valueOf(plural.getValues().iterator().next());
        String apiVersion = object.path("apiVersion").asText();
        StringBuilder path = new StringBuilder(apiVersion.contains("/") ? "/apis/" : "/api/").append(apiVersion);
        String ns = object.path("metadata").path("namespace").asText("");
        if (!ns.isEmpty()) {
            path.append("/namespaces/").append(ns);
        }
        return path.append('/').append(resource).append('/').append(object.path("metadata").path("name").asText())
                .toString();
    }

    /**
     * Records a non-apply write as operation Update of its field manager (the fieldManager
     * parameter, else the client's user agent up to the first '/', as Kubernetes does), by
     * putting the new managedFields into the request before Fabric8's handler stores it. Writes
     * to /status keep the managedFields they had: the handler keeps metadata from the stored object.
     */
    private String recordUpdate(String method, String pathOnly, String contentType, Map<String, String> query,
            String userAgent, String body) {
        if (pathOnly.endsWith("/status") || body == null || body.isBlank()) {
            return body;
        }
        String manager = query.get("fieldManager");
        if (manager == null || manager.isBlank()) {
            manager = userAgent == null || userAgent.isBlank() ? "unknown" : userAgent.split("/", 2)[0];
        }
        try {
            JsonNode request = JSON.readTree(body);
            boolean statusEnabled = isStatusSubresourceEnabledForResource(pathOnly);
            if (method.equals("POST") && request.isObject()) {
                ObjectNode object = (ObjectNode) request;
                ObjectNode after = object.deepCopy();
                if (statusEnabled) {
                    after.remove("status");
                }
                object.with("metadata").set("managedFields", ManagedFields.write(ManagedFields.afterUpdate(List.of(),
                        null, after, manager, "", object.path("apiVersion").asText(""), ServerSideApply.now())));
                return object.toString();
            }
            Map.Entry<AttributeSet, String> current = findResource(getKey(pathOnly));
            if (current == null) {
                return body;
            }
            ObjectNode live = (ObjectNode) JSON.readTree(current.getValue());
            JsonNode after;
            if (method.equals("PUT")) {
                after = request.deepCopy();
            } else if (contentType != null && contentType.startsWith("application/merge-patch+json")) {
                after = merge(live, body);
            } else {
                after = JsonPatch.apply(request, live);
            }
            if (!after.isObject()) {
                return body;
            }
            if (statusEnabled || !method.equals("PUT")) {
                ((ObjectNode) after).set("status", live.get("status"));
            }
            var entries = ManagedFields.write(ManagedFields.afterUpdate(ManagedFields.read(live), live, after, manager, "",
                    live.path("apiVersion").asText(""), ServerSideApply.now()));
            if (request.isObject()) {
                ((ObjectNode) request).with("metadata").set("managedFields", entries);
                return request.toString();
            }
            if (request.isArray()) {
                ((ArrayNode) request).addObject().put("op", "add").put("path", "/metadata/managedFields").set("value", entries);
                return request.toString();
            }
            return body;
        } catch (Exception e) {
            // Not ours to judge: Fabric8's handler answers a malformed write with the proper error.
            return body;
        }
    }

    /**
     * A JSON patch that cannot be applied to the stored object (a failed {@code test} op, a path that
     * is not there) is refused as Kubernetes refuses it: 422 and nothing written (Fabric8's handler
     * would answer 500). Null when it applies, or when there is no such object (Fabric8 answers 404).
     */
    private MockResponse refusedJsonPatch(String pathOnly, String patch) {
        String objectPath = pathOnly.endsWith("/status") ? pathOnly.substring(0, pathOnly.length() - "/status".length())
                : pathOnly;
        Map.Entry<AttributeSet, String> current = findResource(getKey(objectPath));
        if (current == null) {
            return null;
        }
        JsonNode operations;
        try {
            operations = JSON.readTree(patch);
        } catch (Exception e) {
            return Status.of(400, "BadRequest", "error decoding patch: " + e.getMessage());
        }
        try {
            JsonPatch.apply(operations, JSON.readTree(current.getValue()));
            return null;
        } catch (Exception e) {
            return Status.of(422, "Invalid", e.getMessage());
        }
    }

    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-meshfleet-mock\","
            + "\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
            + "\"buildDate\":\"2025-01-01T00:00:00Z\",\"goVersion\":\"go1.23\",\"compiler\":\"gc\","
            + "\"platform\":\"linux/amd64\"}";

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    Admission admission() {
        return admission;
    }

    /**
     * The validating webhooks' verdict on a create or update of the custom resource at {@code path} (its collection for
     * a POST), {@code object} as it would be stored: CREATE when nothing is stored there yet (the object then gets its
     * uid here, as the API server sets it before admission, and generation 1), else UPDATE with the stored object as
     * oldObject and the generation the store will give it (bumped when anything outside metadata and status changed).
     */
    Optional<MockResponse> reviewWrite(String path, ObjectNode object, Map<String, String> query) {
        var target = Admission.Target.of(path);
        if (target.isEmpty() || objectsOf(ValidatingWebhooks.PLURAL).isEmpty()) {
            return Optional.empty();
        }
        boolean status = path.endsWith("/status");
        String objectPath = status ? path.substring(0, path.length() - "/status".length()) : path;
        String name = target.get().name() != null ? target.get().name() : object.path("metadata").path("name").asText("");
        if (target.get().name() == null) {
            objectPath = objectPath + "/" + name;
        }
        // A POST is a CREATE even when the name is taken: the API server admits it, then answers 409.
        Map.Entry<AttributeSet, String> stored = target.get().name() == null ? null : findResource(getKey(objectPath));
        JsonNode old;
        try {
            old = stored == null ? null : JSON.readTree(stored.getValue());
        } catch (Exception e) {
            old = null;
        }
        ObjectNode sent = object.deepCopy();
        ObjectNode metadata = sent.with("metadata");
        if (old == null) {
            if (!object.path("metadata").hasNonNull("uid")) {
                object.with("metadata").put("uid", java.util.UUID.randomUUID().toString());
            }
            metadata.put("uid", object.path("metadata").path("uid").asText()).put("generation", 1);
            reviewedUid = object.path("metadata").path("uid").asText();
        } else {
            long generation = old.path("metadata").path("generation").asLong(1);
            metadata.put("uid", old.path("metadata").path("uid").asText())
                    .put("generation", withoutMetadataAndStatus(old).equals(withoutMetadataAndStatus(sent)) || status
                            ? generation : generation + 1);
        }
        return webhooks.review(new ValidatingWebhooks.Attributes(old == null ? "CREATE" : "UPDATE", target.get().group(),
                target.get().version(), target.get().plural(), status ? "status" : "", namespaceOf(path), name,
                sent.path("kind").asText(), sent, old, query.containsKey("dryRun"), requestUser));
    }

    /** The validating webhooks' verdict on the DELETE of a stored custom resource. */
    private Optional<MockResponse> reviewDelete(String pathOnly, Map<String, String> query) {
        var target = Admission.Target.of(pathOnly);
        if (target.isEmpty() || target.get().name() == null || objectsOf(ValidatingWebhooks.PLURAL).isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<AttributeSet, String> stored = findResource(getKey(pathOnly));
        if (stored == null) {
            return Optional.empty(); // Fabric8 answers the 404
        }
        try {
            JsonNode old = JSON.readTree(stored.getValue());
            return webhooks.review(new ValidatingWebhooks.Attributes("DELETE", target.get().group(), target.get().version(),
                    target.get().plural(), "", namespaceOf(pathOnly), target.get().name(), old.path("kind").asText(), null,
                    old, query.containsKey("dryRun"), requestUser));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A create's answer carrying the uid the object was stored under. */
    private static MockResponse withUid(MockResponse response, String uid) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(response.getBody().getBytes());
            body.with("metadata").put("uid", uid);
            return response.setBody(body.toString());
        } catch (Exception e) {
            return response;
        }
    }

    private static JsonNode withoutMetadataAndStatus(JsonNode object) {
        ObjectNode copy = (ObjectNode) object.deepCopy();
        copy.remove("metadata");
        copy.remove("status");
        return copy;
    }

    private static String namespaceOf(String path) {
        String[] p = path.split("/");
        for (int i = 0; i + 1 < p.length; i++) {
            if (p[i].equals("namespaces") && i >= 3) {
                return p[i + 1];
            }
        }
        return "";
    }

    /** An in-process request, as if it came over HTTP; for the simulator and tests. */
    public MockResponse call(String method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        Buffer buffer = new Buffer(body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), path, headers.build(), buffer));
    }

    /** The object at {@code path} as a GET answers it, parsed; null when there is none (or it is not JSON). */
    ObjectNode object(String path) {
        MockResponse response = call("GET", path, null, null);
        if (response.code() != 200) {
            return null;
        }
        try {
            return (ObjectNode) JSON.readTree(response.getBody().getBytes());
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A watch that costs no thread: events are written to the socket by whoever changes the store, under the store's
     * monitor, so they leave in the order of the changes. (Fabric8's own watch listener owns a scheduler thread per
     * watch, too many for 1,000 clusters.) The socket is a WebSocket (Fabric8's clients) or the chunked answer to a
     * plain GET (kubectl and client-go, {@link HttpWatch}). As Kubernetes: without a resourceVersion (or with "0") it
     * starts by sending every matching object as ADDED; from a resourceVersion it sends the changes made after it, or,
     * when they are no longer kept, one ERROR event 410 Expired, after which a client lists again.
     */
    @Override
    public MockResponse handleWatch(String path) {
        return new MockResponse().withWebSocketUpgrade(new StoreWatch(getAttributeExtractor().fromPath(path), null,
                startVersion(path)));
    }

    /** The resourceVersion a watch starts from, or null for "the current state first" (absent, empty, "0"). */
    static Long startVersion(String path) {
        String version = ServerSideApply.query(path).get("resourceVersion");
        if (version == null || version.isEmpty() || version.equals("0")) {
            return null;
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return null; // not one of ours: the current state, as for no version
        }
    }

    @Override
    public long requestResourceVersion() {
        long version = super.requestResourceVersion();
        lastResourceVersion = Math.max(lastResourceVersion, version);
        return version;
    }

    /**
     * One change as watches see it: the object before (null for a creation; for a removal, carrying the removal's
     * resourceVersion, as Kubernetes' DELETED event does) and after (null for a removal), with their attributes.
     */
    private record Recorded(long resourceVersion, AttributeSet beforeAttributes, String before,
            AttributeSet afterAttributes, String after) {
        long size() {
            return (before == null ? 0 : before.length()) + (after == null ? 0 : after.length());
        }
    }

    private void record(Recorded change) {
        if (historyFrom < 0) {
            return;
        }
        history.addLast(change);
        historySize += change.size();
        while (historySize > historyBudget && history.size() > 1) {
            Recorded dropped = history.removeFirst();
            historySize -= dropped.size();
            historyFrom = dropped.resourceVersion();
        }
    }

    private final class StoreWatch extends WebSocketListener {
        private final AttributeSet query;
        private final SetSelector selector;
        /** The resourceVersion to send changes after, or null to start with the current objects. */
        private final Long since;
        private WebSocket socket;

        StoreWatch(AttributeSet query, SetSelector selector, Long since) {
            this.query = query;
            this.selector = selector;
            this.since = since;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            synchronized (ClusterStore.this) {
                socket = webSocket;
                if (since == null) {
                    List<String> current = new ArrayList<>();
                    synchronized (map) {
                        map.forEach((key, value) -> {
                            if (matches(key)) {
                                current.add(value);
                            }
                        });
                    }
                    current.forEach(object -> send("ADDED", object));
                } else {
                    if (historyFrom < 0) {
                        historyFrom = lastResourceVersion; // from now on this cluster's changes are kept
                    }
                    if (since < historyFrom) {
                        send("ERROR", Status.of(410, "Expired", "too old resource version: " + since + " ("
                                + historyFrom + ")").getBody().readUtf8());
                        webSocket.close(1000, "too old resource version");
                        return;
                    }
                    for (Recorded change : history) {
                        if (change.resourceVersion() > since) {
                            offer(change);
                        }
                    }
                }
                watches.add(this);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            watches.remove(this);
            webSocket.close(code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            watches.remove(this);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            watches.remove(this);
        }

        boolean matches(AttributeSet attributes) {
            if (attributes == null || !attributes.matches(query)) {
                return false;
            }
            if (selector == null) {
                return true;
            }
            // The attribute set holds each label as "labels:<key>" = value.
            Map<String, String> labels = new java.util.HashMap<>();
            for (var requirement : selector.requirements()) {
                var attribute = attributes.getAttribute("labels:" + requirement.key());
                if (attribute != null && !attribute.getValues().isEmpty()) {
                    labels.put(requirement.key(), String.valueOf(attribute.getValues().iterator().next()));
                }
            }
            return selector.matches(labels);
        }

        /** The event this watch sees of a change: an object entering its selection is ADDED, one leaving it DELETED. */
        void offer(Recorded change) {
            boolean matchedBefore = change.before() != null && matches(change.beforeAttributes());
            boolean matchesAfter = matches(change.afterAttributes());
            if (matchedBefore && matchesAfter) {
                send("MODIFIED", change.after());
            } else if (matchedBefore) {
                send("DELETED", change.before());
            } else if (matchesAfter) {
                send("ADDED", change.after());
            }
        }

        void send(String type, String object) {
            socket.send("{\"type\":\"" + type + "\",\"object\":" + object + "}");
        }

        void drop() {
            watches.remove(this);
            socket.close(1001, "the API server is going away");
        }
    }

    /** A stored object's JSON with another resourceVersion. */
    private static String withResourceVersion(String object, long version) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(object);
            node.with("metadata").put("resourceVersion", String.valueOf(version));
            return node.toString();
        } catch (Exception e) {
            return object;
        }
    }

    /** Fabric8's lookup of one object, answered from {@link StoredKeys} when the query names one. */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        Optional<List<AttributeSet>> candidates = keys.candidates(query);
        if (candidates.isEmpty()) {
            return super.findResource(query);
        }
        for (AttributeSet key : candidates.get()) {
            String value = key.matches(query) ? map.get(key) : null;
            if (value != null) {
                return Map.entry(key, value);
            }
        }
        return null;
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String before = oldAttributes == null ? null : map.get(oldAttributes);
        if (before == null && newState != null && reviewedUid != null) {
            try {
                ObjectNode created = (ObjectNode) JSON.readTree(newState);
                created.with("metadata").put("uid", reviewedUid);
                newState = created.toString();
                if (resource != null) {
                    resource.getMetadata().setUid(reviewedUid);
                }
            } catch (Exception e) {
                // not JSON: stored as it came
            }
        }
        if (newState != null && path.contains("/secrets") && newState.contains("\"stringData\"")) {
            newState = foldStringData(newState);
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        // The key the object is stored under now, as Fabric8 made it (the same extraction): unchanged for an object
        // written as it was.
        AttributeSet after = null;
        if (newState != null) {
            if (oldAttributes != null && newState.equals(before)) {
                after = oldAttributes;
            } else {
                KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
                after = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
                if (!after.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                    after = AttributeSet.merge(pathAttributes, after);
                }
            }
        }
        if (oldAttributes != null) {
            keys.remove(oldAttributes);
        }
        if (after != null) {
            keys.add(after);
        }
        boolean removal = newState == null && before != null;
        // A removal gets a version of its own, as in Kubernetes: a watch from a list taken before it sees the DELETED.
        long version = removal ? requestResourceVersion() : lastResourceVersion;
        if (removal) {
            removed.add(before);
        }
        if ((!watches.isEmpty() || historyFrom >= 0) && !Objects.equals(before, newState)) {
            Recorded change = new Recorded(version, oldAttributes, removal ? withResourceVersion(before, version) : before,
                    after, newState);
            record(change);
            for (StoreWatch watch : watches) {
                watch.offer(change);
            }
        }
        if (!listeners.isEmpty() && !Objects.equals(before, newState)) {
            Change change = new Change(path, before, newState);
            listeners.forEach(l -> l.accept(change));
        }
    }
}
