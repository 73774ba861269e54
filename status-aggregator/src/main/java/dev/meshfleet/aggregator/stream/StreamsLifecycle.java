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
import dev.meshfleet.schemas.StreamsLiveness;
import dev.meshfleet.schemas.StreamsSettings;
import dev.meshfleet.schemas.v1.LifecycleStatus;
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
    /** Set when the application stops: NOT_RUNNING is then expected, not a reason to be restarted. */
    private volatile boolean closing;
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
        // A failing stream thread is replaced rather than left dead: the fold is idempotent, so
        // reprocessing from the last commit is safe.
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
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
        closing = true;
        replayer.shutdownNow();
        KafkaStreams current = streams;
        if (current != null) {
            current.close(Duration.ofSeconds(10));
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
        Properties props = StreamsSettings.membership(StreamsSettings.base(config.applicationId(), bootstrapServers,
                config.stateDir(), 100, config.replicationFactor()), config.groupInstanceId(), config.sessionTimeout());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }
}
