package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.testkit.SecuredKafka;

/**
 * Issue 10, item 3: the four services against a broker whose only client listener is SASL (PLAIN), given the
 * credentials as a user gives them: the protocol and mechanism as {@code kafka.*} properties, the JAAS line (a
 * Secret) as the environment variable {@code KAFKA_SASL_JAAS_CONFIG}.
 */
class SaslKafkaIT {
    static final String USER = "meshfleet";
    static final String PASSWORD = "sasl-secret-" + UUID.randomUUID();

    @Test
    void thePipelineRunsOnASaslListenerWithTheKafkaSettingsAndAClientWithoutTheCredentialsIsRefused() throws Exception {
        try (SecuredKafka kafka = SecuredKafka.saslPlain(USER, PASSWORD)) {
            Map<String, String> credentials = kafka.clientProperties();
            String bootstrap = kafka.bootstrapServers();
            // The broker refuses a client without the settings, and one with a wrong password; it serves one with them.
            // (a plaintext client's requests are dropped during the SASL handshake: it never gets an answer)
            assertThat(SecuredPipeline.refused(bootstrap, Map.of())).isInstanceOf(TimeoutException.class);
            Map<String, String> wrongPassword = new java.util.HashMap<>(credentials);
            wrongPassword.put("sasl.jaas.config", credentials.get("sasl.jaas.config").replace(PASSWORD, "not-it"));
            assertThat(SecuredPipeline.refused(bootstrap, wrongPassword)).isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Invalid username or password");
            assertThat(SecuredPipeline.listTopics(bootstrap, credentials)).doesNotContain(Topics.SPEC_CHANGES);

            try (SecuredPipeline fleet = SecuredPipeline.start("sasl", kafka,
                    Map.of("security.protocol", credentials.get("security.protocol"),
                            "sasl.mechanism", credentials.get("sasl.mechanism")),
                    Map.of("KAFKA_SASL_JAAS_CONFIG", credentials.get("sasl.jaas.config")))) {
                fleet.assertEveryClientReachesTheBroker(bootstrap, credentials);
                fleet.assertLogsNameTheSettingsButNever(PASSWORD, "sasl.jaas.config=[hidden]", "sasl.mechanism=PLAIN",
                        "security.protocol=SASL_PLAINTEXT");
            }
        }
    }
}
