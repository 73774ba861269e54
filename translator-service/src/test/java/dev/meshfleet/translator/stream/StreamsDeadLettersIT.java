package dev.meshfleet.translator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.StreamsSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.dlq.DeadLetterQueue;
import dev.meshfleet.testkit.InProcessKafka;

/**
 * The settings every Meshfleet topology runs with ({@link StreamsSettings#base}) against the real broker: a
 * record whose processing throws, before or after a repartition, goes to the input's DLQ with its source, the
 * stream thread does not fail, and the next record is processed.
 */
class StreamsDeadLettersIT {
    private final String bootstrap = InProcessKafka.shared().bootstrapServers();
    private final String input = "it-input-" + UUID.randomUUID();
    private final String output = "it-output-" + UUID.randomUUID();
    private final String applicationId = "it-app-" + UUID.randomUUID();
    private final AtomicInteger threadFailures = new AtomicInteger();
    private KafkaStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRecordWhoseProcessingThrowsGoesToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(input, 1, false, -1L),
                new TopicAdmin.TopicDefinition(Topics.dlq(input), 1, false, -1L),
                new TopicAdmin.TopicDefinition(output, 1, false, -1L)), (short) 1);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (v.equals("boom")) {
                        throw new IllegalStateException("simulated bug on " + v);
                    }
                    return v;
                })
                .groupBy((k, v) -> v, Grouped.with("by-value", Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .mapValues((k, n) -> {
                    if (k.equals("boom-after-repartition")) {
                        throw new IllegalStateException("simulated bug after the repartition");
                    }
                    return k + "=" + n;
                })
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = StreamsSettings.base("it-service", input, applicationId, bootstrap,
                Files.createTempDirectory("streams-dlq-it").toString(), 100, TopicAdmin.Replication.SANDBOX);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        streams = new KafkaStreams(builder.build(), props);
        streams.setUncaughtExceptionHandler(e -> {
            threadFailures.incrementAndGet();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();

        RecordMetadata boom;
        try (KafkaProducer<String, String> producer = producer()) {
            boom = producer.send(new ProducerRecord<>(input, "k1", "boom")).get();
            producer.send(new ProducerRecord<>(input, "k2", "boom-after-repartition")).get();
            producer.send(new ProducerRecord<>(input, "k3", "good")).get();
        }

        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(output)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                assertThat(out).contains("good=1");
            });
        }
        List<DeadLetter> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            dead.clear();
            dead.addAll(DeadLetterQueue.read(bootstrap, Topics.dlq(input), Duration.ofSeconds(10)));
            assertThat(dead).hasSize(2);
        });
        DeadLetter first = dead.get(0);
        assertThat(first.sourceTopic()).isEqualTo(input);
        assertThat(first.sourcePartition()).isEqualTo(boom.partition());
        assertThat(first.sourceOffset()).isEqualTo(boom.offset());
        assertThat(first.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.error()).isEqualTo("simulated bug on boom");
        assertThat(first.service()).isEqualTo("it-service");
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("boom");
        // Past the repartition the source is the internal topic (a replay writes it back there); the dead letter
        // still goes to the DLQ of the input it came from.
        DeadLetter second = dead.get(1);
        assertThat(second.sourceTopic()).isEqualTo(applicationId + "-by-value-repartition");
        assertThat(second.error()).isEqualTo("simulated bug after the repartition");
        assertThat(new String(second.key(), StandardCharsets.UTF_8)).isEqualTo("boom-after-repartition");
        assertThat(out).noneMatch(v -> v.startsWith("boom"));
        assertThat(threadFailures).hasValue(0);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }
}
