package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetters;
import dev.meshfleet.testkit.InProcessKafka;

/** {@code ./meshfleet dlq list|replay} against the real in-process broker. */
class DlqCommandIT {
    private final String bootstrap = InProcessKafka.shared().bootstrapServers();
    private final String source = "it-source-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listShowsEachDeadLetterWithItsSourceAndErrorAndReplayWritesThemBackAndEmptiesTheDlq() throws Exception {
        TopicAdmin.ensure(bootstrap, List.of(new TopicAdmin.TopicDefinition(source, 1, false, -1L),
                new TopicAdmin.TopicDefinition(Topics.dlq(source), 1, false, -1L)), (short) 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(DeadLetters.of(Topics.dlq(source), source, 0, 17, bytes("k1"), bytes("garbage one"),
                    new IllegalArgumentException("not avro"), "translator-service")).get();
            producer.send(DeadLetters.of(Topics.dlq(source), source, 0, 42, bytes("k2"), bytes("garbage two"),
                    new IllegalStateException("unknown fingerprint"), "installer-service")).get();
        }

        assertThat(run("dlq", "list", source, "--bootstrap-servers", bootstrap)).isZero();
        List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("OFFSET").contains("TIME", "SOURCE", "SERVICE", "ERROR");
        assertThat(lines.get(1)).startsWith("0@0 ").contains(source + "-0@17", "translator-service",
                "IllegalArgumentException: not avro").containsPattern("\\d{4}-\\d\\d-\\d\\dT");
        assertThat(lines.get(2)).startsWith("0@1 ").contains(source + "-0@42", "installer-service",
                "IllegalStateException: unknown fingerprint");
        assertThat(lines.get(3)).isEqualTo("2 dead letter(s) in " + source + ".dlq");

        // The DLQ's own name works as well.
        assertThat(run("dlq", "replay", source + ".dlq", "--bootstrap-servers", bootstrap)).isZero();
        assertThat(out()).isEqualTo("replayed 2 dead letter(s) from " + source + ".dlq (2 to " + source
                + ") and removed them from " + source + ".dlq\n");
        List<ConsumerRecord<byte[], byte[]>> replayed = readAll(source, 2);
        assertThat(replayed).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("garbage one", "garbage two");
        assertThat(replayed).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("k1", "k2");
        assertThat(new String(replayed.get(1).headers().lastHeader(DlqCommand.REPLAYED_FROM).value(),
                StandardCharsets.UTF_8)).isEqualTo(source + ".dlq-0@1");

        assertThat(run("dlq", "list", source, "--bootstrap-servers", bootstrap)).isZero();
        assertThat(out()).isEqualTo(source + ".dlq: no dead letters\n");
        assertThat(run("dlq", "replay", source, "--bootstrap-servers", bootstrap)).isZero();
        assertThat(out()).isEqualTo(source + ".dlq is empty: nothing to replay\n");
    }

    @Test
    void aTopicWithoutADlqIsABadUsageNamingIt() {
        assertThat(run("dlq", "list", "no-such-" + source, "--bootstrap-servers", bootstrap)).isEqualTo(Main.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no topic no-such-" + source + ".dlq");
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
