package dev.meshfleet.intake.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Writes SpecChange records synchronously: the worker only marks a change as published once the
 * broker has acknowledged it to all in-sync replicas, so a Kafka outage re-queues the key instead of
 * losing the change.
 */
public final class SpecChangePublisher implements AutoCloseable {
    /** Bounds one send so that a worker gives the key back to the queue's backoff instead of hanging. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, SpecChange> producer;
    private final String topic;

    public SpecChangePublisher(Producer<String, SpecChange> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * A producer with the user's kafka.* client settings and, over them, what publishing relies on: acks=all and
     * idempotence (a change is never lost or written twice), and timeouts within the wait of {@link #publish}.
     */
    public static SpecChangePublisher create(KafkaClientSettings kafka, String topic) {
        var props = kafka.forClient("spec-intake producer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "spec-intake",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0));
        KafkaProducer<String, SpecChange> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(SpecChange.class).serializer());
        return new SpecChangePublisher(producer, topic);
    }

    /** Returns once the record is acknowledged; throws {@link PublishFailed} otherwise. */
    public void publish(String key, SpecChange change) {
        try {
            producer.send(new ProducerRecord<>(topic, key, change))
                    .get(DELIVERY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailed(topic, e);
        } catch (ExecutionException e) {
            throw new PublishFailed(topic, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new PublishFailed(topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Kafka did not take the record; always worth retrying later. */
    public static final class PublishFailed extends RuntimeException {
        PublishFailed(String topic, Throwable cause) {
            super("cannot publish to " + topic + ": " + cause, cause);
        }
    }
}
