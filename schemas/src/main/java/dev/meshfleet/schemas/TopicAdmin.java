package dev.meshfleet.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
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
        NewTopic toNewTopic(Replication replication) {
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                    compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
            replication.minInsyncReplicas().ifPresent(
                    m -> configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(m)));
            return new NewTopic(name, partitions, replication.factor()).configs(configs);
        }
    }

    /**
     * How the topics a service creates are replicated: the replication factor, and {@code min.insync.replicas}
     * when given (else the broker's default, which a production cluster usually sets: a topic config of ours
     * would override it). One broker in the sandbox: factor 1.
     */
    public record Replication(short factor, OptionalInt minInsyncReplicas) {
        public static final Replication SANDBOX = new Replication((short) 1, OptionalInt.empty());

        /** @throws IllegalArgumentException unless 1 <= min.insync.replicas <= factor */
        public Replication {
            if (factor < 1) {
                throw new IllegalArgumentException("replication factor " + factor + ": at least 1");
            }
            minInsyncReplicas.ifPresent(m -> {
                if (m < 1 || m > factor) {
                    throw new IllegalArgumentException("min.insync.replicas " + m + " with replication factor " + factor
                            + ": between 1 and the replication factor (with more, no write with acks=all succeeds)");
                }
            });
        }

        public static Replication of(short factor, java.util.Optional<Integer> minInsyncReplicas) {
            return new Replication(factor, minInsyncReplicas.map(OptionalInt::of).orElse(OptionalInt.empty()));
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
        // Joined to spec-changes, which is kept forever: the who of a change lives as long as the change.
        topics.add(new TopicDefinition(Topics.ADMISSIONS, partitions, false, FOREVER));
        for (String input : Topics.INPUTS) {
            topics.add(new TopicDefinition(Topics.dlq(input), 1, false, SEVEN_DAYS));
        }
        return List.copyOf(topics);
    }

    /** As {@link #ensure(KafkaClientSettings, List, Replication)} on an unsecured broker (the sandbox, tests). */
    public static void ensure(String bootstrapServers, List<TopicDefinition> topics, short replicationFactor) {
        ensure(KafkaClientSettings.bootstrap(bootstrapServers), topics,
                new Replication(replicationFactor, OptionalInt.empty()));
    }

    /**
     * As {@link #ensure(KafkaClientSettings, List, Replication)}, tried again every {@code retryEvery} while the broker
     * cannot be reached, so that a service started (or restarted) while Kafka is down waits for it instead of
     * failing its start: a broker restart takes longer than one attempt's 60 s on a loaded node. {@code onRetry} is
     * told why each failed attempt failed. False when {@code keepTrying} said stop before the topics were ensured.
     */
    public static boolean ensureOnceReachable(KafkaClientSettings kafka, List<TopicDefinition> topics,
            Replication replication, Duration retryEvery, BooleanSupplier keepTrying, Consumer<String> onRetry) {
        return untilDone(() -> ensure(kafka, topics, replication), retryEvery, keepTrying, onRetry);
    }

    /** Runs {@code attempt} until it returns without an {@link IllegalStateException} or {@code keepTrying} says stop. */
    static boolean untilDone(Runnable attempt, Duration retryEvery, BooleanSupplier keepTrying, Consumer<String> onRetry) {
        while (keepTrying.getAsBoolean()) {
            try {
                attempt.run();
                return true;
            } catch (IllegalStateException e) {
                onRetry.accept(e.getMessage());
                try {
                    Thread.sleep(retryEvery.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * The topic admin's own settings under the user's: it reconnects at least every 250 ms (Kafka's default backs
     * off to 1 s), since a service starting while its broker restarts waits on this admin before anything else; a
     * restarted broker was seen answering 1.2 s before the admin tried again. A user's own setting wins.
     */
    static Map<String, Object> adminSettings(KafkaClientSettings kafka) {
        return kafka.user().containsKey(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG) ? Map.of()
                : Map.of(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, ADMIN_RECONNECT_BACKOFF_MAX_MS);
    }

    static final String ADMIN_RECONNECT_BACKOFF_MAX_MS = "250";

    /** Creates whichever of the topics do not exist yet; existing ones are left as they are. */
    public static void ensure(KafkaClientSettings kafka, List<TopicDefinition> topics, Replication replication) {
        String bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = Admin.create(kafka.forClient("topic admin", adminSettings(kafka)))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> t.toNewTopic(replication)).toList();
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
