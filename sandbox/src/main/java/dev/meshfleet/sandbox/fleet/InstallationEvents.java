package dev.meshfleet.sandbox.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import dev.meshfleet.sandbox.faults.Resumption;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;

/**
 * Reads the installation-events topic after the fact, outside any consumer group: which replica sent an event
 * about which cluster when (the record timestamp is the installer's send time).
 */
public final class InstallationEvents {

    private InstallationEvents() {
    }

    /** The first event whose source is {@code installer/<replicaId>} with a timestamp at or after {@code since}. */
    public static Optional<Instant> firstFrom(String bootstrapServers, String replicaId, Instant since) {
        String source = "installer/" + replicaId;
        return sentSince(bootstrapServers, since).stream().filter(e -> e.source().equals(source))
                .map(Resumption.Event::at).min(Instant::compareTo);
    }

    /** Every installation event with a timestamp at or after {@code since}: who sent it, about which cluster, when. */
    public static List<Resumption.Event> sentSince(String bootstrapServers, Instant since) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<Resumption.Event> sent = new ArrayList<>();
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
                return sent;
            }
            consumer.assign(read);
            read.forEach(tp -> consumer.seek(tp, from.get(tp).offset()));
            Map<TopicPartition, Long> end = consumer.endOffsets(read, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, InstallationEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && r.timestamp() >= since.toEpochMilli()) {
                        sent.add(new Resumption.Event(String.valueOf(r.value().getSource()),
                                String.valueOf(r.value().getCluster()), Instant.ofEpochMilli(r.timestamp())));
                    }
                }
            }
            return sent;
        }
    }
}
