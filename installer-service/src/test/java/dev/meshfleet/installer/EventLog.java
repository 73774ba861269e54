package dev.meshfleet.installer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;

/** Everything on installation-events, read from the beginning without a group; poll() from the test thread. */
final class EventLog implements AutoCloseable {
    private final KafkaConsumer<String, InstallationEvent> consumer;
    private final List<InstallationEvent> events = new CopyOnWriteArrayList<>();

    EventLog(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), AvroSerde.of(InstallationEvent.class));
        // The service creates the topic at startup; the first test may get here before the metadata has it.
        List<TopicPartition> partitions = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(Topics.INSTALLATION_EVENTS).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList(), l -> !l.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    List<InstallationEvent> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> events.add(r.value()));
        return events;
    }

    /** States of one installation in order, consecutive repeats (resync re-emits) collapsed. */
    List<String> states(String cluster, String ownerName, String revision) {
        List<String> states = new ArrayList<>();
        for (InstallationEvent e : poll()) {
            if (e.getCluster().equals(cluster) && e.getOwner().getName().equals(ownerName)
                    && e.getRevision().equals(revision)) {
                if (states.isEmpty() || !states.get(states.size() - 1).equals(e.getState())) {
                    states.add(e.getState());
                }
            }
        }
        return states;
    }

    List<InstallationEvent> of(String cluster, String ownerName) {
        return poll().stream().filter(e -> e.getCluster().equals(cluster) && e.getOwner().getName().equals(ownerName))
                .toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
