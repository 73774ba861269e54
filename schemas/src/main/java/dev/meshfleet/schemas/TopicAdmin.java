package dev.meshfleet.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics Meshfleet needs, with their cleanup policies, and an idempotent way to create the
 * missing ones. On a real cluster deploy/ declares them (Strimzi KafkaTopic); the sandbox and the
 * tests create them here.
 */
public final class TopicAdmin {

    /** One topic: name, partitions, and whether it is compacted (else retained forever or long). */
    public record TopicDefinition(String name, int partitions, boolean compacted, long retentionMs) {
        NewTopic toNewTopic(short replicationFactor) {
            return new NewTopic(name, partitions, replicationFactor).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs)));
        }
    }

    private static final long FOREVER = -1L;
    private static final long THIRTY_DAYS = TimeUnit.DAYS.toMillis(30);
    private static final long SEVEN_DAYS = TimeUnit.DAYS.toMillis(7);

    private TopicAdmin() {
    }

    /** Every topic with the given partition count for the cluster-keyed and owner-keyed topics. */
    public static List<TopicDefinition> definitions(int partitions) {
        List<TopicDefinition> topics = new ArrayList<>();
        topics.add(new TopicDefinition(Topics.SPEC_CHANGES, partitions, false, FOREVER));
        topics.add(new TopicDefinition(Topics.INSTALL_PLANS, partitions, true, FOREVER));
        topics.add(new TopicDefinition(Topics.INSTALLATION_EVENTS, partitions, false, THIRTY_DAYS));
        topics.add(new TopicDefinition(Topics.LIFECYCLE_STATUS, partitions, true, FOREVER));
        for (String input : Topics.INPUTS) {
            topics.add(new TopicDefinition(Topics.dlq(input), 1, false, SEVEN_DAYS));
        }
        return List.copyOf(topics);
    }

    /** Creates whichever of the topics do not exist yet; existing ones are left as they are. */
    public static void ensure(String bootstrapServers, List<TopicDefinition> topics, short replicationFactor) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> t.toNewTopic(replicationFactor)).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics " + missing + ": " + e.getCause(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create topics: " + e, e);
        }
    }
}
