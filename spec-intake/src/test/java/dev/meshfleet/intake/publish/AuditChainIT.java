package dev.meshfleet.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.meshfleet.intake.admission.AdmissionRequest;
import dev.meshfleet.intake.admission.Admitted;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.audit.TopicScan;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.InProcessKafka;

/**
 * The publishers chain every record to the previous one of its key (docs/adr/0033), against the real broker: the first
 * from the genesis, each next from the one before, across a restart of the intake (fresh heads read from the topic),
 * and per key; before the heads are read nothing is written.
 */
class AuditChainIT {
    private final String bootstrap = InProcessKafka.shared().bootstrapServers();
    private final KafkaClientSettings kafka = KafkaClientSettings.bootstrap(bootstrap);
    private static final String A = "IstioLifecycleManager/gloo-mesh/a";
    private static final String B = "IstioLifecycleManager/gloo-mesh/b";

    private String topic(String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        return topic;
    }

    private static SpecChange change(String name, long generation) {
        return SpecChange.newBuilder().setUid("u-" + name).setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("gloo-mesh").setName(name).setGeneration(generation).setResourceVersion("" + generation)
                .setOperation(Operation.UPSERT).setActor("kubectl").setObservedAt(Instant.ofEpochSecond(generation))
                .setSpecJson("{\"g\":" + generation + "}").build();
    }

    private SpecChangePublisher restartedIntake(String topic) {
        ChainHeads heads = ChainHeads.of(kafka, topic, SpecChange.class, SpecChange::getChainHash);
        heads.load();
        return SpecChangePublisher.create(kafka, topic).chainedBy(heads);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> List<V> records(String topic, String key, Class<V> type) {
        return new TopicScan(kafka, Duration.ofSeconds(10)).read(topic, Optional.of(key), type, v -> v).records()
                .stream().map(TopicScan.Read::value).toList();
    }

    @Test
    void eachSpecChangeChainsToThePreviousOneOfItsKeyAcrossARestart() throws Exception {
        String topic = topic("chain-spec-changes");
        try (SpecChangePublisher intake = restartedIntake(topic)) {
            intake.publish(A, change("a", 1));
            intake.publish(B, change("b", 1));
            intake.publish(A, change("a", 2));
        }
        try (SpecChangePublisher restarted = restartedIntake(topic)) {
            restarted.publish(A, change("a", 2)); // a restarted intake republishes what it finds
            restarted.publish(A, change("a", 3));
        }
        List<SpecChange> a = records(topic, A, SpecChange.class);
        assertThat(a).extracting(SpecChange::getGeneration).containsExactly(1L, 2L, 2L, 3L);
        // Each hash by the definition of ADR 0033: SHA-256 of the previous hash, a newline, the content.
        String head = AuditChain.GENESIS;
        for (SpecChange c : a) {
            head = AuditChain.link(head, AuditChain.content(c));
            assertThat(c.getChainHash()).as("generation %s", c.getGeneration()).isEqualTo(head);
        }
        SpecChange b = records(topic, B, SpecChange.class).get(0);
        assertThat(b.getChainHash()).isEqualTo(AuditChain.link(AuditChain.GENESIS, AuditChain.content(b)));
    }

    @Test
    void nothingIsWrittenBeforeTheHeadsAreRead() throws Exception {
        String topic = topic("chain-unread");
        ChainHeads unread = ChainHeads.of(kafka, topic, SpecChange.class, SpecChange::getChainHash);
        try (SpecChangePublisher intake = SpecChangePublisher.create(kafka, topic).chainedBy(unread)) {
            assertThatThrownBy(() -> intake.publish(A, change("a", 1)))
                    .isInstanceOf(SpecChangePublisher.PublishFailed.class)
                    .hasMessageContaining("the heads of the audit chain are not read from the topic yet");
        }
        assertThat(records(topic, A, SpecChange.class)).isEmpty();
    }

    @Test
    void admissionRecordsAreChainedPerKeyToo() throws Exception {
        String topic = topic("chain-admissions");
        for (int restart = 0; restart < 2; restart++) {
            try (AdmissionPublisher webhook = AdmissionPublisher.create(kafka, topic, Duration.ofSeconds(10))) {
                webhook.chain().load();
                webhook.publish(new Admitted("r" + restart, "u-a", ResourceKind.IstioLifecycleManager, "gloo-mesh", "a",
                        OptionalLong.of(restart + 1), "h" + restart, AdmissionRequest.Operation.CREATE, "alice",
                        List.of("g"), Instant.ofEpochSecond(restart)));
            }
        }
        List<AdmissionRecord> a = records(topic, A, AdmissionRecord.class);
        assertThat(a).hasSize(2);
        String first = AuditChain.link(AuditChain.GENESIS, AuditChain.content(a.get(0)));
        assertThat(a.get(0).getChainHash()).isEqualTo(first);
        assertThat(a.get(1).getChainHash()).isEqualTo(AuditChain.link(first, AuditChain.content(a.get(1))));
    }
}
