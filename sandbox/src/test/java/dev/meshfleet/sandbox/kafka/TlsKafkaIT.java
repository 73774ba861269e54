package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.testkit.SecuredKafka;

/**
 * Issue 10, item 3: the four services against a broker whose only client listener is TLS with client certificates
 * required (mutual TLS, as Strimzi's {@code tls} authentication), given the trust store and key store as
 * {@code kafka.ssl.*} properties.
 */
class TlsKafkaIT {
    static final String STORE_PASSWORD = "tls-secret-" + UUID.randomUUID();

    @TempDir
    Path certificates;

    @Test
    void thePipelineRunsOnATlsListenerWithTheKafkaSettingsAndAClientWithoutACertificateIsRefused() throws Exception {
        try (SecuredKafka kafka = SecuredKafka.tls(certificates, STORE_PASSWORD)) {
            Map<String, String> settings = kafka.clientProperties();
            String bootstrap = kafka.bootstrapServers();
            // Refused: a plaintext client, and a TLS client that trusts the broker but has no certificate of its own.
            assertThat(SecuredPipeline.refused(bootstrap, Map.of())).isInstanceOf(TimeoutException.class);
            Map<String, String> noCertificate = new HashMap<>(settings);
            noCertificate.keySet().removeIf(k -> k.startsWith("ssl.keystore."));
            assertThat(SecuredPipeline.refused(bootstrap, noCertificate)).isInstanceOf(SslAuthenticationException.class);
            assertThat(SecuredPipeline.listTopics(bootstrap, settings)).doesNotContain(Topics.SPEC_CHANGES);

            try (SecuredPipeline fleet = SecuredPipeline.start("tls", kafka, settings, Map.of())) {
                fleet.assertEveryClientReachesTheBroker(bootstrap, settings);
                fleet.assertLogsNameTheSettingsButNever(STORE_PASSWORD, "security.protocol=SSL",
                        "ssl.keystore.password=[hidden]", "ssl.truststore.password=[hidden]");
            }
        }
    }
}
