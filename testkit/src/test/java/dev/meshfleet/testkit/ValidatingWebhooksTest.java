package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The mock API server calls validating webhooks as Kubernetes does
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/), against a real HTTPS
 * webhook trusting a caBundle.
 */
class ValidatingWebhooksTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIGURATIONS = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

    static MockApiServer server;
    static HttpsServer webhook;
    static TestCertificates ca;
    /** What the webhook answers to a review: the "response" object without uid. */
    static final AtomicReference<Function<JsonNode, String>> ANSWER = new AtomicReference<>();
    static final List<JsonNode> REVIEWS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = MockApiServer.start();
        MockApiServerTest.installCrd(server.client(), "crds/istiolifecyclemanagers.yaml");
        ca = TestCertificates.authority("webhook-test-ca");
        Path dir = Files.createTempDirectory("webhook-test");
        Path keyStore = ca.writeKeyStore("webhook", dir.resolve("webhook.p12"), "secret");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keyStore.toFile())) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "secret".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        webhook = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.setHttpsConfigurator(new HttpsConfigurator(tls));
        webhook.createContext("/validate", exchange -> {
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            REVIEWS.add(review);
            String response = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":"
                    + ANSWER.get().apply(review).replace("UID", review.at("/request/uid").asText()) + "}";
            byte[] body = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        webhook.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        webhook.start();
    }

    @AfterAll
    static void stop() {
        webhook.stop(0);
        server.close();
    }

    @BeforeEach
    void allowEverythingAndForgetReviews() throws Exception {
        ANSWER.set(review -> "{\"uid\":\"UID\",\"allowed\":true}");
        REVIEWS.clear();
        register("Fail", 10, url(), "[\"CREATE\",\"UPDATE\",\"DELETE\"]");
    }

    @Test
    void aCreateIsReviewedWithTheImpersonatedUserAndTheObjectWithTheUidItIsStoredUnder() throws Exception {
        try (KubernetesClient alice = clientAs("alice", "platform-team")) {
            alice.resource(ilm("create-me", "1.24.2-solo")).create();
        }
        JsonNode request = only(REVIEWS).path("request");
        assertThat(request.path("operation").asText()).isEqualTo("CREATE");
        assertThat(request.path("userInfo").toString())
                .isEqualTo("{\"username\":\"alice\",\"groups\":[\"platform-team\",\"system:authenticated\"]}");
        assertThat(request.path("kind").toString())
                .isEqualTo("{\"group\":\"admin.gloo.solo.io\",\"version\":\"v2\",\"kind\":\"IstioLifecycleManager\"}");
        assertThat(request.path("resource").path("resource").asText()).isEqualTo("istiolifecyclemanagers");
        assertThat(request.path("namespace").asText()).isEqualTo("default");
        assertThat(request.path("name").asText()).isEqualTo("create-me");
        assertThat(request.path("oldObject").isNull()).isTrue();
        assertThat(request.path("dryRun").asBoolean()).isFalse();
        assertThat(request.at("/object/metadata/generation").asLong()).isEqualTo(1);
        GenericKubernetesResource stored = get("create-me");
        assertThat(request.at("/object/metadata/uid").asText()).isEqualTo(stored.getMetadata().getUid()).isNotEmpty();
    }

    @Test
    void aRequestWithoutImpersonationIsReviewedAsTheUserItsTokenAuthenticates() throws Exception {
        server.client().resource(ilm("as-admin", "1.24.2-solo")).create();
        assertThat(only(REVIEWS).at("/request/userInfo").toString())
                .isEqualTo("{\"username\":\"platform-admin\",\"groups\":[\"system:authenticated\",\"system:masters\"]}");
    }

    @Test
    void anUpdateCarriesTheOldObjectAndTheGenerationItWillBeStoredWith() throws Exception {
        server.client().resource(ilm("update-me", "1.24.2-solo")).create();
        REVIEWS.clear();
        server.client().resource(ilm("update-me", "1.24.3-solo")).update();
        JsonNode request = only(REVIEWS).path("request");
        assertThat(request.path("operation").asText()).isEqualTo("UPDATE");
        assertThat(request.at("/oldObject/spec/installations/0/istioOperatorSpec/tag").asText()).isEqualTo("1.24.2-solo");
        assertThat(request.at("/object/spec/installations/0/istioOperatorSpec/tag").asText()).isEqualTo("1.24.3-solo");
        assertThat(request.at("/object/metadata/generation").asLong()).isEqualTo(2).isEqualTo(get("update-me")
                .getMetadata().getGeneration());

        REVIEWS.clear();
        server.client().resource(get("update-me")).edit(r -> {
            r.getMetadata().setLabels(java.util.Map.of("a", "b"));
            return r;
        });
        assertThat(only(REVIEWS).at("/request/object/metadata/generation").asLong()).isEqualTo(2);
    }

    @Test
    void aDenialRefusesTheWriteWithTheWebhooksCodeAndMessageAsKubectlShowsItAndStoresNothing() throws Exception {
        ANSWER.set(review -> "{\"uid\":\"UID\",\"allowed\":false,\"status\":{\"code\":422,\"reason\":\"Invalid\","
                + "\"message\":\"the spec is invalid: spec.installations[0].revision: bad\"}}");
        KubernetesClientException refused = AdmissionTest.refusal(
                () -> server.client().resource(ilm("refused", "1.24.2-solo")).create());
        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getMessage()).isEqualTo("admission webhook \"ilm.test.meshfleet.dev\" denied the"
                + " request: the spec is invalid: spec.installations[0].revision: bad");
        assertThat(get("refused")).isNull();
    }

    @Test
    void aDenialWithoutACodeIs400AsTheApiServerMakesIt() throws Exception {
        ANSWER.set(review -> "{\"uid\":\"UID\",\"allowed\":false,\"status\":{\"message\":\"no\"}}");
        KubernetesClientException refused = AdmissionTest.refusal(
                () -> server.client().resource(ilm("refused-400", "1.24.2-solo")).create());
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getStatus().getMessage())
                .isEqualTo("admission webhook \"ilm.test.meshfleet.dev\" denied the request: no");
    }

    @Test
    void aDeleteIsReviewedWithTheStoredObjectAndADenialKeepsIt() throws Exception {
        server.client().resource(ilm("delete-me", "1.24.2-solo")).create();
        ANSWER.set(review -> review.at("/request/operation").asText().equals("DELETE")
                ? "{\"uid\":\"UID\",\"allowed\":false,\"status\":{\"message\":\"keep it\"}}"
                : "{\"uid\":\"UID\",\"allowed\":true}");
        REVIEWS.clear();
        AdmissionTest.refusal(() -> server.client().resource(get("delete-me")).delete());
        JsonNode request = only(REVIEWS).path("request");
        assertThat(request.path("operation").asText()).isEqualTo("DELETE");
        assertThat(request.path("object").isNull()).isTrue();
        assertThat(request.at("/oldObject/metadata/name").asText()).isEqualTo("delete-me");
        assertThat(get("delete-me")).isNotNull();
    }

    @Test
    void anUnreachableWebhookFailsTheWriteUnderFailAndIsSkippedUnderIgnore() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String down = "https://127.0.0.1:" + closed + "/validate";
        register("Fail", 10, down, "[\"CREATE\"]");
        KubernetesClientException refused = AdmissionTest.refusal(
                () -> server.client().resource(ilm("webhook-down", "1.24.2-solo")).create());
        assertThat(refused.getCode()).isEqualTo(500);
        assertThat(refused.getStatus().getMessage()).startsWith("Internal error occurred: failed calling webhook"
                + " \"ilm.test.meshfleet.dev\": failed to call webhook: Post \"" + down + "?timeout=10s\": ");
        assertThat(get("webhook-down")).isNull();

        register("Ignore", 10, down, "[\"CREATE\"]");
        server.client().resource(ilm("webhook-down", "1.24.2-solo")).create();
        assertThat(get("webhook-down")).isNotNull();
    }

    @Test
    void aWebhookSlowerThanItsTimeoutIsAFailureAfterTheTimeout() throws Exception {
        ANSWER.set(review -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "{\"uid\":\"UID\",\"allowed\":true}";
        });
        register("Fail", 1, url(), "[\"CREATE\"]");
        long start = System.nanoTime();
        KubernetesClientException refused;
        // Fabric8's client retries a 500; kubectl does not: one request is measured.
        try (KubernetesClient once = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url()).withOauthToken("mock-token").withRequestRetryBackoffLimit(0).build()).build()) {
            refused = AdmissionTest.refusal(() -> once.resource(ilm("too-slow", "1.24.2-solo")).create());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_900));
        assertThat(refused.getStatus().getMessage()).contains("failed calling webhook").contains("?timeout=1s");
        assertThat(get("too-slow")).isNull();
    }

    @Test
    void aWebhookIsCalledOnlyForTheOperationsAndResourcesItsRulesName() throws Exception {
        register("Fail", 10, url(), "[\"DELETE\"]");
        server.client().resource(ilm("create-only", "1.24.2-solo")).create();
        server.client().resource(get("create-only")).editStatus(r -> {
            r.setAdditionalProperty("status", java.util.Map.of("observedGeneration", 1));
            return r;
        });
        server.client().configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("not-ours").endMetadata().build()).create();
        assertThat(REVIEWS).isEmpty();
        server.client().resource(get("create-only")).delete();
        assertThat(only(REVIEWS).at("/request/operation").asText()).isEqualTo("DELETE");
    }

    @Test
    void aResponseForAnotherRequestIsAFailure() throws Exception {
        ANSWER.set(review -> "{\"uid\":\"someone-else\",\"allowed\":true}");
        KubernetesClientException refused = AdmissionTest.refusal(
                () -> server.client().resource(ilm("wrong-uid", "1.24.2-solo")).create());
        assertThat(refused.getCode()).isEqualTo(500);
        assertThat(refused.getStatus().getMessage()).contains("expected response.uid=");
    }

    static String url() {
        return "https://127.0.0.1:" + webhook.getAddress().getPort() + "/validate";
    }

    static void register(String failurePolicy, int timeoutSeconds, String url, String operations) throws Exception {
        var client = server.client();
        client.genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration")
                .withName("test-webhooks").delete();
        String configuration = """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
                 "metadata":{"name":"test-webhooks"},
                 "webhooks":[{"name":"ilm.test.meshfleet.dev","admissionReviewVersions":["v1"],"sideEffects":"None",
                   "failurePolicy":"%s","timeoutSeconds":%d,
                   "clientConfig":{"url":"%s","caBundle":"%s"},
                   "rules":[{"apiGroups":["admin.gloo.solo.io"],"apiVersions":["v2"],"operations":%s,
                             "resources":["istiolifecyclemanagers"],"scope":"Namespaced"}]}]}"""
                .formatted(failurePolicy, timeoutSeconds, url, ca.caBundle(), operations);
        client.resource(Serialization.unmarshal(configuration, GenericKubernetesResource.class)).create();
    }

    static GenericKubernetesResource ilm(String name, String tag) {
        return AdmissionTest.ilm(name, """
                installations:
                  - revision: 1-24
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {tag: %s}""".formatted(tag));
    }

    static GenericKubernetesResource get(String name) {
        return server.client().genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                .inNamespace("default").withName(name).get();
    }

    static KubernetesClient clientAs(String user, String group) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOauthToken("mock-token")
                .withNamespace("default").withImpersonateUsername(user).withImpersonateGroups(group).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static JsonNode only(List<JsonNode> reviews) {
        assertThat(reviews).hasSize(1);
        return reviews.get(0);
    }
}
