package dev.meshfleet.schemas.dlq;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.meshfleet.schemas.Topics;

/**
 * Kafka Streams handler for both a record that cannot be decoded ({@code deserialization.exception.handler})
 * and one whose processing threw ({@code processing.exception.handler}, KIP-1033): the record's source bytes
 * go to the DLQ, confirmed by the broker, and the topology goes on with the next record. If the dead letter
 * cannot be written the handler answers FAIL: the stream thread stops rather than lose the record silently.
 *
 * <p>A record of one of the application's internal topics (a repartition topic, whose name starts with the
 * application id) goes to the DLQ of {@link #INPUT_TOPIC_CONFIG}, the input it was derived from; its source
 * header still names the internal topic, so a replay writes it back there.
 */
public class StreamsDeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** The service named in the dead letters' {@link DeadLetters#SERVICE} header (default: the application id). */
    public static final String SERVICE_CONFIG = "meshfleet.dlq.service";
    /** The input topic whose DLQ takes dead letters of internal topics and of punctuations. */
    public static final String INPUT_TOPIC_CONFIG = "meshfleet.dlq.input-topic";

    private static final Logger LOG = LoggerFactory.getLogger(StreamsDeadLetterHandler.class);
    private static final Map<String, KafkaProducer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();
    private Map<String, Object> producerConfigs = Map.of();
    private String service = "streams";
    private String internalPrefix = "";
    private String inputTopic = "";

    @Override
    public void configure(Map<String, ?> configs) {
        Object appId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (appId != null) {
            service = appId.toString();
            internalPrefix = appId + "-";
        }
        if (configs.get(SERVICE_CONFIG) != null) {
            service = configs.get(SERVICE_CONFIG).toString();
        }
        if (configs.get(INPUT_TOPIC_CONFIG) != null) {
            inputTopic = configs.get(INPUT_TOPIC_CONFIG).toString();
        }
        producerConfigs = producerConfigs(configs, service);
    }

    /**
     * The dead-letter producer's settings from the application's Streams settings, as Streams makes its own
     * producer's: every producer setting given unprefixed (bootstrap servers and the user's {@code kafka.*} client
     * settings: security protocol, SASL, TLS), then those under {@code producer.}, then acks=all, idempotence and
     * a client id of its own.
     */
    static Map<String, Object> producerConfigs(Map<String, ?> streamsConfigs, String service) {
        Map<String, Object> props = new HashMap<>();
        streamsConfigs.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        streamsConfigs.forEach((key, value) -> {
            if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)
                    && ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()))) {
                props.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), value);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-dlq");
        return props;
    }

    /**
     * Kafka Streams makes a handler per task (dozens per process), so they share one producer per service and
     * broker, made at the first dead letter and kept for the life of the process (its I/O thread is a daemon).
     */
    private KafkaProducer<byte[], byte[]> producer() {
        return PRODUCERS.computeIfAbsent(service + "|" + producerConfigs.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                k -> new KafkaProducer<>(producerConfigs, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        boolean sent = send(DeadLetters.of(deadLetterTopic(record.topic()), record.topic(), record.partition(),
                record.offset(), record.key(), record.value(), exception, service), "undecodable record", null);
        return sent ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String topic = context.topic() == null ? "" : context.topic();
        // Processing threw: a bug of ours or an input we did not foresee; the stack trace is worth its lines.
        boolean sent = send(DeadLetters.of(deadLetterTopic(topic), topic, context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), exception, service),
                "record that failed in " + context.processorNodeId() + ",", exception);
        return sent ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    /** {@code <topic>.dlq}; for an internal topic (or none, a punctuation) the DLQ of the configured input. */
    String deadLetterTopic(String topic) {
        boolean internal = topic.isEmpty() || !internalPrefix.isEmpty() && topic.startsWith(internalPrefix);
        return Topics.dlq(internal && !inputTopic.isEmpty() ? inputTopic : topic);
    }

    private boolean send(ProducerRecord<byte[], byte[]> deadLetter, String what, Exception trace) {
        DeadLetter letter = DeadLetter.headersOf(deadLetter);
        String source = letter.sourceTopic() + "-" + letter.sourcePartition() + "@" + letter.sourceOffset();
        try {
            producer().send(deadLetter).get(30, TimeUnit.SECONDS);
            if (trace == null) {
                LOG.warn("{} {} sent to {}: {}", what, source, deadLetter.topic(), letter.error());
            } else {
                LOG.warn("{} {} sent to {}: {}", what, source, deadLetter.topic(), letter.error(), trace);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while writing the dead letter of {} to {}", source, deadLetter.topic());
            return false;
        } catch (Exception e) {
            LOG.error("cannot write the dead letter of {} to {}; the stream stops rather than lose it", source,
                    deadLetter.topic(), e);
            return false;
        }
    }
}
