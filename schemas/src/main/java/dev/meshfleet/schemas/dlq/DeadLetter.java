package dev.meshfleet.schemas.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One dead letter as read back from a DLQ: where it sits, when it was written, where it came from and why.
 * A header that is missing (a record someone wrote to the DLQ by hand) reads as empty, a missing source
 * position as -1.
 */
public record DeadLetter(String topic, int partition, long offset, Instant time, String sourceTopic,
        int sourcePartition, long sourceOffset, String error, String errorClass, String service, byte[] key,
        byte[] value) {

    public static DeadLetter from(ConsumerRecord<byte[], byte[]> r) {
        return of(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.headers(), r.key(),
                r.value());
    }

    /** A dead letter about to be written (no position or time yet: -1 and the epoch). */
    public static DeadLetter headersOf(ProducerRecord<byte[], byte[]> r) {
        return of(r.topic(), -1, -1, Instant.EPOCH, r.headers(), r.key(), r.value());
    }

    private static DeadLetter of(String topic, int partition, long offset, Instant time, Headers h, byte[] key,
            byte[] value) {
        return new DeadLetter(topic, partition, offset, time, text(h, DeadLetters.SOURCE_TOPIC),
                (int) number(h, DeadLetters.SOURCE_PARTITION), number(h, DeadLetters.SOURCE_OFFSET),
                text(h, DeadLetters.ERROR), text(h, DeadLetters.ERROR_CLASS), text(h, DeadLetters.SERVICE), key, value);
    }

    /** The topic a replay writes the record back to: the source header, else the DLQ's name without its suffix. */
    public String replayTopic(String dlqSuffix) {
        if (!sourceTopic.isEmpty()) {
            return sourceTopic;
        }
        return topic.endsWith(dlqSuffix) ? topic.substring(0, topic.length() - dlqSuffix.length()) : topic;
    }

    private static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name) {
        try {
            return Long.parseLong(text(headers, name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
