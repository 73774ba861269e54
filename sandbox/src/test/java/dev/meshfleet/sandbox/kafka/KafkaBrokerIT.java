package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.process.AgentJar;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;

/** The broker child JVM from sandbox/target/kafka-lib: it starts, carries records, and leaves nothing behind. */
class KafkaBrokerIT {

    @TempDir
    Path dir;

    private KafkaBroker startBroker(RepoLayout layout) throws Exception {
        return KafkaBroker.start(dir.resolve("kafka"), layout.brokerClassPath(), AgentJar.write(dir), dir.resolve("pids"),
                Duration.ofMinutes(2));
    }

    @Test
    void theBrokerCarriesARecordAndLeavesNoProcessBehindWhenStopped() throws Exception {
        RepoLayout layout = RepoLayout.locate();
        KafkaBroker broker = startBroker(layout);
        long pid = broker.process().pid();
        try {
            TopicAdmin.ensure(broker.bootstrapServers(), TopicAdmin.definitions(3), (short) 1);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, "IstioLifecycleManager/gloo-mesh/x", "hello"))
                        .get();
            }
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.SPEC_CHANGES));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                    return !seen.isEmpty();
                });
            }
            assertThat(seen).extracting(ConsumerRecord::value).containsExactly("hello");
            assertThat(broker.dir().resolve("data")).isDirectory();
            assertThat(layout.brokerClassPath()).contains("kafka-lib");
        } finally {
            broker.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("broker pid alive").isFalse();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("children left behind").isEmpty();
        assertThat(dir.resolve("pids")).isEmptyDirectory();
    }

    @Test
    void aBrokerKilledAndRestartedKeepsItsAddressAndItsRecordsAndAProducerRidesItOut() throws Exception {
        KafkaBroker broker = startBroker(RepoLayout.locate());
        try {
            TopicAdmin.ensure(broker.bootstrapServers(), TopicAdmin.definitions(3), (short) 1);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // send() blocks while there is no broker to ask for metadata; a restart on a loaded machine takes a while.
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
            String address = broker.bootstrapServers();
            long before = broker.process().pid();
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, "k", "before")).get();
                broker.kill();
                assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).as("killed").isFalse();
                // Sent while the broker is down: the idempotent producer's retries carry it once it is back.
                var during = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, "k", "during")).get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                broker.restart(Duration.ofMinutes(2));
                during.get(3, java.util.concurrent.TimeUnit.MINUTES);
            }
            assertThat(broker.bootstrapServers()).isEqualTo(address);
            assertThat(broker.process().pid()).isNotEqualTo(before);
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.SPEC_CHANGES));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                    return seen.size() >= 2;
                });
            }
            assertThat(seen).containsExactly("before", "during");
        } finally {
            broker.close();
        }
    }
}
