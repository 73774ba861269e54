package dev.meshfleet.translator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import dev.meshfleet.testkit.PoisonRecords;
import dev.meshfleet.testkit.PrometheusScrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
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
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The service against the real in-process broker: spec-changes in, install-plans, installation-events and the DLQ out. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
class TranslatorIT {
    static final YAMLMapper YAML = new YAMLMapper();

    @Inject
    TranslatorStreams streams;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    static SpecChange change(String example, String name, String uid) throws Exception {
        JsonNode m = YAML.readTree(Files.readString(Path.of("../examples", example)));
        return SpecChange.newBuilder().setUid(uid).setKind(ResourceKind.valueOf(m.get("kind").asText()))
                .setNamespace("it").setName(name).setGeneration(1).setResourceVersion("1").setOperation(Operation.UPSERT)
                .setActor("it").setObservedAt(Instant.now()).setSpecJson(m.get("spec").toString()).build();
    }

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URI ready;

    @Test
    void readinessIsUpOnceTheStreamsRun() {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(ready).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("kafka-streams", "RUNNING");
        });
    }

    @Test
    void aSpecChangeThroughTheBrokerBecomesClusterDesiredStatesAndInstallPendingEvents() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String name = "cp-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "IstioLifecycleManager/it/" + name;
        try (var producer = producer(); var plans = consumer(Topics.INSTALL_PLANS); var events = consumer(Topics.INSTALLATION_EVENTS)) {
            producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key,
                    AvroSerde.of(SpecChange.class).serialize(Topics.SPEC_CHANGES, change("ilm-minimal.yaml", name, "u-it")))).get();
            Map<String, ClusterDesiredState> states = new HashMap<>();
            List<InstallationEvent> seen = new ArrayList<>();
            var stateSerde = AvroSerde.of(ClusterDesiredState.class);
            var eventSerde = AvroSerde.of(InstallationEvent.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : plans.poll(Duration.ofMillis(200))) {
                    states.put(r.key(), stateSerde.deserialize(r.topic(), r.value()));
                }
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(key)) {
                        seen.add(eventSerde.deserialize(r.topic(), r.value()));
                    }
                }
                assertThat(states).containsKeys("cluster1", "cluster2");
                assertThat(states.get("cluster1").getInstallations())
                        .anySatisfy(p -> assertThat(p.getOwner().getName()).isEqualTo(name));
                assertThat(seen).extracting(InstallationEvent::getCluster).containsExactlyInAnyOrder("cluster1", "cluster2");
                assertThat(seen).allSatisfy(e -> assertThat(e.getState()).isEqualTo("INSTALL_PENDING"));
            });
        }
    }

    /**
     * The mesh join (docs/adr/0046) on a real broker: its two internal repartition topics close a loop between the
     * translate and mesh steps, whose partition counts Streams must work out at the rebalance; an address an installer
     * reports for one peered controller reaches the other's plan through both.
     */
    @Test
    void anEastWestAddressReachesThePeeredControllerOfTheSameNamespaceThroughTheBroker() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String ns = "mesh-" + UUID.randomUUID().toString().substring(0, 8);
        String peering = "{\"beta\":\"serviceMeshController:\\n  multiClusterMode: Peering\\n\"}";
        var specSerde = AvroSerde.of(SpecChange.class);
        try (var producer = producer(); var plans = consumer(Topics.INSTALL_PLANS)) {
            for (String[] c : new String[][] {{"a", ns + "-a"}, {"b", ns + "-b"}}) {
                SpecChange change = SpecChange.newBuilder().setUid("u-" + c[1]).setKind(ResourceKind.ServiceMeshController)
                        .setNamespace(ns).setName(c[0]).setGeneration(1).setResourceVersion("1")
                        .setOperation(Operation.UPSERT).setActor("it").setObservedAt(Instant.now())
                        .setSpecJson("{\"cluster\":\"" + c[1] + "\",\"version\":\"1.28.1-patch0\"}")
                        .setExtensionsJson(peering).build();
                producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, "ServiceMeshController/" + ns + "/" + c[0],
                        specSerde.serialize(Topics.SPEC_CHANGES, change))).get();
            }
            var owner = dev.meshfleet.schemas.v1.OwnerRef.newBuilder().setKind(ResourceKind.ServiceMeshController)
                    .setNamespace(ns).setName("a").setUid("u-" + ns + "-a").build();
            InstallationEvent reported = InstallationEvent.newBuilder().setOwner(owner).setGeneration(1)
                    .setCluster(ns + "-a").setRevision("peering").setState("HEALTHY").setSource("installer/installer-0")
                    .setSourceEpoch(1).setTime(Instant.now())
                    .setFacts(Map.of("eastwest.address", "192.0.2.41", "eastwest.addressType", "IPAddress")).build();
            producer.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, "ServiceMeshController/" + ns + "/a",
                    AvroSerde.of(InstallationEvent.class).serialize(Topics.INSTALLATION_EVENTS, reported))).get();

            var stateSerde = AvroSerde.of(ClusterDesiredState.class);
            Map<String, ClusterDesiredState> states = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : plans.poll(Duration.ofMillis(200))) {
                    states.put(r.key(), stateSerde.deserialize(r.topic(), r.value()));
                }
                ClusterDesiredState b = states.get(ns + "-b");
                assertThat(b).as("cluster %s-b's desired state", ns).isNotNull();
                assertThat(b.getInstallations()).extracting(p -> p.getRevision()).containsExactly("", "peering");
                assertThat(YAML.readTree(b.getInstallations().get(1).getCharts().get(0).getValuesJson()).path("peers")
                        .toString()).isEqualTo("[{\"address\":\"192.0.2.41\",\"addressType\":\"IPAddress\","
                                + "\"cluster\":\"" + ns + "-a\",\"network\":\"" + ns + "-a\",\"nodePort\":false,"
                                + "\"trustDomain\":\"" + ns + "-a\"}]");
            });
        }
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void consumerLagAndStreamMetricsAreScrapedAtQMetrics() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String lag = PrometheusScrape.awaitSample(metrics, "kafka_consumer_fetch_manager_records_lag",
                l -> l.contains("topic=\"" + Topics.SPEC_CHANGES + "\""), Duration.ofSeconds(60));
        assertThat(lag).contains("partition=");
        PrometheusScrape.awaitSample(metrics, "kafka_stream_thread_process_total", l -> true, Duration.ofSeconds(60));
    }

    @Test
    void theSpecChangesTraceContextReachesItsPlansAndEventsThroughTheRepartitionAndTheAggregate() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String name = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "IstioLifecycleManager/it/" + name;
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        try (var producer = producer(); var plans = consumer(Topics.INSTALL_PLANS); var events = consumer(Topics.INSTALLATION_EVENTS)) {
            // Clusters of its own: the other cases' ILMs claim revision 1-24 and the default revision in cluster1/2.
            SpecChange change = change("ilm-minimal.yaml", name, "u-traced");
            change.setSpecJson(change.getSpecJson().replace("\"cluster1\"", "\"traced1\"").replace("\"cluster2\"", "\"traced2\""));
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SPEC_CHANGES, key,
                    AvroSerde.of(SpecChange.class).serialize(Topics.SPEC_CHANGES, change));
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
            Map<String, String> planTrace = new HashMap<>();
            Map<String, String> eventTrace = new HashMap<>();
            var stateSerde = AvroSerde.of(ClusterDesiredState.class);
            var eventSerde = AvroSerde.of(InstallationEvent.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : plans.poll(Duration.ofMillis(200))) {
                    boolean ours = stateSerde.deserialize(r.topic(), r.value()).getInstallations().stream()
                            .anyMatch(p -> p.getOwner().getName().equals(name));
                    if (ours) {
                        planTrace.putIfAbsent(r.key(), traceparentOf(r));
                    }
                }
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(key)) {
                        eventTrace.put(eventSerde.deserialize(r.topic(), r.value()).getCluster(), traceparentOf(r));
                    }
                }
                assertThat(planTrace).containsOnlyKeys("traced1", "traced2");
                assertThat(eventTrace).containsOnlyKeys("traced1", "traced2");
            });
            // The translator's own spans (translate, claims) in the change's trace: same trace id, another parent span.
            List<String> all = new ArrayList<>(planTrace.values());
            all.addAll(eventTrace.values());
            assertThat(all).extracting(t -> t.split("-")[1]).containsOnly(traceId);
            assertThat(all).doesNotContain(traceparent);
        }
    }

    private static String traceparentOf(ConsumerRecord<String, byte[]> r) {
        var h = r.headers().lastHeader("traceparent");
        return h == null ? "none" : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void poisonSpecChangesGoToTheDeadLetterTopicWithTheirSourceAndTheNextRecordIsStillTranslated() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        String name = "after-poison-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "GatewayLifecycleManager/it/" + name;
        // Garbage bytes and a well-formed record with an unknown schema fingerprint.
        List<PoisonRecords.Written> poison = PoisonRecords.write(bootstrap, Topics.SPEC_CHANGES, 2);
        try (var producer = producer(); var events = consumer(Topics.INSTALLATION_EVENTS)) {
            producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key,
                    AvroSerde.of(SpecChange.class).serialize(Topics.SPEC_CHANGES, change("glm-ingress.yaml", name, "g-it")))).get();
            List<String> eventKeys = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                events.poll(Duration.ofMillis(200)).forEach(r -> eventKeys.add(r.key()));
                assertThat(eventKeys).contains(key);
            });
        }
        List<DeadLetter> dead = PoisonRecords.awaitDeadLetters(bootstrap, poison, Duration.ofSeconds(60));
        assertThat(dead).as("a dead letter for every poison record").doesNotContainNull();
        assertThat(dead).extracting(DeadLetter::sourceTopic, DeadLetter::service, DeadLetter::errorClass)
                .containsOnly(tuple(Topics.SPEC_CHANGES, "translator-service",
                        SerializationException.class.getName()));
        assertThat(dead).extracting(DeadLetter::error).allMatch(e -> e.startsWith("cannot decode SpecChange from"));
        assertThat(dead).extracting(DeadLetter::value).containsExactly(PoisonRecords.value(0), PoisonRecords.value(1));
    }
}
