package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which configuration keys reach the Kafka clients, and which of them a client's own settings replace. The
 * expectations are Quarkus' convention (a {@code kafka.} key is a client property) and Kafka's client
 * configuration names, written out here.
 */
class KafkaClientSettingsTest {
    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"meshfleet\" password=\"s3cret-jaas\";";

    static KafkaClientSettings read(Map<String, String> config) {
        return KafkaClientSettings.from(config.keySet(), name -> Optional.ofNullable(config.get(name)));
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // a kafka.-prefixed property is a client property, the prefix taken off
            "kafka.security.protocol          | SASL_SSL   | security.protocol",
            "kafka.sasl.mechanism             | SCRAM-SHA-512 | sasl.mechanism",
            "kafka.ssl.truststore.location    | /etc/kafka/ca.p12 | ssl.truststore.location",
            "kafka.bootstrap.servers          | kafka:9093 | bootstrap.servers",
            // any key, not only the clients' own: a Streams setting or a plug-in's passes too
            "kafka.num.stream.threads         | 2          | num.stream.threads",
            "kafka.producer.linger.ms         | 20         | producer.linger.ms",
            // Quarkus lower-cases the key
            "KAFKA.SECURITY.PROTOCOL          | SSL        | security.protocol",
            // an environment variable of a Kafka client configuration
            "KAFKA_SECURITY_PROTOCOL          | SASL_SSL   | security.protocol",
            "KAFKA_SASL_JAAS_CONFIG           | x          | sasl.jaas.config",
            "KAFKA_SSL_KEYSTORE_PASSWORD      | x          | ssl.keystore.password",
            // Kubernetes' service links of a Service named kafka are no client settings
            "KAFKA_PORT                       | tcp://10.0.0.1:9092 | -",
            "KAFKA_SERVICE_HOST               | 10.0.0.1   | -",
            "KAFKA_PORT_9092_TCP_ADDR         | 10.0.0.1   | -",
            // nor the image's own variables
            "KAFKA_HOME                       | /opt/kafka | -",
            // other prefixes are not Kafka's
            "kafka-streams.num.stream.threads | 2          | -",
            "quarkus.kafka.health.enabled     | true       | -",
            "meshfleet.installer.group-id     | g          | -",
            "kafka.                           | x          | -",
            // a blank value is no setting (an unset Helm value)
            "kafka.sasl.jaas.config           | ' '        | -",
            "KAFKA_SASL_MECHANISM             | ''         | -",
    })
    void aConfigurationKeyIsAKafkaClientPropertyByQuarkusConvention(String name, String value, String clientKey) {
        KafkaClientSettings settings = read(Map.of(name, value));
        if (clientKey == null) {
            assertThat(settings.user()).isEmpty();
        } else {
            assertThat(settings.user()).containsExactly(Map.entry(clientKey, value));
        }
    }

    @Test
    void aPropertyWinsOverTheEnvironmentVariableOfTheSameKeyWhateverTheOrder() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        config.put("kafka.security.protocol", "SASL_SSL");
        assertThat(read(config).user()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("kafka.security.protocol", "SASL_SSL");
        reversed.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        assertThat(read(reversed).user()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
    }

    @Test
    void theBootstrapServersDefaultToALocalBrokerAsKafkasToolsDo() {
        assertThat(read(Map.of()).bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(read(Map.of("kafka.bootstrap.servers", "kafka:9093")).bootstrapServers()).isEqualTo("kafka:9093");
    }

    @Test
    void everyUserPropertyReachesTheClientAndTheClientsOwnSettingsWin() {
        KafkaClientSettings settings = read(Map.of("kafka.bootstrap.servers", "kafka:9093",
                "kafka.security.protocol", "SASL_SSL", "kafka.sasl.jaas.config", JAAS,
                "kafka.acks", "1", "kafka.linger.ms", "50"));
        Map<String, Object> client = settings.with(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 50));
        assertThat(client).containsOnly(Map.entry("bootstrap.servers", "kafka:9093"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.jaas.config", JAAS),
                Map.entry("acks", "all"), Map.entry("enable.idempotence", true), Map.entry("linger.ms", 50));
        // acks is replaced with another value; linger.ms is set by both, to the same value: nothing to report
        assertThat(settings.ignoredBy(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 50)))
                .containsExactly("acks");
    }

    @Test
    void withoutBootstrapServersTheClientGetsTheDefault() {
        assertThat(read(Map.of()).with(Map.of())).containsOnly(Map.entry("bootstrap.servers", "localhost:9092"));
    }

    /**
     * The services' required settings (README, "Kafka client settings"): each row a user key, the setting a
     * client of ours makes, and whether the user's value is then ignored.
     */
    @ParameterizedTest(name = "user {0}={1}, service {2}={3} -> ignored {4}")
    @CsvSource(delimiter = '|', value = {
            // translator: exactly once, whatever kafka.processing.guarantee says
            "processing.guarantee | at_least_once | processing.guarantee | exactly_once_v2 | true",
            // installer: its own group (meshfleet.installer.group-id), never committing offsets
            "group.id             | other         | group.id             | meshfleet-installer | true",
            "enable.auto.commit   | true          | enable.auto.commit   | false           | true",
            // a Streams instance: producer.acks replaces a plain acks for its producer
            "acks                 | 1             | producer.acks        | all             | true",
            "session.timeout.ms   | 45000         | consumer.session.timeout.ms | 20000    | true",
            "session.timeout.ms   | 45000         | main.consumer.session.timeout.ms | 20000 | true",
            // the same value is no conflict
            "acks                 | all           | producer.acks        | all             | false",
            // a key the service does not set is the user's
            "security.protocol    | SASL_SSL      | acks                 | all             | false",
            "fetch.max.bytes      | 1048576       | producer.acks        | all             | false",
    })
    void aClientsOwnSettingReplacesTheUsersKey(String userKey, String userValue, String ownKey, String ownValue,
            boolean ignored) {
        KafkaClientSettings settings = KafkaClientSettings.of(Map.of(userKey, userValue));
        assertThat(settings.ignoredBy(Map.of(ownKey, ownValue)).contains(userKey)).isEqualTo(ignored);
    }

    @Test
    void describeNeverShowsASecretValue() {
        KafkaClientSettings settings = KafkaClientSettings.of(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "ssl.truststore.password", "s3cret-truststore",
                "ssl.keystore.password", "s3cret-keystore",
                "ssl.key.password", "s3cret-key",
                "some.plugin.token", "s3cret-plugin"));
        String described = settings.describe();
        assertThat(described).isEqualTo("sasl.jaas.config=[hidden], sasl.mechanism=SCRAM-SHA-512,"
                + " security.protocol=SASL_SSL, some.plugin.token=[hidden], ssl.key.password=[hidden],"
                + " ssl.keystore.password=[hidden], ssl.truststore.location=/etc/kafka/ca.p12,"
                + " ssl.truststore.password=[hidden]");
        assertThat(described).doesNotContain("s3cret");
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void theEnvironmentVariablesReadAreTheKafkaClientsConfigurationNames() {
        // Kafka's own names, not a list of ours: a new client configuration is read without a change here
        assertThat(KafkaClientSettings.clientConfigNames()).contains("security.protocol", "sasl.jaas.config",
                "sasl.mechanism", "ssl.keystore.location", "ssl.truststore.password", "bootstrap.servers",
                "sasl.oauthbearer.token.endpoint.url").doesNotContain("port", "home", "service.host");
        for (String name : List.of("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM")) {
            assertThat(read(Map.of(name, "x")).user()).hasSize(1);
        }
    }
}
