package dev.meshfleet.translator;

import dev.meshfleet.schemas.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Every setting of the translator service; each key is in README.md. */
@ConfigMapping(prefix = "meshfleet.translator")
public interface TranslatorConfig {

    /** Kafka Streams application.id: consumer group, internal topic prefix. */
    @WithDefault("meshfleet-translator")
    String applicationId();

    /** Kafka Streams state.dir (RocksDB stores: dedupe memo, per-cluster state). */
    @WithDefault("${java.io.tmpdir}/meshfleet-translator")
    String stateDir();

    TopicNames topics();

    /** Revision for `revision: auto` / `gatewayRevision: auto`. */
    @WithDefault("1-24")
    String defaultRevision();

    /** Hub when the spec names none. */
    @WithDefault("registry.example/istio")
    String defaultHub();

    /** Tag when the spec names none. */
    @WithDefault("1.24.2-solo")
    String defaultTag();

    /** Chart source put in every ChartRelease (Helm repo URL or OCI ref); unset: the installer's default. */
    Optional<String> defaultChartSource();

    /**
     * Chart sources a spec's {@code spec.helmGlobal.repo} may name, besides {@link #defaultChartSource()}: prefixes
     * (Helm repository URLs, oci:// references, directories) matched on scheme, host, port and a path prefix at a
     * segment boundary after normalisation. Unset: only the default chart source. The installer checks its own list.
     */
    Optional<java.util.List<String>> allowedChartSources();

    /** Create missing topics at startup (sandbox); on a real cluster deploy/ declares them. */
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of the topics created at startup. */
    @WithDefault("12")
    int partitions();

    /** Replication factor of created and internal topics (1 in the sandbox). */
    @WithDefault("1")
    short replicationFactor();

    /** {@code min.insync.replicas} of created and internal topics; unset: the broker's default. */
    Optional<Integer> minInsyncReplicas();

    /** Kafka Streams commit.interval.ms. */
    @WithDefault("100")
    long commitIntervalMs();

    /**
     * Kafka Streams poll.ms: how long an idle stream thread waits for records before its loop turns again (a record
     * wakes it at once). Each turn walks every task (lags, commits, metrics): at Kafka's 100 ms that loop was most of
     * the translator's CPU at rest. The translator schedules no punctuation, so a longer wait delays nothing.
     */
    @WithDefault("1000")
    long pollMs();

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

    interface TopicNames {
        @WithDefault(Topics.SPEC_CHANGES)
        String specChanges();

        @WithDefault(Topics.INSTALL_PLANS)
        String installPlans();

        @WithDefault(Topics.INSTALLATION_EVENTS)
        String installationEvents();
    }
}
