package dev.meshfleet.schemas.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The dead-letter producer of a Streams service reaches a secured broker as the Streams clients do. */
class StreamsDeadLetterHandlerTest {

    @Test
    void theDeadLetterProducerGetsTheApplicationsClientSettingsAndNoStreamsSetting() {
        Map<String, Object> streams = Map.of(
                "application.id", "meshfleet-translator",
                "bootstrap.servers", "kafka:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "processing.guarantee", "exactly_once_v2",
                "num.stream.threads", 2,
                "producer.compression.type", "zstd",
                "consumer.session.timeout.ms", 20000);
        assertThat(StreamsDeadLetterHandler.producerConfigs(streams, "translator-service")).containsOnly(
                Map.entry("bootstrap.servers", "kafka:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"),
                Map.entry("compression.type", "zstd"),
                Map.entry("acks", "all"),
                Map.entry("enable.idempotence", true),
                Map.entry("client.id", "translator-service-dlq"));
    }

    @Test
    void theDeadLetterProducersOwnSettingsWinOverTheApplications() {
        Map<String, Object> streams = Map.of("bootstrap.servers", "kafka:9093", "acks", "1",
                "producer.enable.idempotence", false, "client.id", "someone");
        assertThat(StreamsDeadLetterHandler.producerConfigs(streams, "status-aggregator"))
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("client.id", "status-aggregator-dlq");
    }
}
