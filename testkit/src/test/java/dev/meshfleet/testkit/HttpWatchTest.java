package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The watch kubectl and client-go make: a plain GET with {@code watch=true}, no WebSocket upgrade, answered as
 * Kubernetes answers it (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
 * 200, a chunked stream of JSON watch events, one per line.
 */
class HttpWatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as kubectl speaks it to an http:// server (Java would otherwise ask for h2c, where nothing is chunked).
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An open watch: its answer's status and headers, and its lines as they come ({@link #END} once it ended). */
    record Watching(HttpResponse<java.util.stream.Stream<String>> response, BlockingQueue<String> lines) {
        static final String END = "<end of stream>";

        JsonNode next() throws Exception {
            String line = lines.poll(15, TimeUnit.SECONDS);
            assertThat(line).as("the next watch event within 15 s").isNotNull().isNotEqualTo(END);
            return JSON.readTree(line);
        }

        /** The next event as "TYPE name". */
        String nextEvent() throws Exception {
            JsonNode event = next();
            return event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText();
        }

        void close() {
            response.body().close();
        }
    }

    static Watching watch(String base, String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofLines()).get(15, TimeUnit.SECONDS);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture.runAsync(() -> {
            try (var stream = response.body()) {
                stream.forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            } finally {
                lines.add(Watching.END);
            }
        });
        return new Watching(response, lines);
    }

    static ConfigMap configMap(String ns, String name, String value, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .addToData("k", value).build();
    }

    @Test
    void aPlainGetWithWatchTrueIsAChunkedStreamOfJsonEventsInTheOrderOfTheChangesDeletionIncluded() throws Exception {
        KubernetesClient client = server.client();
        client.configMaps().inNamespace("plain").resource(configMap("plain", "a", "1", Map.of())).create();

        Watching watch = watch(server.url(), "/api/v1/namespaces/plain/configmaps?watch=true", MockApiServer.ADMIN_TOKEN);
        try {
            assertThat(watch.response().statusCode()).isEqualTo(200);
            assertThat(watch.response().headers().firstValue("Content-Type")).contains("application/json");
            assertThat(watch.response().headers().firstValue("Transfer-Encoding")).contains("chunked");
            assertThat(watch.nextEvent()).isEqualTo("ADDED a"); // no version asked: the current state first

            client.configMaps().inNamespace("plain").resource(configMap("plain", "b", "1", Map.of())).create();
            client.configMaps().inNamespace("plain").withName("a").edit(cm -> configMap("plain", "a", "2", Map.of()));
            client.configMaps().inNamespace("plain").withName("b").delete();

            assertThat(watch.nextEvent()).isEqualTo("ADDED b");
            JsonNode modified = watch.next();
            assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(modified.path("object").path("data").path("k").asText()).isEqualTo("2");
            assertThat(watch.nextEvent()).isEqualTo("DELETED b");
        } finally {
            watch.close();
        }
    }

    @Test
    void aWatchFromAListsResourceVersionSendsOnlyWhatChangedAfterTheListAndAcceptsBookmarks() throws Exception {
        KubernetesClient client = server.client();
        client.configMaps().inNamespace("since").resource(configMap("since", "kept", "1", Map.of())).create();
        client.configMaps().inNamespace("since").resource(configMap("since", "removed", "1", Map.of())).create();
        String listed = client.configMaps().inNamespace("since").list().getMetadata().getResourceVersion();
        client.configMaps().inNamespace("since").withName("removed").delete();
        client.configMaps().inNamespace("since").resource(configMap("since", "added", "1", Map.of())).create();

        Watching watch = watch(server.url(), "/api/v1/namespaces/since/configmaps?allowWatchBookmarks=true&resourceVersion="
                + listed + "&watch=true", MockApiServer.ADMIN_TOKEN);
        try {
            JsonNode deleted = watch.next();
            assertThat(deleted.path("type").asText() + " " + deleted.path("object").path("metadata").path("name").asText())
                    .isEqualTo("DELETED removed");
            // The deletion is a change of its own, after the list.
            assertThat(Long.parseLong(deleted.path("object").path("metadata").path("resourceVersion").asText()))
                    .isGreaterThan(Long.parseLong(listed));
            assertThat(watch.nextEvent()).isEqualTo("ADDED added");
            assertThat(watch.lines().poll(1, TimeUnit.SECONDS)).as("nothing else: 'kept' did not change").isNull();
        } finally {
            watch.close();
        }
    }

    @Test
    void labelAndFieldSelectorsChooseTheObjectsAndOneLeavingTheSelectionIsDeleted() throws Exception {
        KubernetesClient client = server.client();
        client.configMaps().inNamespace("chosen").resource(configMap("chosen", "front", "1", Map.of("tier", "a"))).create();
        client.configMaps().inNamespace("chosen").resource(configMap("chosen", "back", "1", Map.of("tier", "b"))).create();

        Watching byLabel = watch(server.url(), "/api/v1/namespaces/chosen/configmaps?labelSelector=tier%3Da&watch=true",
                MockApiServer.ADMIN_TOKEN);
        Watching byName = watch(server.url(), "/api/v1/namespaces/chosen/configmaps?fieldSelector=metadata.name%3Dback"
                + "&watch=true", MockApiServer.ADMIN_TOKEN);
        Watching bySet = watch(server.url(), "/api/v1/namespaces/chosen/configmaps?labelSelector=tier+in+%28b%29"
                + "&watch=true", MockApiServer.ADMIN_TOKEN);
        try {
            assertThat(byLabel.nextEvent()).isEqualTo("ADDED front");
            assertThat(byName.nextEvent()).isEqualTo("ADDED back");
            assertThat(bySet.nextEvent()).isEqualTo("ADDED back");

            client.configMaps().inNamespace("chosen").withName("front").edit(cm -> configMap("chosen", "front", "1",
                    Map.of("tier", "b")));
            client.configMaps().inNamespace("chosen").withName("back").edit(cm -> configMap("chosen", "back", "2",
                    Map.of("tier", "b")));

            assertThat(byLabel.nextEvent()).isEqualTo("DELETED front");
            assertThat(byName.nextEvent()).isEqualTo("MODIFIED back");
            assertThat(List.of(bySet.nextEvent(), bySet.nextEvent())).containsExactly("ADDED front", "MODIFIED back");
            assertThat(byLabel.lines().poll(1, TimeUnit.SECONDS)).as("'back' was never tier=a").isNull();
        } finally {
            byLabel.close();
            byName.close();
            bySet.close();
        }
    }

    @Test
    void timeoutSecondsEndsTheStreamAsTheApiServerEndsIt() throws Exception {
        long start = System.nanoTime();
        Watching watch = watch(server.url(), "/api/v1/namespaces/timed/configmaps?timeoutSeconds=1&watch=true",
                MockApiServer.ADMIN_TOKEN);

        assertThat(watch.response().statusCode()).isEqualTo(200);
        assertThat(watch.lines().poll(15, TimeUnit.SECONDS)).isEqualTo(Watching.END);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWatchFromAVersionTheServerNoLongerKeepsGetsOneExpiredErrorEventAndEnds() throws Exception {
        // A workload cluster keeps its changes only from the first watch that asked for a version on.
        KubernetesClient client = server.client("expiring");
        client.configMaps().inNamespace("default").resource(configMap("default", "one", "1", Map.of())).create();
        client.configMaps().inNamespace("default").resource(configMap("default", "two", "1", Map.of())).create();

        Watching watch = watch(server.clusterUrl("expiring"), "/api/v1/namespaces/default/configmaps?resourceVersion=1"
                + "&watch=true", null);

        JsonNode error = watch.next();
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("kind").asText()).isEqualTo("Status");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(error.path("object").path("message").asText()).startsWith("too old resource version: 1 (");
        assertThat(watch.lines().poll(15, TimeUnit.SECONDS)).isEqualTo(Watching.END);
    }

    @Test
    void aWatchIsAuthenticatedAndAuthorizedAsAnyRequest() throws Exception {
        try (MockApiServer secured = MockApiServer.start()) {
            RbacAuthorizer authorizer = new RbacAuthorizer(List.of(
                    new RoleBuilder().withNewMetadata().withName("lister").withNamespace("sys").endMetadata()
                            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("list").endRule().build(),
                    new RoleBindingBuilder().withNewMetadata().withName("lister").withNamespace("sys").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "lister")
                            .addNewSubject().withKind("ServiceAccount").withName("lister").withNamespace("sys").endSubject()
                            .build(),
                    new RoleBuilder().withNewMetadata().withName("watcher").withNamespace("sys").endMetadata()
                            .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("watch").endRule().build(),
                    new RoleBindingBuilder().withNewMetadata().withName("watcher").withNamespace("sys").endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "watcher")
                            .addNewSubject().withKind("ServiceAccount").withName("watcher").withNamespace("sys").endSubject()
                            .build()));
            secured.enforceRbac(authorizer, Map.of("lister-token", UserInfo.serviceAccount("sys", "lister"),
                    "watcher-token", UserInfo.serviceAccount("sys", "watcher")));
            secured.client().configMaps().inNamespace("sys").resource(configMap("sys", "seen", "1", Map.of())).create();
            String path = "/api/v1/namespaces/sys/configmaps?watch=true";

            List<String> refusals = new ArrayList<>();
            for (String token : new String[] {"lister-token", "unknown-token"}) {
                Watching refused = watch(secured.url(), path, token);
                refusals.add(refused.response().statusCode() + " " + JSON.readTree(String.join("", drain(refused)))
                        .path("message").asText());
            }
            Watching allowed = watch(secured.url(), path, "watcher-token");

            assertThat(refusals).containsExactly("403 configmaps is forbidden: User \"system:serviceaccount:sys:lister\" "
                    + "cannot watch resource \"configmaps\" in API group \"\" in the namespace \"sys\"", "401 Unauthorized");
            try {
                assertThat(allowed.response().statusCode()).isEqualTo(200);
                assertThat(allowed.nextEvent()).isEqualTo("ADDED seen");
            } finally {
                allowed.close();
            }
        }
    }

    private static List<String> drain(Watching watching) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String line = watching.lines().poll(15, TimeUnit.SECONDS); line != null && !line.equals(Watching.END);
                line = watching.lines().poll(15, TimeUnit.SECONDS)) {
            lines.add(line);
        }
        return lines;
    }
}
