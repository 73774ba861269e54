package dev.meshfleet.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void theHeadersOfADeadLetterReadBackAsItsSourceErrorAndService() {
        ProducerRecord<byte[], byte[]> written = DeadLetters.of("meshfleet.spec-changes.dlq", "meshfleet.spec-changes",
                3, 17, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2},
                new IllegalStateException("outer", new IllegalArgumentException("inner")), "translator-service");
        ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>(written.topic(), 0, 5, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 1, 2, written.key(), written.value(), written.headers(), java.util.Optional.empty());

        DeadLetter letter = DeadLetter.from(read);

        assertThat(letter.topic()).isEqualTo("meshfleet.spec-changes.dlq");
        assertThat(letter.offset()).isEqualTo(5);
        assertThat(letter.time()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(letter.sourceTopic()).isEqualTo("meshfleet.spec-changes");
        assertThat(letter.sourcePartition()).isEqualTo(3);
        assertThat(letter.sourceOffset()).isEqualTo(17);
        assertThat(letter.error()).isEqualTo("outer <- inner");
        assertThat(letter.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(letter.service()).isEqualTo("translator-service");
        assertThat(letter.value()).containsExactly(1, 2);
        assertThat(letter.replayTopic(".dlq")).isEqualTo("meshfleet.spec-changes");
    }

    @Test
    void aRecordWrittenToADlqByHandHasEmptyHeadersAndReplaysToTheTopicTheDlqIsNamedAfter() {
        ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>("meshfleet.install-plans.dlq", 0, 0, 0L,
                TimestampType.CREATE_TIME, 0, 0, null, new byte[] {9}, new RecordHeaders(), java.util.Optional.empty());

        DeadLetter letter = DeadLetter.from(read);

        assertThat(letter.sourceTopic()).isEmpty();
        assertThat(letter.sourceOffset()).isEqualTo(-1);
        assertThat(letter.service()).isEmpty();
        assertThat(letter.replayTopic(".dlq")).isEqualTo("meshfleet.install-plans");
    }

    @Test
    void aCauseTheMessageAlreadyQuotesIsNotRepeated() {
        IllegalStateException quoted = new IllegalStateException("Unrecognized header bytes: 0x7B 0x22");
        RuntimeException wrapper = new RuntimeException("cannot decode SpecChange: " + quoted, quoted);
        assertThat(DeadLetters.describe(wrapper)).isEqualTo(
                "cannot decode SpecChange: java.lang.IllegalStateException: Unrecognized header bytes: 0x7B 0x22");
    }
}
