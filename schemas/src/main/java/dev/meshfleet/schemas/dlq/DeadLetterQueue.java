package dev.meshfleet.schemas.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.meshfleet.schemas.KafkaClientSettings;

/**
 * Reads a DLQ as it is now: every dead letter from the beginning up to the end offsets at the time of the
 * call, without a consumer group (nothing is committed, nobody else's position moves). For the
 * {@code dlq} command, the sandbox's fault report and the tests.
 */
public final class DeadLetterQueue {

    private DeadLetterQueue() {
    }

    /**
     * @throws IllegalArgumentException when the topic does not exist
     * @throws IllegalStateException when the records up to the end offsets cannot be read within the timeout
     */
    public static List<DeadLetter> read(String bootstrapServers, String topic, Duration timeout) {
        return read(KafkaClientSettings.bootstrap(bootstrapServers), topic, timeout);
    }

    /** As {@link #read(String, String, Duration)} with these Kafka client settings (a secured listener's). */
    public static List<DeadLetter> read(KafkaClientSettings kafka, String topic, Duration timeout) {
        Properties p = kafka.forClient("dead-letter reader", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshfleet-dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("no topic " + topic);
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, timeout);
            List<DeadLetter> letters = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> c.position(tp, timeout) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic + " up to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        letters.add(DeadLetter.from(r));
                    }
                }
            }
            letters.sort(Comparator.comparingInt(DeadLetter::partition).thenComparingLong(DeadLetter::offset));
            return letters;
        }
    }
}
