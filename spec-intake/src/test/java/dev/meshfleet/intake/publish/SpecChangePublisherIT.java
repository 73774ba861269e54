package dev.meshfleet.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.meshfleet.intake.publish.SpecChangePublisher.PublishFailed;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.InProcessKafka;

/**
 * The publisher against the real in-process broker (Kafka is never mocked): an acknowledged change is
 * on the topic, and a broker that cannot be reached is a {@link PublishFailed} (which the worker turns
 * into a retry with backoff), not a hang.
 */
class SpecChangePublisherIT {
    private static final String KEY = "IstioLifecycleManager/gloo-mesh/istiod";

    private static SpecChange change() {
        return SpecChange.newBuilder().setUid("u1").setKind(ResourceKind.IstioLifecycleManager).setNamespace("gloo-mesh")
                .setName("istiod").setGeneration(3).setResourceVersion("42").setOperation(Operation.UPSERT)
                .setActor("kubectl").setObservedAt(Instant.parse("2026-11-23T12:00:00Z"))
                .setSpecJson("{\"installations\":[]}").build();
    }

    @Test
    void anAcknowledgedChangeIsOnTheTopicUnderItsOwnersKey() throws Exception {
        String bootstrap = InProcessKafka.shared().bootstrapServers();
        String topic = "spec-changes-publisher-it";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }

        try (SpecChangePublisher publisher = SpecChangePublisher.create(KafkaClientSettings.bootstrap(bootstrap), topic)) {
            publisher.publish(KEY, change());
        }

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "publisher-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("the published record").atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            });
        }
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(KEY);
            assertThat(AvroSerde.of(SpecChange.class).deserialize(topic, r.value())).isEqualTo(change());
        });
    }

    @Test
    void aBrokerThatCannotBeReachedIsAPublishFailedNamingTheTopic() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (SpecChangePublisher publisher = new SpecChangePublisher(new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(SpecChange.class).serializer()), "meshfleet.spec-changes")) {
            assertThatThrownBy(() -> publisher.publish(KEY, change())).isInstanceOf(PublishFailed.class)
                    .hasMessageStartingWith("cannot publish to meshfleet.spec-changes: ");
        }
    }
}
