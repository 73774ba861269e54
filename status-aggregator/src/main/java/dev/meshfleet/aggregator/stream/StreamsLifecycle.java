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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.meshfleet.aggregator.AggregatorConfig;
import dev.meshfleet.aggregator.status.StatusWriter;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetterDeserializationHandler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Owns the KafkaStreams instance: started with the application, closed with it. */
@ApplicationScoped
public class StreamsLifecycle {
    private static final Logger LOG = Logger.getLogger(StreamsLifecycle.class);

    @Inject
    AggregatorConfig config;

    @Inject
    StatusWriter writer;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    private volatile KafkaStreams streams;

    void onStart(@Observes StartupEvent event) {
        AvroTrust.install();
        if (config.createTopics()) {
            TopicAdmin.ensure(bootstrapServers, topics(), (short) 1);
        }
        KafkaStreams created = new KafkaStreams(
                StatusTopology.build(config.topics().installationEvents(), config.topics().lifecycleStatus(),
                        writer::offer),
                properties());
        // A failing stream thread is replaced rather than left dead: the fold is idempotent, so
        // reprocessing from the last commit is safe.
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.start();
        streams = created;
    }

    void onStop(@Observes ShutdownEvent event) {
        KafkaStreams current = streams;
        if (current != null) {
            current.close(Duration.ofSeconds(10));
        }
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
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }
}
