package dev.meshfleet.intake;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every setting of spec-intake; the README lists each key. */
@ConfigMapping(prefix = "meshfleet.intake")
public interface IntakeConfig {

    /** Topic the SpecChange records go to. */
    @WithDefault(dev.meshfleet.schemas.Topics.SPEC_CHANGES)
    String topic();

    /** Namespaces to watch; absent or empty watches all namespaces. */
    Optional<List<String>> namespaces();

    /** How often the informers replay their whole cache, so a missed change is caught up. */
    @WithName("resync-period")
    @WithDefault("5m")
    Duration resyncPeriod();

    /** Threads that take keys off the work queue. */
    @WithDefault("2")
    int workers();

    /** Create the Meshfleet topics at startup when they are missing (the sandbox and tests need it). */
    @WithName("create-topics")
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of the owner- and cluster-keyed topics when create-topics creates them. */
    @WithDefault("12")
    int partitions();

    /** Replication factor of the topics create-topics creates (1: the sandbox's one broker). */
    @WithName("replication-factor")
    @WithDefault("1")
    short replicationFactor();

    /** {@code min.insync.replicas} of the topics create-topics creates; unset: the broker's default. */
    @WithName("min-insync-replicas")
    Optional<Integer> minInsyncReplicas();

    /** The validating admission webhook (docs/adr/0023). */
    Admission admission();

    interface Admission {
        /** Serve the webhook at {@link dev.meshfleet.intake.AdmissionWebhook#PATH} (HTTPS when quarkus.http.ssl.* is set). */
        @WithDefault("true")
        boolean enabled();

        /** Topic of the AdmissionRecord of every admitted request. */
        @WithDefault(dev.meshfleet.schemas.Topics.ADMISSIONS)
        String topic();

        /**
         * How long an admitted request waits for Kafka to take its record; keep it under the webhook's timeoutSeconds.
         * A record not taken in time is logged and the request still allowed: history then names the field manager.
         */
        @WithName("publish-timeout")
        @WithDefault("3s")
        Duration publishTimeout();

        /** The translator's meshfleet.translator.default-chart-source: validation must accept what it accepts. */
        @WithName("default-chart-source")
        Optional<String> defaultChartSource();

        /** The translator's meshfleet.translator.allowed-chart-sources. */
        @WithName("allowed-chart-sources")
        Optional<List<String>> allowedChartSources();
    }
}
