package dev.meshfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.dlq.DeadLetterQueue;

/**
 * Records no Meshfleet consumer can decode, of the two kinds a real topic gets: garbage bytes (a client
 * that writes JSON, a truncated write), and a well-formed Avro single-object encoding whose writer schema
 * fingerprint no released schema has (a producer on a schema that was never released). The sandbox's
 * {@code --poison} and the services' tests write them.
 */
public final class PoisonRecords {
    /** A schema that is none of ours, so its fingerprint is unknown to every decoder. */
    private static final Schema UNKNOWN = SchemaBuilder.record("NeverReleased").namespace("dev.meshfleet.poison")
            .fields().requiredString("text").endRecord();

    private PoisonRecords() {
    }

    /** The i-th poison value: even i garbage, odd i an unknown fingerprint (half of each in a run of n). */
    public static byte[] value(int i) {
        return i % 2 == 0 ? garbage(i) : unknownFingerprint(i);
    }

    public static byte[] garbage(int i) {
        return ("{\"not\": \"avro\", \"poison\": " + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] unknownFingerprint(int i) {
        GenericRecord record = new GenericData.Record(UNKNOWN);
        record.put("text", "poison " + i);
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), UNKNOWN).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String key(int i) {
        return "poison-" + i;
    }

    /** Where a poison record landed. */
    public record Written(String topic, int partition, long offset) {
    }

    /** Writes n poison records ({@link #value}) to the topic, confirmed by the broker; returns where each landed. */
    public static List<Written> write(String bootstrapServers, String topic, int n) {
        return write(KafkaClientSettings.bootstrap(bootstrapServers), topic, n);
    }

    /** As {@link #write(String, String, int)} with these Kafka client settings (a secured listener's). */
    public static List<Written> write(KafkaClientSettings kafka, String topic, int n) {
        Properties p = kafka.forClient("poison producer", Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        List<Written> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(i).getBytes(StandardCharsets.UTF_8), value(i))));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get(30, TimeUnit.SECONDS);
                written.add(new Written(m.topic(), m.partition(), m.offset()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing poison to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write poison to " + topic + ": " + e.getMessage(), e);
        }
        return written;
    }

    /**
     * For each written record, in order, the first dead letter that names it as its source, or null where none
     * does (a re-reading consumer may have dead-lettered a record more than once).
     */
    public static List<DeadLetter> deadLettersOf(List<Written> written, List<DeadLetter> deadLetters) {
        Map<Written, DeadLetter> bySource = new HashMap<>();
        for (DeadLetter d : deadLetters) {
            bySource.putIfAbsent(new Written(d.sourceTopic(), d.sourcePartition(), d.sourceOffset()), d);
        }
        List<DeadLetter> found = new ArrayList<>();
        written.forEach(w -> found.add(bySource.get(w)));
        return found;
    }

    /**
     * For each written record, in order, its first dead letter in its topic's DLQ, read again every half second
     * until every record has one or {@code timeout} passes (then null where none came): what a test of a
     * consumer's dead letters waits for.
     */
    public static List<DeadLetter> awaitDeadLetters(String bootstrapServers, List<Written> written, Duration timeout)
            throws InterruptedException {
        return awaitDeadLetters(KafkaClientSettings.bootstrap(bootstrapServers), written, timeout);
    }

    /** As {@link #awaitDeadLetters(String, List, Duration)} with these Kafka client settings. */
    public static List<DeadLetter> awaitDeadLetters(KafkaClientSettings kafka, List<Written> written, Duration timeout)
            throws InterruptedException {
        String dlq = Topics.dlq(written.get(0).topic());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<DeadLetter> found = deadLettersOf(written,
                    DeadLetterQueue.read(kafka, dlq, Duration.ofSeconds(10)));
            if (!found.contains(null) || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(500);
        }
    }

    /** How many of the written records have a dead letter naming them as their source (each counted once). */
    public static long deadLettered(List<Written> written, List<DeadLetter> deadLetters) {
        return deadLettersOf(written, deadLetters).stream().filter(java.util.Objects::nonNull).count();
    }
}
