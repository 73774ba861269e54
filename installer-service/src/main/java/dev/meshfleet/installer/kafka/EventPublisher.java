package dev.meshfleet.installer.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.meshfleet.installer.reconcile.EventSink;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;

/** Installation events to Kafka: key Kind/namespace/name, acks=all, idempotent. */
public class EventPublisher implements EventSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private final KafkaProducer<String, InstallationEvent> producer;
    private final String topic;
    private final Runnable onSent;

    /** The user's kafka.* client settings, and over them acks=all and idempotence: no event lost or doubled. */
    public EventPublisher(KafkaClientSettings kafka, String topic, String clientId, Runnable onSent) {
        var props = kafka.forClient("installer events producer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(InstallationEvent.class));
        this.topic = topic;
        this.onSent = onSent;
    }

    @Override
    public void emit(String key, InstallationEvent event) {
        producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
            if (error != null) {
                // The next resync re-emits every state, so a lost event is repaired, not retried here.
                LOG.warnf("event for %s in %s not sent: %s", key, event.getCluster(), error.toString());
            } else {
                onSent.run();
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
