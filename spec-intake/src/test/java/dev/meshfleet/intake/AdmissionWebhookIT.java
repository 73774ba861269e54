package dev.meshfleet.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.InProcessKafka;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The webhook in the running service: an AdmissionReview over HTTP in, the answer and the admissions topic out. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CreateCrds.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
class AdmissionWebhookIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(AdmissionWebhook.PATH)
    URI webhook;

    @Test
    void anInvalidSpecIsRefusedNamingTheFieldAndOnlyTheAllowedRequestIsRecordedWithItsUser() throws Exception {
        String name = "admitted-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode refused = post(review("bad-" + name, name, "\"revision\":\"not a label!\""));
        assertThat(refused.at("/response/uid").asText()).isEqualTo("bad-" + name);
        assertThat(refused.at("/response/allowed").asBoolean()).isFalse();
        assertThat(refused.at("/response/status/message").asText()).contains("spec.installations[0].revision: ");

        JsonNode allowed = post(review("good-" + name, name, "\"revision\":\"1-24\""));
        assertThat(allowed.at("/response/allowed").asBoolean()).isTrue();

        List<AdmissionRecord> records = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.shared().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "admission-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerde.of(AdmissionRecord.class).deserializer())) {
            consumer.subscribe(List.of(Topics.ADMISSIONS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().getName().equals(name)) {
                        records.add(r.value());
                    }
                });
                return !records.isEmpty();
            });
        }
        AdmissionRecord record = records.get(0);
        assertThat(records).hasSize(1);
        assertThat(record.getRequestUid()).isEqualTo("good-" + name);
        assertThat(record.getKind()).isEqualTo(ResourceKind.IstioLifecycleManager);
        assertThat(record.getUid()).isEqualTo("uid-" + name);
        assertThat(record.getGeneration()).isEqualTo(1L);
        assertThat(record.getOperation()).isEqualTo("CREATE");
        assertThat(record.getUsername()).isEqualTo("platform-admin");
        assertThat(record.getGroups()).containsExactly("platform", "system:authenticated");
        assertThat(record.getSpecHash()).hasSize(64);
    }

    private JsonNode post(String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String review(String requestUid, String name, String revision) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"admin.gloo.solo.io","version":"v2","kind":"IstioLifecycleManager"},
                 "resource":{"group":"admin.gloo.solo.io","version":"v2","resource":"istiolifecyclemanagers"},
                 "name":"%s","namespace":"gloo-mesh","operation":"CREATE",
                 "userInfo":{"username":"platform-admin","groups":["platform","system:authenticated"]},
                 "object":{"apiVersion":"admin.gloo.solo.io/v2","kind":"IstioLifecycleManager",
                   "metadata":{"name":"%s","namespace":"gloo-mesh","uid":"uid-%s","generation":1},
                   "spec":{"installations":[{%s,"clusters":[{"name":"cluster1"}],
                     "istioOperatorSpec":{"profile":"minimal","tag":"1.24.2-solo"}}]}},
                 "oldObject":null,"dryRun":false}}""".formatted(requestUid, name, name, name, revision);
    }
}
