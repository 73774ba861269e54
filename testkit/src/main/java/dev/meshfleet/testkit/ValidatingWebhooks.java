package dev.meshfleet.testkit;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Validating admission webhooks, called as the API server calls them
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/): every
 * {@code admissionregistration.k8s.io/v1} ValidatingWebhookConfiguration stored in the cluster is read at each write,
 * each webhook whose rules match the request (operations, apiGroups, apiVersions, resources with {@code RESOURCE/SUBRESOURCE}
 * entries, scope; a star everywhere) gets an {@code AdmissionReview} (uid, kind, resource, subResource, name,
 * namespace, operation, userInfo, object, oldObject, dryRun) POSTed to {@code clientConfig.url} with
 * {@code ?timeout=Ns}, over HTTPS trusting {@code caBundle}. {@code allowed: false} refuses the write with the
 * webhook's status (its code if 400 or more, else 400) and the message
 * {@code admission webhook "NAME" denied the request: MESSAGE}, as apiserver's {@code ToStatusErr}; a webhook that does
 * not answer within {@code timeoutSeconds} (default 10), answers garbage or another uid fails the write with 500
 * {@code failed calling webhook} under {@code failurePolicy: Fail} (the default) and is skipped under {@code Ignore}.
 *
 * <p>Simplifications: only custom resources' writes are reviewed (and their deletes); {@code clientConfig.service}
 * cannot be reached from here (a call failure); namespaceSelector, objectSelector and matchConditions are not
 * evaluated (a webhook using them is called for every matching request); webhooks are called one after another;
 * the call blocks the server's event loop for at most its timeout.
 */
final class ValidatingWebhooks {
    static final String PLURAL = "validatingwebhookconfigurations";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClusterStore store;
    /** HTTP clients by caBundle ("" for none): building an SSL context for every call would be slow. */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    ValidatingWebhooks(ClusterStore store) {
        this.store = store;
    }

    /** What the API server knows of a request when it calls the webhooks. */
    record Attributes(String operation, String group, String version, String resource, String subresource,
            String namespace, String name, String kind, JsonNode object, JsonNode oldObject, boolean dryRun,
            UserInfo user) {
    }

    /** The refusal of the request, or empty when every matching webhook allowed it (or was ignored). */
    Optional<MockResponse> review(Attributes request) {
        for (JsonNode configuration : store.objectsOf(PLURAL)) {
            for (JsonNode webhook : configuration.path("webhooks")) {
                if (!matches(webhook, request)) {
                    continue;
                }
                Optional<MockResponse> refusal = call(webhook, request);
                if (refusal.isPresent()) {
                    return refusal;
                }
            }
        }
        return Optional.empty();
    }

