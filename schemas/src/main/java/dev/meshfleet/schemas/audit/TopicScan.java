package dev.meshfleet.schemas.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;

/**
 * Reads a topic from the start of each partition to its end as of the call (no consumer group, nothing committed),
 * decoding only the records of the keys asked for. One key is read from its partition alone (the producers' default
 * partitioner: murmur2 of the key), which is what keeps one resource's history fast on a topic of a million events.
 * Says, per partition, where retention has dropped records: the time of its first record still there.
 */
public final class TopicScan {
    private final KafkaClientSettings kafka;
    private final Duration timeout;

    public TopicScan(KafkaClientSettings kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** One record as read: its key, partition, offset and decoded value. */
    public record Read<T>(String key, int partition, long offset, T value) {
    }

    /**
     * What a scan found. {@code retainedFrom}: for each partition whose first offset is no longer 0 (retention or
     * deletion dropped records), the time of its first record left, or the time of the scan when none is left.
     */
    public record Scan<T>(List<Read<T>> records, Map<Integer, Instant> retainedFrom, int partitions) {
        /** Where the records of {@code key} still on the topic begin, if retention dropped earlier ones. */
        public Optional<Instant> retainedFrom(String key) {
            return partitions == 0 ? Optional.empty() : Optional.ofNullable(retainedFrom.get(partitionOf(key, partitions)));
        }
    }

    /** The partition the producers' default partitioner gives a String key. */
    public static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** @throws IllegalStateException naming the address when Kafka does not answer within the timeout */
    public void checkReachable() {
        try (Admin admin = Admin.create(kafka.forClient("meshfleet reader", Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within "
                    + timeout.toSeconds() + "s");
        }
    }

    /** Every record of {@code topic} (of {@code onlyKey} alone when given), in offset order per partition. */
    public <V extends SpecificRecord, T> Scan<T> read(String topic, Optional<String> onlyKey, Class<V> type,
            Function<V, T> convert) {
        return read(topic, onlyKey, type, convert, Optional.empty());
    }

    /**
     * The records of every key of {@code topic} appended before each partition's first record stamped {@code until}
     * or later (Kafka's timestamp index, {@code offsetsForTimes}), so that reading stops there instead of at the end.
     * A partition that retention has cut is read to its end, as {@link #read(String, Optional, Class, Function)} does:
     * its later records are what tells which installations lost their earlier events.
     */
    public <V extends SpecificRecord, T> Scan<T> readUntil(String topic, Class<V> type, Function<V, T> convert,
            Instant until) {
        return read(topic, Optional.empty(), type, convert, Optional.of(until));
    }

    private <V extends SpecificRecord, T> Scan<T> read(String topic, Optional<String> onlyKey, Class<V> type,
            Function<V, T> convert, Optional<Instant> until) {
        List<Read<T>> out = new ArrayList<>();
        Map<Integer, Instant> retainedFrom = new TreeMap<>();
        Deserializer<V> values = AvroSerde.of(type).deserializer();
        // A million records name a few thousand keys: one String per key, not per record.
        Map<String, String> keys = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.forClient("meshfleet reader", Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000)), new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return new Scan<>(out, retainedFrom, 0);
            }
            List<TopicPartition> partitions = onlyKey.map(k -> List.of(new TopicPartition(topic,
                    partitionOf(k, infos.size()))))
                    .orElseGet(() -> infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList());
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = new java.util.HashMap<>(consumer.endOffsets(partitions, timeout));
            if (until.isPresent()) {
                Map<TopicPartition, Long> stamps = new java.util.HashMap<>();
                partitions.stream().filter(tp -> begin.get(tp) == 0).forEach(tp -> stamps.put(tp, until.get().toEpochMilli()));
                consumer.offsetsForTimes(stamps, timeout).forEach((tp, first) -> {
                    if (first != null) { // null: no record stamped that late, so the partition is read to its end
                        end.put(tp, Math.min(end.get(tp), first.offset()));
                    }
                });
            }
            consumer.seekToBeginning(partitions);
            Set<Integer> truncatedUnseen = new HashSet<>();
            for (TopicPartition tp : partitions) {
                if (begin.get(tp) > 0) {
                    if (begin.get(tp) >= end.get(tp)) {
                        retainedFrom.put(tp.partition(), Instant.now());
                    } else {
                        truncatedUnseen.add(tp.partition());
                    }
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos() * 30;
            List<TopicPartition> open = new ArrayList<>(partitions.stream().filter(tp -> begin.get(tp) < end.get(tp)).toList());
            // A partition read to where it stops is fetched no more (its later records would be fetched and skipped).
            consumer.pause(partitions.stream().filter(tp -> !open.contains(tp)).toList());
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " at " + kafka.bootstrapServers() + " took"
                            + " longer than " + timeout.multipliedBy(30).toSeconds() + "s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(topic, r.partition()))) {
                        continue;
                    }
                    if (truncatedUnseen.remove(r.partition())) {
                        retainedFrom.put(r.partition(), Instant.ofEpochMilli(r.timestamp()));
                    }
                    if (r.value() != null && (onlyKey.isEmpty() || onlyKey.get().equals(r.key()))) {
                        out.add(new Read<>(keys.computeIfAbsent(r.key(), k -> k), r.partition(), r.offset(), convert.apply(values.deserialize(topic, r.value()))));
                    }
                }
                List<TopicPartition> done = open.stream().filter(tp -> consumer.position(tp, timeout) >= end.get(tp)).toList();
                open.removeAll(done);
                consumer.pause(done);
            }
            return new Scan<>(out, retainedFrom, infos.size());
        }
    }
}
