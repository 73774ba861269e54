package dev.meshfleet.translator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.testkit.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, liveness: the real translator, on the in-process broker, loses its input topic while it runs. Its
 * stream thread then dies of {@code MissingSourceTopicException} at every rebalance, an error no handler takes
 * (the dead-letter handlers see records, not this); the service replaces the thread a few times, then shuts the
 * streams down (ERROR), and Kubernetes must be told: {@code /q/health/live} answers DOWN.
 *
 * <p>Its own input topic and application id (a test profile, so a Quarkus app of its own): the other tests of the
 * module share the broker and {@code meshfleet.spec-changes}, which this test must not delete.
 */
@QuarkusTest
@TestProfile(TranslatorLivenessIT.OwnInputTopic.class)
class TranslatorLivenessIT {
    static final String INPUT = "liveness-it.spec-changes";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class OwnInputTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshfleet.translator.topics.spec-changes", INPUT,
                    "meshfleet.translator.application-id", "meshfleet-translator-liveness-it",
                    // Every client refreshes its metadata within a second, so the deleted topic is seen at once.
                    "kafka.metadata.max.age.ms", "1000",
                    // Each replaced thread joins once its dead predecessor's session ran out: the broker's minimum
                    // (group.min.session.timeout.ms, 6 s) rather than the service's 20 s keeps the test short.
                    "meshfleet.translator.session-timeout", "6s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InputTopic.class));
        }
    }

    /** Creates the profile's input topic before the service starts (the service creates only the standard names). */
    public static class InputTopic implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            TopicAdmin.ensure(InProcessKafka.shared().bootstrapServers(),
                    List.of(new TopicAdmin.TopicDefinition(INPUT, 2, false, -1)), (short) 1);
            return Map.of();
        }

        @Override
        public void stop() {
            // the topic goes with the shared broker
        }
    }

    @Inject
    TranslatorStreams streams;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/q/health/live")
    URI live;

    @Test
    void livenessIsDownOnceTheStreamsDieOfAnErrorNoHandlerTakes() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        JsonNode before = liveness(200);
        assertThat(before.path("status").asText()).isEqualTo("UP");
        assertThat(check(before).path("data").path("state").asText()).isEqualTo("RUNNING");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(INPUT)).all().get(30, TimeUnit.SECONDS);
        }

        // A few replaced threads, each dying at its first rebalance (a session timeout apart), then the client's
        // shutdown. Their exceptions are the point, not a failure of this test: Awaitility must not rethrow them.
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).dontCatchUncaughtExceptions()
                .untilAsserted(() -> {
                    JsonNode after = liveness(503);
                    assertThat(after.path("status").asText()).isEqualTo("DOWN");
                    assertThat(check(after).path("status").asText()).isEqualTo("DOWN");
                    assertThat(check(after).path("data").path("state").asText()).isEqualTo("ERROR");
                });
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.ERROR);
    }

    /** The liveness answer, asserting its HTTP status (Quarkus answers 503 when a check is DOWN). */
    private JsonNode liveness(int expectedStatus) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(live).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("HTTP status of /q/health/live, body %s", response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    /** The streams' check among the liveness checks. */
    private static JsonNode check(JsonNode health) {
        for (JsonNode c : health.path("checks")) {
            if ("kafka-streams-live".equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no kafka-streams-live check in " + health);
    }
}
