package dev.meshfleet.aggregator.stream;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.meshfleet.aggregator.AggregatorConfig;
import dev.meshfleet.aggregator.status.StatusWriter;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.StreamThreadFailures;
import dev.meshfleet.schemas.StreamsSettings;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Owns the KafkaStreams instance: started with the application, closed with it. */
@ApplicationScoped
public class StreamsLifecycle {
    private static final Logger LOG = Logger.getLogger(StreamsLifecycle.class);
    /** Named in the dead letters' headers. */
    public static final String SERVICE = "status-aggregator";

    @Inject
    AggregatorConfig config;

    @Inject
    StatusWriter writer;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    private volatile KafkaStreams streams;
    private final StreamThreadFailures threadFailures = StreamThreadFailures.defaults();
    private final ExecutorService replayer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "status-replay");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        AvroTrust.install();
        if (config.createTopics()) {
            TopicAdmin.ensure(bootstrapServers, topics(), (short) 1);
        }
        KafkaStreams created = new KafkaStreams(
                StatusTopology.build(config.topics().installationEvents(), config.topics().lifecycleStatus(),
                        writer::offer),
                properties());
        // A poison event never gets here (the dead-letter handler takes it). A thread failing otherwise is
        // replaced a few times (the fold is idempotent, reprocessing from the last commit is safe), not for ever.
        created.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = threadFailures.onFailure(System.currentTimeMillis());
            LOG.errorf(e, "stream thread failed; %s", response == StreamThreadExceptionResponse.REPLACE_THREAD
                    ? "replacing it" : "it failed too often: shutting the streams down (liveness DOWN)");
            return response;
        });
        created.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                replayer.submit(this::replayStatuses);
            }
        });
        created.start();
        streams = created;
    }

    /**
     * Offers every status this instance holds to the writer once the stream runs (at start and
     * after each rebalance). A status folded and committed just before a crash may never have
     * reached its CR; the writer compares before it writes, so this costs a read per CR, not a write.
     */
    private void replayStatuses() {
        KafkaStreams current = streams;
        if (current == null) {
            return;
        }
        try {
            ReadOnlyKeyValueStore<String, LifecycleStatus> store = current.store(StoreQueryParameters
                    .fromNameAndType(StatusTopology.STORE, QueryableStoreTypes.<String, LifecycleStatus>keyValueStore()));
            int offered = 0;
            try (KeyValueIterator<String, LifecycleStatus> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, LifecycleStatus> next = all.next();
                    if (next.value != null) {
                        writer.offer(next.key, next.value);
                        offered++;
                    }
                }
            }
            LOG.infof("offered %d stored statuses to the writer", offered);
        } catch (InvalidStateStoreException e) {
            // Rebalancing again: the next RUNNING transition replays.
            LOG.debugf("store not queryable yet: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        replayer.shutdownNow();
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
        Properties props = StreamsSettings.base(SERVICE, config.topics().installationEvents(), config.applicationId(),
                bootstrapServers, config.stateDir(), 100, config.replicationFactor());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }
}
