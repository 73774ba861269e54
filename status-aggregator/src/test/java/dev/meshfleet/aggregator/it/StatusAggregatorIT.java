package dev.meshfleet.aggregator.it;

import java.net.URI;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.meshfleet.testkit.PrometheusScrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.aggregator.status.StatusWriter;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import dev.meshfleet.testkit.PoisonRecords;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The service against the in-process broker and Fabric8's CRUD mock API server with our CRDs. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusAggregatorIT {
    private static final String NS = "gloo-mesh";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "{\"profile\":\"minimal\",\"namespace\":\"istio-system\"}";
    private static final ResourceDefinitionContext ILMS = new ResourceDefinitionContext.Builder()
            .withGroup(Crds.GROUP).withVersion(Crds.VERSION).withKind("IstioLifecycleManager")
            .withPlural(Crds.plural(ResourceKind.IstioLifecycleManager)).withNamespaced(true).build();
    private static final ResourceDefinitionContext GLMS = new ResourceDefinitionContext.Builder()
            .withGroup(Crds.GROUP).withVersion(Crds.VERSION).withKind("GatewayLifecycleManager")
            .withPlural(Crds.plural(ResourceKind.GatewayLifecycleManager)).withNamespaced(true).build();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    StatusWriter writer;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URL readiness;

    private KafkaProducer<String, InstallationEvent> producer;
    private long sequence;

    @BeforeAll
    void setUp() throws Exception {
        for (String crd : Crds.CRD_RESOURCES) {
            try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(crd)) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(InstallationEvent.class));
    }

    @AfterAll
    void tearDown() {
        producer.close();
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void consumerLagAndStreamMetricsAreScrapedAtQMetrics() throws Exception {
        PrometheusScrape.awaitSample(metrics, "kafka_consumer_fetch_manager_records_lag",
                l -> l.contains("topic=\"meshfleet.installation-events\""), Duration.ofSeconds(60));
        PrometheusScrape.awaitSample(metrics, "kafka_stream_thread_process_total", l -> true, Duration.ofSeconds(60));
    }

    @Test
    void aResourceWhoseInstallationsAreHealthyIsReadyAndItsTransitionsAreKubernetesEventsOnIt() throws Exception {
        OwnerRef owner = createIlm("conditions-and-events");

        send(owner, "INSTALL_PENDING", "translator", 0, null);
        JsonNode pending = awaitStatus(owner.getName(), s -> s.at("/conditions/0/type").asText().equals("Ready"));
        send(owner, "INSTALLING_CONTROLLER", "installer/installer-0", 1, null);
        send(owner, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, null);
        send(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);

        JsonNode status = awaitStatus(owner.getName(), s -> "True".equals(s.at("/conditions/0/status").asText()));
        assertThat(pending.at("/conditions/0/status").asText()).isEqualTo("False");
        assertThat(status.path("conditions")).extracting(c -> c.path("type").asText(), c -> c.path("status").asText(),
                c -> c.path("reason").asText(), c -> c.path("observedGeneration").asLong())
                .containsExactly(tuple("Ready", "True", "Healthy", 1L), tuple("Progressing", "False", "Settled", 1L),
                        tuple("Degraded", "False", "NoFailures", 1L), tuple("Reconciling", "False", "Settled", 1L),
                        tuple("Stalled", "False", "NotStalled", 1L));
        assertThat(status.at("/conditions/0/message").asText()).isEqualTo("1 of 1 installation HEALTHY");
        String uid = client.genericKubernetesResources(ILMS).inNamespace(NS).withName(owner.getName()).get()
                .getMetadata().getUid();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list()
                .getItems().stream().filter(e -> uid.equals(e.getInvolvedObject().getUid())).toList())
                .extracting(e -> e.getReason(), e -> e.getType(), e -> e.getSource().getComponent())
                .contains(tuple("InstallPending", "Normal", "meshfleet-status-aggregator"),
                        tuple("Healthy", "Normal", "meshfleet-status-aggregator")));
    }

    @Test
    void eventsOnTheTopicShowUpOnTheResourceAsHealthyAndOnLifecycleStatus() throws Exception {
        OwnerRef owner = createIlm("istiod-control-plane");

        send(owner, "INSTALL_PENDING", "translator", 0, null);
        send(owner, "INSTALLING_CONTROLLER", "installer/installer-0", 1, null);
        send(owner, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, null);
        send(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);

        JsonNode status = awaitStatus(owner.getName(),
                s -> "HEALTHY".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));
        assertThat(status.at("/clusters/cluster1/installations/1-24/observedRevision").asText()).isEqualTo("1-24");
        assertThat(status.at("/clusters/cluster1/installations/1-24/observedOperator/profile").asText())
                .isEqualTo("minimal");
        assertThat(status.at("/summary/state").asText()).isEqualTo("HEALTHY");
        assertThat(status.at("/summary/healthy").asText()).isEqualTo("1/1");
        assertThat(status.at("/observedGeneration").asLong()).isEqualTo(1L);

        LifecycleStatus published = awaitLifecycleStatus(OwnerKeys.of(owner), "HEALTHY");
        assertThat(published.getOwner()).isEqualTo(owner);
        assertThat(published.getSummary().getHealthy()).isEqualTo(1);
    }

    @Test
    void aDuplicateEventCausesNoSecondStatusWrite() {
        OwnerRef owner = createIlm("duplicate-events");
        InstallationEvent healthy = event(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);
        producer.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, OwnerKeys.of(owner), healthy));
        awaitStatus(owner.getName(),
                s -> "HEALTHY".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));
        long writes = writer.statusWrites();
        long unchanged = writer.unchangedWrites();

        producer.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, OwnerKeys.of(owner), healthy));
        // A re-emit of the same state (what the drift repair sends), then a change a reader sees: all
        // three are processed in order (same key, same partition), so once the change is on the CR the
        // duplicate and the re-emit were folded before it, and only the change was written.
        send(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);
        send(owner, "UNKNOWN", "installer/installer-0", 1, OPERATOR);
        awaitStatus(owner.getName(),
                s -> "UNKNOWN".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));

        await().during(Duration.ofSeconds(1)).atMost(10, TimeUnit.SECONDS)
                .until(() -> writer.statusWrites() == writes + 1);
        assertThat(writer.unchangedWrites()).as("neither the duplicate nor the re-emit reached the writer")
                .isEqualTo(unchanged);
    }

    @Test
    void aDeletingResourceLosesItsFinalizerOnceEveryInstallationIsUninstalled() {
        OwnerRef owner = createIlm("going-away");
        send(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);
        awaitStatus(owner.getName(),
                s -> "HEALTHY".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));

        client.genericKubernetesResources(ILMS).inNamespace(NS).withName(owner.getName()).delete();
        GenericKubernetesResource deleting = client.genericKubernetesResources(ILMS).inNamespace(NS)
                .withName(owner.getName()).get();
        assertThat(deleting).as("held by the finalizer while installed").isNotNull();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();

        send(owner, "UNINSTALLING_CONTROL_PLANE", "installer/installer-0", 1, null);
        await().during(Duration.ofMillis(500)).atMost(10, TimeUnit.SECONDS).until(() -> client
                .genericKubernetesResources(ILMS).inNamespace(NS).withName(owner.getName()).get() != null);
        send(owner, "UNINSTALLED_CONTROL_PLANE", "installer/installer-0", 1, null);

        await().atMost(30, TimeUnit.SECONDS).until(() -> client.genericKubernetesResources(ILMS).inNamespace(NS)
                .withName(owner.getName()).get() == null);
    }

    @Test
    void aGatewayWhoseApplyWasRefusedKeepsItsFinalizerUntilTheInstallerReportsItUninstalled() {
        OwnerRef owner = createGlm("refused-apply");
        send(owner, "INSTALLING_GATEWAY", "installer/installer-0", 1, null);
        // Some objects were applied, then the API refused one: GLM FAILED, and no observedOperator.
        send(owner, "FAILED", "installer/installer-0", 1, null);
        JsonNode failed = awaitStatus(GLMS, owner.getName(),
                s -> "FAILED".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));
        assertThat(failed.at("/clusters/cluster1/installations/1-24/observedOperator").isMissingNode()).isTrue();

        client.genericKubernetesResources(GLMS).inNamespace(NS).withName(owner.getName()).delete();
        // A change of state that still leaves objects in the cluster: the finalizer rule is asked after
        // its write, so once it is on the CR, the rule has been asked.
        send(owner, "UNKNOWN", "installer/installer-0", 1, null);
        awaitStatus(GLMS, owner.getName(),
                s -> "UNKNOWN".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));
        GenericKubernetesResource deleting = client.genericKubernetesResources(GLMS).inNamespace(NS)
                .withName(owner.getName()).get();
        assertThat(deleting).as("objects applied before the refusal are still in the cluster").isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).contains(Crds.FINALIZER);

        send(owner, "UNINSTALLING_GATEWAY", "installer/installer-0", 1, null);
        send(owner, "UNINSTALLED_GATEWAY", "installer/installer-0", 1, null);
        await().atMost(30, TimeUnit.SECONDS).until(() -> client.genericKubernetesResources(GLMS).inNamespace(NS)
                .withName(owner.getName()).get() == null);
    }

    @Test
    void poisonEventsGoToTheDeadLetterTopicWithTheirSourceAndTheStreamGoesOn() throws Exception {
        // Garbage bytes and a well-formed record with an unknown schema fingerprint.
        List<PoisonRecords.Written> poison = PoisonRecords.write(bootstrap, Topics.INSTALLATION_EVENTS, 2);
        OwnerRef owner = createIlm("after-poison");
        send(owner, "HEALTHY", "installer/installer-0", 1, OPERATOR);
        awaitStatus(owner.getName(),
                s -> "HEALTHY".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));

        List<DeadLetter> dead = PoisonRecords.awaitDeadLetters(bootstrap, poison, Duration.ofSeconds(60));
        assertThat(dead).as("a dead letter for every poison record").doesNotContainNull();
        assertThat(dead).extracting(DeadLetter::sourceTopic, DeadLetter::service, DeadLetter::errorClass)
                .containsOnly(tuple(Topics.INSTALLATION_EVENTS, "status-aggregator",
                        SerializationException.class.getName()));
        assertThat(dead).extracting(DeadLetter::error).allMatch(e -> e.startsWith("cannot decode InstallationEvent from"));
        assertThat(dead).extracting(DeadLetter::value).containsExactly(PoisonRecords.value(0), PoisonRecords.value(1));
    }

    @Test
    void readinessIsUpWhenTheStreamRunsAndTheManagementApiAnswers() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String[] body = new String[1];
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            var response = http.send(java.net.http.HttpRequest.newBuilder(readiness.toURI()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            body[0] = response.body();
            return response.statusCode() == 200;
        });
        assertThat(body[0]).contains("\"status\": \"UP\"").contains("RUNNING");
    }

    @Test
    void aBurstOfEventsIsCoalescedIntoFewerWritesAndTheNewestStateWins() {
        OwnerRef owner = createIlm("burst");
        long before = writer.statusWrites();
        List<String> states = List.of("INSTALLING_CONTROLLER", "INSTALLING_CONTROL_PLANE", "HEALTHY", "UNHEALTHY",
                "HEALTHY", "RECONCILING_CONTROL_PLANE", "HEALTHY", "UNHEALTHY");
        for (String state : states) {
            // No flush between sends: the burst reaches the stream together, as a busy installer's would.
            producer.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, OwnerKeys.of(owner),
                    event(owner, state, "installer/installer-0", 1, state.equals("INSTALLING_CONTROLLER")
                            || state.equals("INSTALLING_CONTROL_PLANE") ? null : OPERATOR)));
        }
        producer.flush();

        awaitStatus(owner.getName(),
                s -> "UNHEALTHY".equals(s.at("/clusters/cluster1/installations/1-24/state").asText()));
        await().during(Duration.ofMillis(500)).atMost(10, TimeUnit.SECONDS)
                .until(() -> writer.statusWrites() - before < states.size());
    }

    private OwnerRef createIlm(String name) {
        GenericKubernetesResource ilm = new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.API_VERSION).withKind("IstioLifecycleManager")
                .withNewMetadata().withNamespace(NS).withName(name).withFinalizers(Crds.FINALIZER).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("installations", List.of(Map.of(
                        "revision", "1-24",
                        "clusters", List.of(Map.of("name", "cluster1", "defaultRevision", true)),
                        "istioOperatorSpec", Map.of("profile", "minimal"))))))
                .build();
        GenericKubernetesResource created = client.genericKubernetesResources(ILMS).inNamespace(NS).resource(ilm)
                .create();
        return new OwnerRef(ResourceKind.IstioLifecycleManager, NS, name, created.getMetadata().getUid());
    }

    private OwnerRef createGlm(String name) {
        GenericKubernetesResource glm = new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.API_VERSION).withKind("GatewayLifecycleManager")
                .withNewMetadata().withNamespace(NS).withName(name).withFinalizers(Crds.FINALIZER).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("installations", List.of(Map.of(
                        "gatewayRevision", "1-24",
                        "clusters", List.of(Map.of("name", "cluster1", "activeGateway", true)),
                        "istioOperatorSpec", Map.of("profile", "empty"))))))
                .build();
        GenericKubernetesResource created = client.genericKubernetesResources(GLMS).inNamespace(NS).resource(glm)
                .create();
        return new OwnerRef(ResourceKind.GatewayLifecycleManager, NS, name, created.getMetadata().getUid());
    }

    private InstallationEvent event(OwnerRef owner, String state, String source, long epoch, String operator) {
        long seq = ++sequence;
        return new InstallationEvent(owner, 1L, "cluster1", "1-24", state, "", operator, "h1", source, epoch,
                source.equals("translator") ? 1000 + seq : seq, Instant.now(), null, java.util.Map.of());
    }

    private void send(OwnerRef owner, String state, String source, long epoch, String operator) {
        producer.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, OwnerKeys.of(owner), event(owner, state, source, epoch, operator)));
        producer.flush();
    }

    private JsonNode awaitStatus(String name, java.util.function.Predicate<JsonNode> condition) {
        return awaitStatus(ILMS, name, condition);
    }

    private JsonNode awaitStatus(ResourceDefinitionContext kind, String name,
            java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] seen = new JsonNode[1];
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                GenericKubernetesResource cr = client.genericKubernetesResources(kind).inNamespace(NS).withName(name)
                        .get();
                seen[0] = cr == null ? null : JSON.valueToTree(cr.getAdditionalProperties().get("status"));
                return seen[0] != null && condition.test(seen[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("status of " + name + " never matched; last seen: " + seen[0], e);
        }
        return seen[0];
    }

    private LifecycleStatus awaitLifecycleStatus(String key, String summaryState) {
        LifecycleStatus[] found = new LifecycleStatus[1];
        try (KafkaConsumer<String, LifecycleStatus> statuses = consumer(AvroSerde.of(LifecycleStatus.class))) {
            statuses.subscribe(List.of(Topics.LIFECYCLE_STATUS));
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                for (ConsumerRecord<String, LifecycleStatus> r : statuses.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && summaryState.equals(r.value().getSummary().getState())) {
                        found[0] = r.value();
                    }
                }
                return found[0] != null;
            });
        }
        return found[0];
    }

    private <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), values);
    }
}
