package dev.meshfleet.sandbox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.audit.TopicScan;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.InProcessKafka;

/**
 * The reader of history and fleet against the real broker: one key read from its partition alone, and where records
 * were dropped from the start of a partition (as retention does), the time of the first record left.
 */
class TopicScanIT {
    private final String bootstrap = InProcessKafka.shared().bootstrapServers();

    private static InstallationEvent event(String name, String state) {
        return InstallationEvent.newBuilder().setOwner(OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("ns").setName(name).setUid("u").build()).setGeneration(1).setCluster("cluster1")
                .setRevision("1-24").setState(state).setSource("installer/installer-0").setTime(Instant.EPOCH).build();
    }

    @Test
    void oneKeyIsReadFromItsPartitionAndDroppedRecordsAreSaidWithTheTimeOfTheFirstLeft() throws Exception {
        String topic = "scan-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            String a = "IstioLifecycleManager/ns/a";
            RecordMetadata third;
            long t0 = 1_700_000_000_000L;
            try (var producer = new KafkaProducer<>(p, new StringSerializer(),
                    AvroSerde.of(InstallationEvent.class).serializer())) {
                producer.send(new ProducerRecord<>(topic, null, t0, a, event("a", "INSTALL_PENDING"))).get();
                producer.send(new ProducerRecord<>(topic, null, t0 + 1000, a, event("a", "INSTALLING_CONTROL_PLANE"))).get();
                third = producer.send(new ProducerRecord<>(topic, null, t0 + 2000, a, event("a", "HEALTHY"))).get();
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(topic, "IstioLifecycleManager/ns/other" + i,
                            event("other" + i, "HEALTHY"))).get();
                }
            }
            TopicScan scan = new TopicScan(KafkaClientSettings.bootstrap(bootstrap), Duration.ofSeconds(10));
            TopicScan.Scan<String> whole = scan.read(topic, Optional.of(a), InstallationEvent.class,
                    InstallationEvent::getState);
            assertThat(whole.records()).extracting(TopicScan.Read::value)
                    .containsExactly("INSTALL_PENDING", "INSTALLING_CONTROL_PLANE", "HEALTHY");
            assertThat(whole.retainedFrom(a)).isEmpty();
            assertThat(scan.read(topic, Optional.empty(), InstallationEvent.class, InstallationEvent::getState)
                    .records()).hasSize(23);

            // As retention does: the partition's first two records of the key are gone.
            admin.deleteRecords(Map.of(new TopicPartition(topic, third.partition()),
                    RecordsToDelete.beforeOffset(third.offset()))).all().get();
            TopicScan.Scan<String> cut = scan.read(topic, Optional.of(a), InstallationEvent.class,
                    InstallationEvent::getState);
            assertThat(cut.records()).extracting(TopicScan.Read::value).containsExactly("HEALTHY");
            assertThat(cut.retainedFrom(a)).contains(Instant.ofEpochMilli(t0 + 2000));
        }
    }
}
