package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the topics a service creates, and its Streams internal topics, are replicated (issue 10, item 3). */
class TopicAdminReplicationTest {
    static final TopicAdmin.TopicDefinition PLANS = new TopicAdmin.TopicDefinition("meshfleet.install-plans", 12, true, -1L);

    @Test
    void aCreatedTopicHasTheConfiguredReplicationFactorAndMinInsyncReplicas() {
        NewTopic topic = PLANS.toNewTopic(TopicAdmin.Replication.of((short) 3, Optional.of(2)));
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.numPartitions()).isEqualTo(12);
        assertThat(topic.configs()).containsOnly(Map.entry("cleanup.policy", "compact"), Map.entry("retention.ms", "-1"),
                Map.entry("min.insync.replicas", "2"));
    }

    @Test
    void withoutMinInsyncReplicasTheTopicKeepsTheBrokersDefault() {
        NewTopic topic = PLANS.toNewTopic(TopicAdmin.Replication.SANDBOX);
        assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        assertThat(topic.configs()).doesNotContainKey("min.insync.replicas");
    }

    @ParameterizedTest(name = "factor {0}, min.insync.replicas {1}")
    @CsvSource({"0, -1", "-1, -1", "1, 2", "3, 4", "3, 0"})
    void anImpossibleReplicationIsRefusedAtStartup(short factor, int minInsync) {
        OptionalInt min = minInsync < 0 ? OptionalInt.empty() : OptionalInt.of(minInsync);
        assertThatThrownBy(() -> new TopicAdmin.Replication(factor, min)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "factor {0}, min.insync.replicas {1}")
    @CsvSource({"1, 1", "3, 1", "3, 2", "3, 3"})
    void aPossibleReplicationIsTaken(short factor, int minInsync) {
        assertThat(new TopicAdmin.Replication(factor, OptionalInt.of(minInsync)).minInsyncReplicas()).hasValue(minInsync);
    }

    @Test
    void streamsInternalTopicsGetTheSameReplication() {
        Properties p = StreamsSettings.base("svc", "in", "app", "kafka:9092", "/tmp/state", 100,
                TopicAdmin.Replication.of((short) 3, Optional.of(2)));
        assertThat(p).containsEntry("replication.factor", 3).containsEntry("topic.min.insync.replicas", 2);
        Properties sandbox = StreamsSettings.base("svc", "in", "app", "kafka:9092", "/tmp/state", 100,
                TopicAdmin.Replication.SANDBOX);
        assertThat(sandbox).containsEntry("replication.factor", 1).doesNotContainKey("topic.min.insync.replicas");
    }

    @Test
    void aStreamsInstanceGetsTheUsersClientSettingsUnderItsOwn() {
        KafkaClientSettings kafka = KafkaClientSettings.of(Map.of("bootstrap.servers", "kafka:9093",
                "security.protocol", "SASL_SSL", "processing.guarantee", "at_least_once"));
        Properties own = StreamsSettings.base("svc", "in", "app", kafka.bootstrapServers(), "/tmp/state", 100,
                TopicAdmin.Replication.SANDBOX);
        own.put("processing.guarantee", "exactly_once_v2");
        Properties streams = StreamsSettings.withClientSettings(kafka, "svc streams", own);
        assertThat(streams).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("application.id", "app");
    }
}
