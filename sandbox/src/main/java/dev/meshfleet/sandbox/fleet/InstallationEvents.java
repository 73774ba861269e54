package dev.meshfleet.sandbox.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;

/**
 * Reads the installation-events topic after the fact, outside any consumer group: when did an installer
 * replica send its first event since an instant (the record timestamp is the installer's send time).
 */
public final class InstallationEvents {

    private InstallationEvents() {
    }

    /** The first event whose source is {@code installer/<replicaId>} with a timestamp at or after {@code since}. */
    public static Optional<Instant> firstFrom(String bootstrapServers, String replicaId, Instant since) {
        String source = "installer/" + replicaId;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, InstallationEvent> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                AvroSerde.of(InstallationEvent.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INSTALLATION_EVENTS, Duration.ofSeconds(30))
                    .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
            List<TopicPartition> read = from.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                    .toList();
            if (read.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(read);
            read.forEach(tp -> consumer.seek(tp, from.get(tp).offset()));
            Map<TopicPartition, Long> end = consumer.endOffsets(read, Duration.ofSeconds(30));
            Instant first = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, InstallationEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && source.equals(String.valueOf(r.value().getSource()))
                            && r.timestamp() >= since.toEpochMilli()
                            && (first == null || r.timestamp() < first.toEpochMilli())) {
                        first = Instant.ofEpochMilli(r.timestamp());
                    }
                }
            }
            return Optional.ofNullable(first);
        }
    }
}
