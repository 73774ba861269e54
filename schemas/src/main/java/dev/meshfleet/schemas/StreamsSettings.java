package dev.meshfleet.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import dev.meshfleet.schemas.dlq.StreamsDeadLetterHandler;

/**
 * The Kafka Streams settings every Meshfleet topology runs with: at-least-once (every record is
 * idempotent to process twice), a short commit interval so statuses move quickly, idempotent
 * producers with acks=all, and a record that cannot be decoded or whose processing throws sent to the
 * dead-letter topic ({@link StreamsDeadLetterHandler}) while the topology goes on, and the RocksDB stores of the
 * JVM held to one native memory budget ({@link BoundedRocksDb}). A service adds only
 * what is its own, and {@link #withClientSettings} lays it all over the user's {@code kafka.*} client settings.
 */
public final class StreamsSettings {
    private StreamsSettings() {
    }

    /**
     * @param service    named in every dead letter's header
     * @param inputTopic the input whose DLQ takes dead letters of the topology's internal topics
     */
    public static Properties base(String service, String inputTopic, String applicationId, String bootstrapServers,
            String stateDir, long commitIntervalMs, TopicAdmin.Replication replication) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
        replication.minInsyncReplicas().ifPresent(m -> p.put(
                StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), m));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetterHandler.class);
        p.put(StreamsDeadLetterHandler.SERVICE_CONFIG, service);
        p.put(StreamsDeadLetterHandler.INPUT_TOPIC_CONFIG, inputTopic);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        return p;
    }

    /**
     * Group membership of a topology's consumers: static when {@code groupInstanceId} is given (Streams suffixes it
     * per stream thread), the session timeout after which a silent instance's tasks move (ADR 0011), and a heartbeat
     * every second ({@link GroupHeartbeat}).
     */
    public static Properties membership(Properties p, Optional<String> groupInstanceId, Duration sessionTimeout) {
        groupInstanceId.filter(id -> !id.isBlank())
                .ifPresent(id -> p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeout.toMillis());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                GroupHeartbeat.intervalMillis(sessionTimeout));
        return p;
    }

    /**
     * What the KafkaStreams instance is built with: the user's {@code kafka.*} client settings (unprefixed, so
     * Streams hands them to every client it makes: consumers, producers, admin), the service's own on top
     * ({@link KafkaClientSettings#forClient}, which logs the user's keys they replace).
     */
    public static Properties withClientSettings(KafkaClientSettings kafka, String client, Properties own) {
        Map<String, Object> ownByName = new LinkedHashMap<>();
        own.forEach((k, v) -> ownByName.put(k.toString(), v));
        return kafka.forClient(client, ownByName);
    }
}
