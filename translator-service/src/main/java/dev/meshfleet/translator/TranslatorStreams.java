package dev.meshfleet.translator;

import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.StreamThreadFailures;
import dev.meshfleet.schemas.StreamsLiveness;
import dev.meshfleet.schemas.StreamsSettings;
import dev.meshfleet.translator.stream.TranslatorTopology;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import dev.meshfleet.schemas.StreamsMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the KafkaStreams instance: built and started at startup, closed at shutdown. */
@ApplicationScoped
public class TranslatorStreams {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatorStreams.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);
    /** Named in the dead letters' headers. */
    public static final String SERVICE = "translator-service";

    private final TranslatorConfig config;
    private final KafkaClientSettings kafka;
    private volatile KafkaStreams streams;
    @Inject
    Tracer tracer;
    @Inject
    MeterRegistry meters;
    private KafkaStreamsMetrics streamsMetrics;
    private final StreamThreadFailures threadFailures = StreamThreadFailures.defaults();
    /** Set once the streams first reach RUNNING: until then REBALANCING may mean Kafka was never reached. */
    private volatile boolean wasRunning;
    /** Set when the application stops: NOT_RUNNING is then expected, not a reason to be restarted. */
    private volatile boolean closing;

    @jakarta.inject.Inject
    TranslatorStreams(TranslatorConfig config, Config configuration) {
        this(config, KafkaClientSettings.fromConfig(configuration));
    }

    TranslatorStreams(TranslatorConfig config, KafkaClientSettings kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) {
        AvroTrust.install();
        LOG.info("Kafka client settings (kafka.*): {}", kafka.describe());
        if (config.createTopics()) {
            // Restarted while the broker is down, wait for it rather than fail the start (issue 14's kill of both).
            TopicAdmin.ensureOnceReachable(kafka, TopicAdmin.definitions(config.partitions()), replication(),
                    TOPIC_RETRY, () -> true, why -> LOG.warn("topics not ensured yet, trying again: {}", why));
        }
        TranslatorSettings settings = new TranslatorSettings(config.defaultRevision(), config.defaultHub(), config.defaultTag(),
                config.defaultChartSource().orElse(null), config.allowedChartSources().orElse(java.util.List.of()));
        var topics = new TranslatorTopology.Topics(config.topics().specChanges(), config.topics().installPlans(),
                config.topics().installationEvents());
        streams = new KafkaStreams(TranslatorTopology.build(topics, new Translator(settings), tracer), properties());
        streamsMetrics = StreamsMetrics.bind(streams, meters, config.metricsRefresh());
        // A poison spec change never gets here (the dead-letter handler takes it). A thread failing otherwise is
        // replaced a few times (translation is idempotent from the last commit), then the client stops.
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = threadFailures.onFailure(System.currentTimeMillis());
            LOG.error("stream thread failed; {}", response == StreamThreadExceptionResponse.REPLACE_THREAD
                    ? "replacing it" : "it failed too often: shutting the streams down (liveness DOWN)", e);
            return response;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                wasRunning = true;
            }
            LOG.info("streams {} -> {}", before, now);
        });
        streams.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        closing = true;
        KafkaStreams s = streams;
        if (s != null) {
            s.close(Duration.ofSeconds(10));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    Properties properties() {
        Properties props = StreamsSettings.membership(StreamsSettings.base(SERVICE, config.topics().specChanges(),
                config.applicationId(), kafka.bootstrapServers(), config.stateDir(), config.commitIntervalMs(),
                replication()), config.groupInstanceId(), config.sessionTimeout());
        // Exactly once: the translator emits only what changed against its stores (a cluster's plan, a spec's
        // plan hashes, a claim's refusal). At least once, a process killed after a store write but before the
        // broker acknowledged the record it forwarded restarts with the store ahead of its output, and the
        // reprocessed input then finds nothing changed: the plan is never sent (seen: a cluster left
        // INSTALL_PENDING after the broker and the translator were killed mid-rollout). With transactions the
        // stores' changelogs, the outputs and the input offsets commit together, and a crashed task's local
        // state is rebuilt from its changelog.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.POLL_MS_CONFIG, config.pollMs());
        return StreamsSettings.withClientSettings(kafka, "translator streams", props);
    }

    private TopicAdmin.Replication replication() {
        return TopicAdmin.Replication.of(config.replicationFactor(), config.minInsyncReplicas());
    }

    /** Ready: RUNNING, or REBALANCING after having run (partitions move, processing resumes by itself). */
    public boolean ready() {
        KafkaStreams.State s = state();
        return s == KafkaStreams.State.RUNNING || (s == KafkaStreams.State.REBALANCING && wasRunning);
    }

    /** Live: the streams can still make progress by themselves ({@link StreamsLiveness}); ERROR is not live. */
    public boolean live() {
        return StreamsLiveness.live(state(), closing);
    }

    /** Null before startup. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state();
    }
}
