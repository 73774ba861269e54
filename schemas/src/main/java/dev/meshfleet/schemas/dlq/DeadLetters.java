package dev.meshfleet.schemas.dlq;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.meshfleet.schemas.Topics;

/**
 * Builds the dead-letter record for an input record that could not be decoded or processed: the
 * original key and value bytes, unchanged, on {@code <topic>.dlq}, with the reason, the origin and the
 * service that gave up on it in headers. {@link DeadLetter#from} reads them back.
 */
public final class DeadLetters {
    public static final String ERROR = "meshfleet.error";
    public static final String ERROR_CLASS = "meshfleet.error.class";
    public static final String SOURCE_TOPIC = "meshfleet.source.topic";
    public static final String SOURCE_PARTITION = "meshfleet.source.partition";
    public static final String SOURCE_OFFSET = "meshfleet.source.offset";
    /** The service that could not handle the record: spec-intake, translator-service, installer-service, status-aggregator. */
    public static final String SERVICE = "meshfleet.service";

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> record, Throwable error,
            String service) {
        return of(Topics.dlq(record.topic()), record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), error, service);
    }

    /**
     * @param deadLetterTopic where the dead letter goes: {@code <source>.dlq}, or for a record of a Kafka Streams
     *        internal topic the DLQ of the input it came from
     */
    public static ProducerRecord<byte[], byte[]> of(String deadLetterTopic, String topic, int partition, long offset,
            byte[] key, byte[] value, Throwable error, String service) {
        Headers headers = new RecordHeaders();
        headers.add(ERROR, utf8(describe(error)));
        headers.add(ERROR_CLASS, utf8(error == null ? "" : error.getClass().getName()));
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        headers.add(SERVICE, utf8(service));
        return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }

    /** The error and its causes on one line, for the header and the log; a cause the text already quotes is left out. */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) >= 0) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(message);
        }
        return text.toString();
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