    static boolean matches(JsonNode webhook, Attributes request) {
        for (JsonNode rule : webhook.path("rules")) {
            String scope = rule.path("scope").asText("*");
            boolean scoped = scope.equals("*") || scope.equals("Namespaced") == !request.namespace().isEmpty();
            if (scoped && contains(rule.path("operations"), request.operation())
                    && contains(rule.path("apiGroups"), request.group())
                    && contains(rule.path("apiVersions"), request.version())
                    && resourceMatches(rule.path("resources"), request.resource(), request.subresource())) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals("*") || item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** {@code pods} matches the resource only, {@code pods/status} its subresource; a star for either part matches any. */
    private static boolean resourceMatches(JsonNode resources, String resource, String subresource) {
        for (JsonNode item : resources) {
            String[] parts = item.asText().split("/", 2);
            boolean resourceOk = parts[0].equals("*") || parts[0].equals(resource);
            boolean subOk = parts.length == 1 ? subresource.isEmpty() : parts[1].equals("*") || parts[1].equals(subresource);
            if (resourceOk && subOk) {
                return true;
            }
        }
        return false;
    }

    private Optional<MockResponse> call(JsonNode webhook, Attributes request) {
        String name = webhook.path("name").asText();
        int timeoutSeconds = webhook.path("timeoutSeconds").asInt(10);
        boolean ignore = webhook.path("failurePolicy").asText("Fail").equals("Ignore");
        JsonNode clientConfig = webhook.path("clientConfig");
        String url = clientConfig.path("url").asText("");
        String target = url.isEmpty() ? "service " + clientConfig.path("service").path("namespace").asText() + "/"
                + clientConfig.path("service").path("name").asText() : url + "?timeout=" + timeoutSeconds + "s";
        String uid = UUID.randomUUID().toString();
        try {
            if (url.isEmpty()) {
                throw new IllegalStateException("the mock API server reaches webhooks by clientConfig.url only");
            }
            HttpResponse<String> response = client(clientConfig.path("caBundle").asText("")).send(HttpRequest
                    .newBuilder(URI.create(url + "?timeout=" + timeoutSeconds + "s"))
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(review(uid, request).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the server responded with status " + response.statusCode());
            }
            JsonNode answer = JSON.readTree(response.body()).path("response");
            if (!uid.equals(answer.path("uid").asText())) {
                throw new IllegalStateException("expected response.uid=\"" + uid + "\", got \""
                        + answer.path("uid").asText() + "\"");
            }
            if (answer.path("allowed").asBoolean(false)) {
                return Optional.empty();
            }
            return Optional.of(denied(name, answer.path("status")));
        } catch (java.io.IOException | RuntimeException e) {
            if (ignore) {
                return Optional.empty();
            }
            return Optional.of(Status.of(500, "InternalError", "Internal error occurred: failed calling webhook \""
                    + name + "\": failed to call webhook: Post \"" + target + "\": " + describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Status.of(500, "InternalError", "Internal error occurred: failed calling webhook \""
                    + name + "\": interrupted"));
        }
    }

    /** apiserver's ToStatusErr: a code under 400 becomes 400, the message is prefixed with who denied. */
    static MockResponse denied(String webhook, JsonNode status) {
        int code = Math.max(400, status.path("code").asInt(0));
        String deniedBy = "admission webhook \"" + webhook + "\" denied the request";
        String message = status.path("message").asText("");
        String reason = status.path("reason").asText("");
        String text = !message.isEmpty() ? deniedBy + ": " + message
                : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
        return Status.of(code, reason, text);
    }

    static ObjectNode review(String uid, Attributes request) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("request").put("uid", uid);
        r.putObject("kind").put("group", request.group()).put("version", request.version()).put("kind", request.kind());
        r.putObject("resource").put("group", request.group()).put("version", request.version())
                .put("resource", request.resource());
        if (!request.subresource().isEmpty()) {
            r.put("subResource", request.subresource());
        }
        r.set("requestKind", r.get("kind").deepCopy());
        r.set("requestResource", r.get("resource").deepCopy());
        r.put("name", request.name()).put("namespace", request.namespace()).put("operation", request.operation());
        ObjectNode user = r.putObject("userInfo").put("username", request.user().username());
        // Sorted: the user's groups are a set, and a review must read the same every time.
        new java.util.TreeSet<>(request.user().groups()).forEach(user.putArray("groups")::add);
        r.set("object", request.object() == null ? JSON.nullNode() : request.object());
        r.set("oldObject", request.oldObject() == null ? JSON.nullNode() : request.oldObject());
        r.put("dryRun", request.dryRun());
        return review;
    }

    private HttpClient client(String caBundle) {
        return clients.computeIfAbsent(caBundle, bundle -> {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (!bundle.isEmpty()) {
                builder.sslContext(trusting(bundle));
            }
            return builder.build();
        });
    }

    private static SSLContext trusting(String caBundle) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Base64.getDecoder().decode(caBundle)))) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalArgumentException("caBundle is not base64 PEM certificates: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        List<String> causes = new ArrayList<>();
        for (Throwable t = e; t != null && causes.size() < 3; t = t.getCause()) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!causes.contains(text)) {
                causes.add(text);
            }
        }
        return e instanceof java.net.http.HttpTimeoutException ? "context deadline exceeded"
                : e instanceof java.net.ConnectException ? "connect: connection refused" : String.join(": ", causes);
    }
}
