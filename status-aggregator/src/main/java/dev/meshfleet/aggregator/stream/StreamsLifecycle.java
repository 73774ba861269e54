package dev.meshfleet.aggregator.stream;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.meshfleet.aggregator.AggregatorConfig;
import dev.meshfleet.aggregator.status.StatusWriter;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.StreamThreadFailures;
import dev.meshfleet.schemas.StreamsLiveness;
import dev.meshfleet.schemas.StreamsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import dev.meshfleet.schemas.StreamsMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Owns the KafkaStreams instance: started with the application, closed with it. */
@ApplicationScoped
public class StreamsLifecycle {
    private static final Logger LOG = Logger.getLogger(StreamsLifecycle.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);
    /** The largest status record the aggregator produces, uncompressed (16 MiB). */
    static final int MAX_STATUS_RECORD_BYTES = 16 * 1024 * 1024;
    /** Named in the dead letters' headers. */
    public static final String SERVICE = "status-aggregator";

    @Inject
    AggregatorConfig config;

    @Inject
    StatusWriter writer;

    @Inject
    Config configuration;

    private KafkaClientSettings kafka;

    @Inject
    Tracer tracer;

    @Inject
    MeterRegistry meters;

    private KafkaStreamsMetrics streamsMetrics;

    private volatile KafkaStreams streams;
    private final StreamThreadFailures threadFailures = StreamThreadFailures.defaults();
    /** Set when the application stops: NOT_RUNNING is then expected, not a reason to be restarted. */
    private volatile boolean closing;

    void onStart(@Observes StartupEvent event) {
        AvroTrust.install();
        kafka = KafkaClientSettings.fromConfig(configuration);
        LOG.infof("Kafka client settings (kafka.*): %s", kafka.describe());
        if (config.createTopics()) {
            // Restarted while the broker is down, wait for it rather than fail the start (issue 14's kill of both).
            TopicAdmin.ensureOnceReachable(kafka, topics(), replication(), TOPIC_RETRY, () -> !closing,
                    why -> LOG.warnf("topics not ensured yet, trying again: %s", why));
        }
        KafkaStreams created = new KafkaStreams(
                StatusTopology.build(config.topics().installationEvents(), config.topics().lifecycleStatus(),
                        StatusTopology.PUBLISH_INTERVAL, writer::offer, tracer),
                properties());
        streamsMetrics = StreamsMetrics.bind(created, meters, config.metricsRefresh());
        // A poison event never gets here (the dead-letter handler takes it). A thread failing otherwise is
        // replaced a few times (the fold is idempotent, reprocessing from the last commit is safe), not for ever.
        created.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = threadFailures.onFailure(System.currentTimeMillis());
            LOG.errorf(e, "stream thread failed; %s", response == StreamThreadExceptionResponse.REPLACE_THREAD
                    ? "replacing it" : "it failed too often: shutting the streams down (liveness DOWN)");
            return response;
        });
        created.start();
        streams = created;
    }

    void onStop(@Observes ShutdownEvent event) {
        closing = true;
        KafkaStreams current = streams;
        if (current != null) {
            current.close(Duration.ofSeconds(10));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    /** Live: the stream can still make progress by itself ({@link StreamsLiveness}); ERROR is not live. */
    public boolean live() {
        return StreamsLiveness.live(state(), closing);
    }

    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    /** Our topics under their configured names, plus the rest of the fleet's (idempotent: all services call it). */
    private List<TopicAdmin.TopicDefinition> topics() {
        return TopicAdmin.definitions(config.partitions()).stream().map(t -> {
            if (t.name().equals(Topics.INSTALLATION_EVENTS)) {
                return new TopicAdmin.TopicDefinition(config.topics().installationEvents(), t.partitions(),
                        t.compacted(), t.retentionMs());
            }
            if (t.name().equals(Topics.LIFECYCLE_STATUS)) {
                return new TopicAdmin.TopicDefinition(config.topics().lifecycleStatus(), t.partitions(),
                        t.compacted(), t.retentionMs());
            }
            return t;
        }).toList();
    }

    Properties properties() {
        Properties props = StreamsSettings.membership(StreamsSettings.base(SERVICE, config.topics().installationEvents(),
                config.applicationId(), kafka.bootstrapServers(), config.stateDir(), 100, replication()),
                config.groupInstanceId(), config.sessionTimeout());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // An idle stream thread waits this long for records before its loop turns again (a record wakes it at
        // once). The publishing punctuator runs between polls, so the wait is one publish interval: half the turns
        // of Kafka's 100 ms at rest, and a waiting status still goes out within an interval or two.
        props.put(StreamsConfig.POLL_MS_CONFIG, StatusTopology.PUBLISH_INTERVAL.toMillis());
        // A status naming a thousand clusters at two revisions, operators included, is megabytes of
        // repetitive JSON: compressed, it is a small fraction of the broker's 1 MiB batch limit, but the
        // producer checks the uncompressed size against max.request.size.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_STATUS_RECORD_BYTES);
        return StreamsSettings.withClientSettings(kafka, "status-aggregator streams", props);
    }

    private TopicAdmin.Replication replication() {
        return TopicAdmin.Replication.of(config.replicationFactor(), config.minInsyncReplicas());
    }
}
