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

    @Test
    void readingUntilAnInstantStopsEachPartitionAtItsFirstRecordStampedThenUnlessRetentionCutThePartition()
            throws Exception {
        String topic = "scan-until-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            long day = Duration.ofDays(1).toMillis();
            long t0 = 1_700_000_000_000L;
            RecordMetadata cutFrom = null;
            try (var producer = new KafkaProducer<>(p, new StringSerializer(),
                    AvroSerde.of(InstallationEvent.class).serializer())) {
                // Partition 0 and 1 each get a state a day for five days: day 0 .. day 4.
                for (int partition = 0; partition < 2; partition++) {
                    for (int d = 0; d < 5; d++) {
                        RecordMetadata m = producer.send(new ProducerRecord<>(topic, partition, t0 + d * day,
                                "IstioLifecycleManager/ns/p" + partition, event("p" + partition, "DAY_" + d))).get();
                        if (partition == 1 && d == 1) {
                            cutFrom = m;
                        }
                    }
                }
            }
            TopicScan scan = new TopicScan(KafkaClientSettings.bootstrap(bootstrap), Duration.ofSeconds(10));
            Instant dayTwo = Instant.ofEpochMilli(t0 + 2 * day);

            // Up to the first record stamped day 2 or later: days 0 and 1 of each partition, nothing after.
            assertThat(scan.readUntil(topic, InstallationEvent.class, e -> e.getOwner().getName() + " " + e.getState(),
                    dayTwo).records()).extracting(TopicScan.Read::value)
                    .containsExactlyInAnyOrder("p0 DAY_0", "p0 DAY_1", "p1 DAY_0", "p1 DAY_1");
            // An instant after the last record: everything.
            assertThat(scan.readUntil(topic, InstallationEvent.class, InstallationEvent::getState,
                    Instant.ofEpochMilli(t0 + 10 * day)).records()).hasSize(10);

            // As retention does: partition 1 lost day 0. It is read whole, so that what it still holds is known.
            admin.deleteRecords(Map.of(new TopicPartition(topic, 1), RecordsToDelete.beforeOffset(cutFrom.offset())))
                    .all().get();
            TopicScan.Scan<String> cut = scan.readUntil(topic, InstallationEvent.class,
                    e -> e.getOwner().getName() + " " + e.getState(), dayTwo);
            assertThat(cut.records()).extracting(TopicScan.Read::value).containsExactlyInAnyOrder("p0 DAY_0", "p0 DAY_1",
                    "p1 DAY_1", "p1 DAY_2", "p1 DAY_3", "p1 DAY_4");
            assertThat(cut.retainedFrom().get(1)).isEqualTo(Instant.ofEpochMilli(t0 + day));
        }
    }
}
