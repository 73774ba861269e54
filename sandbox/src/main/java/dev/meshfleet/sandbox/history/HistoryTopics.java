package dev.meshfleet.sandbox.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Reads what {@link History} needs about one resource from the topics: every record under its key, from the start
 * of each partition to its end as of the call (no consumer group, nothing committed).
 */
public final class HistoryTopics {
    private final String bootstrapServers;
    private final Duration timeout;

    public HistoryTopics(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** The records of {@code key}. @throws IllegalStateException naming the address when Kafka does not answer */
    public Records read(String key) {
        checkReachable();
        List<History.Change> changes = readTopic(Topics.SPEC_CHANGES, key, SpecChange.class, c -> new History.Change(
                c.getUid(), c.getGeneration(), c.getOperation() == Operation.DELETE, c.getActor(), c.getObservedAt(),
                c.getSpecJson()));
        List<History.Admission> admissions = readTopic(Topics.ADMISSIONS, key, AdmissionRecord.class,
                a -> new History.Admission(a.getUid(), a.getGeneration() == null ? OptionalLong.empty()
                        : OptionalLong.of(a.getGeneration()), a.getSpecHash(), a.getOperation(), a.getUsername(),
                        a.getGroups().stream().map(Object::toString).toList(), a.getAdmittedAt()));
        List<History.Transition> transitions = readTopic(Topics.INSTALLATION_EVENTS, key, InstallationEvent.class,
                e -> new History.Transition(e.getGeneration(), e.getCluster(), e.getRevision(), e.getState(), e.getTime()));
        return new Records(changes, admissions, transitions);
    }

    /** What the topics hold about one resource. */
    public record Records(List<History.Change> changes, List<History.Admission> admissions,
            List<History.Transition> transitions) {
    }

    private void checkReachable() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + "s");
        }
    }

    private <V extends org.apache.avro.specific.SpecificRecord, T> List<T> readTopic(String topic, String key, Class<V> type, Function<V, T> convert) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                AvroSerde.of(type).deserializer())) {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos() * 4;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " at " + bootstrapServers + " took too long");
                }
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && r.value() != null) {
                        out.add(convert.apply(r.value()));
                    }
                }
            }
        }
        return out;
    }

}
