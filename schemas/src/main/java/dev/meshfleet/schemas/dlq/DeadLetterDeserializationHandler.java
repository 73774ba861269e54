package dev.meshfleet.schemas.dlq;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams handler that sends an undecodable input record to {@code <topic>.dlq} and lets the
 * topology go on. If the dead letter cannot be written, the stream fails rather than lose the
 * record silently.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private KafkaProducer<byte[], byte[]> producer;
    private String consumer = "streams";

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, configs.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-dlq");
        Object appId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (appId != null) {
            consumer = appId.toString();
        }
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        try {
            producer.send(DeadLetters.of(record, exception, consumer)).get(30, TimeUnit.SECONDS);
            LOG.warn("undecodable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(),
                    record.offset(), record.topic() + ".dlq", DeadLetters.describe(exception));
            return DeserializationHandlerResponse.CONTINUE;
        } catch (Exception e) {
            LOG.error("cannot write dead letter for {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return DeserializationHandlerResponse.FAIL;
        }
    }
}
