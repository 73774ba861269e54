package dev.meshfleet.aggregator;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the status-aggregator (README lists them); the kafka.* client settings are read apart, as in every service. */
@ConfigMapping(prefix = "meshfleet.aggregator")
public interface AggregatorConfig {

    /** Kafka Streams application.id; also the consumer group and the prefix of internal topics. */
    @WithDefault("meshfleet-aggregator")
    String applicationId();

    /** Where Kafka Streams keeps the folded statuses (a RocksDB store, rebuilt from its changelog if lost). */
    @WithDefault("${java.io.tmpdir}/meshfleet-aggregator")
    String stateDir();

    Topics topics();

    /**
     * A CR's status is written at most once per window; the newest status of a burst wins. 500ms keeps
     * a resource at 2 status writes per second or fewer while a fleet rolls out (issue 15).
     */
    @WithDefault("500ms")
    Duration coalesceWindow();

    /**
     * Kubernetes Event writes per resource in any minute, at most (one Event per kind of transition, its count
     * growing): beyond it a changed Event waits for the minute to allow it, at the latest until the next resync.
     */
    @WithDefault("10")
    int eventsPerMinute();

    /** How often deleting CRs are checked for a finalizer that can go, whatever events arrive. */
    @WithDefault("30s")
    Duration resyncPeriod();

    /** Create missing topics at startup (the sandbox and tests); on a real cluster deploy/ declares them. */
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of owner-keyed topics when this service creates them. */
    @WithDefault("12")
    int partitions();

    /** Replication factor of the topics it creates and of the Kafka Streams internal topics (1 in the sandbox). */
    @WithDefault("1")
    short replicationFactor();

    /** {@code min.insync.replicas} of the topics it creates and of the internal topics; unset: the broker's default. */
    java.util.Optional<Integer> minInsyncReplicas();

    /**
     * Static membership of the Streams consumer group ({@code group.instance.id}), unique per instance (e.g. the
     * pod name of a StatefulSet): a restarted instance takes its tasks back without waiting out its dead
     * predecessor's session. Empty: none (ADR 0011).
     */
    java.util.Optional<String> groupInstanceId();

    /** The Streams consumer's session timeout: how long the group waits for an instance that stopped heartbeating. */
    @WithDefault("20s")
    java.time.Duration sessionTimeout();

    /**
     * How often the Kafka clients' metrics are looked at for new ones (a partition's records-lag after an
     * assignment) and bound to /q/metrics.
     */
    @WithDefault("60s")
    java.time.Duration metricsRefresh();

    interface Topics {
        @WithDefault("meshfleet.installation-events")
        String installationEvents();

        @WithDefault("meshfleet.lifecycle-status")
        String lifecycleStatus();
    }
}
