package dev.meshfleet.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.change.PublishLedger;
import dev.meshfleet.intake.publish.ChainHeads;
import dev.meshfleet.intake.publish.SpecChangePublisher;
import dev.meshfleet.intake.queue.WorkQueue;
import dev.meshfleet.intake.watch.Finalizers;
import dev.meshfleet.intake.watch.LifecycleResources;
import dev.meshfleet.intake.watch.LifecycleWatch;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Wires the informers, the work queue, the workers and the producer, and runs them for the app's life. */
@ApplicationScoped
public class IntakeService {
    private static final Logger LOG = Logger.getLogger(IntakeService.class);
    static final String MDC_OWNER = "owner";
    private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(60);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);

    @Inject
    IntakeConfig config;
    @Inject
    KubernetesClient client;
    @Inject
    MeterRegistry registry;
    @Inject
    Config configuration;

    @Inject
    Tracer tracer;

    private volatile KafkaClientSettings kafka;
    private TopicAdmin.Replication replication;

    private final AtomicBoolean topicsReady = new AtomicBoolean();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;
    private WorkQueue queue;
    private LifecycleWatch watch;
    private SpecChangePublisher publisher;
    private ChainHeads chain;
    private KafkaClientMetrics producerMetrics;
    private IntakeController controller;

    void onStart(@Observes StartupEvent event) {
        AvroTrust.install();
        kafka = KafkaClientSettings.fromConfig(configuration);
        // Checked here, so that an impossible replication fails the start instead of the topic thread.
        replication = TopicAdmin.Replication.of(config.replicationFactor(), config.minInsyncReplicas());
        running = true;
        queue = new WorkQueue(BACKOFF_BASE, BACKOFF_MAX);
        registry.gauge("meshfleet.intake.queue.depth", queue, WorkQueue::depth);
        Map<Operation, Counter> published = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            published.put(operation, Counter.builder("meshfleet.intake.published")
                    .description("SpecChange records acknowledged by Kafka").tag("operation", operation.name())
                    .register(registry));
        }
        chain = ChainHeads.of(kafka, config.topic(), SpecChange.class, SpecChange::getChainHash);
        publisher = SpecChangePublisher.create(kafka, config.topic()).tracedBy(tracer).chainedBy(chain);
        producerMetrics = new KafkaClientMetrics(publisher.producer());
        producerMetrics.bindTo(registry);
        watch = new LifecycleWatch(client);
        controller = new IntakeController(watch::get, new Finalizers(client)::ensure, publisher::publish, watch::extensions,
                new LifecycleResources(new ObjectMapper()), new PublishLedger(), Clock.systemUTC(),
                operation -> published.get(operation).increment());

        if (config.createTopics()) {
            start("intake-topics", this::ensureTopics);
        } else {
            topicsReady.set(true);
        }
        // Before the first record: a restarted intake continues each key's audit chain (docs/adr/0033).
        threads.add(chain.loadInBackground("intake-audit-chain", () -> running,
                why -> LOG.warnf("audit chain heads of %s not read yet: %s", config.topic(), why)));
        watch.start(config.namespaces().orElse(List.of()), config.resyncPeriod(), queue::add);
        for (int i = 0; i < Math.max(1, config.workers()); i++) {
            start("intake-worker-" + i, this::work);
        }
        LOG.infof("spec-intake started: API server %s, Kafka client settings (kafka.*) %s, topic %s, namespaces %s,"
                + " %d workers", client.getConfiguration().getMasterUrl(), kafka.describe(), config.topic(),
                config.namespaces().filter(n -> !n.isEmpty()).map(Object::toString).orElse("all"), config.workers());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (queue != null) {
            queue.close();
        }
        threads.forEach(Thread::interrupt);
        if (watch != null) {
            watch.close();
        }
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** The informers have listed and are watching, the topics exist (when we create them), the chain's heads are read. */
    public boolean ready() {
        return watch != null && watch.synced() && topicsReady.get() && chain.loaded();
    }

    /** Every worker thread is still taking keys (they only stop at shutdown). */
    public boolean workersAlive() {
        return workersAlive(running, threads);
    }

    /**
     * What can never recover by itself, named (liveness): a dead worker pool, an informer that stopped for good (no
     * watch event of its kind would reach the queue), a producer whose I/O thread ended (nothing would be published).
     */
    public List<String> deadParts() {
        return deadParts(running, threads, watch, publisher);
    }

    static List<String> deadParts(boolean running, List<Thread> threads, LifecycleWatch watch,
            SpecChangePublisher publisher) {
        List<String> dead = new java.util.ArrayList<>();
        if (!workersAlive(running, threads)) {
            dead.add("a worker thread has ended");
        }
        if (running && watch != null) {
            watch.stoppedInformers().forEach(i -> dead.add(i + " has stopped"));
        }
        if (running && publisher != null) {
            publisher.dead().ifPresent(dead::add);
        }
        return dead;
    }

    /**
     * Live while running and every worker thread is alive. A worker ends only at shutdown or on an Error (a
     * RuntimeException re-queues its key): with one dead the queue drains slower, with all dead never, and only a
     * restart brings them back. The informers reconnect by themselves and the topic thread ends once its work is done.
     */
    static boolean workersAlive(boolean running, List<Thread> threads) {
        List<Thread> workers = threads.stream().filter(t -> t.getName().startsWith("intake-worker-")).toList();
        return running && !workers.isEmpty() && workers.stream().allMatch(Thread::isAlive);
    }

    /** The kafka.* client settings, read at startup; null before. */
    KafkaClientSettings kafka() {
        return kafka;
    }

    private void work() {
        while (running) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            MDC.put(MDC_OWNER, key);
            try {
                controller.handle(key);
                queue.forget(key);
            } catch (RuntimeException e) {
                // Logged here, where it is handled: the key comes back after its backoff.
                LOG.warnf("cannot handle %s (attempt %d), retrying with backoff: %s", key,
                        queue.failures(key) + 1, e.toString());
                queue.addRateLimited(key);
            } finally {
                MDC.remove(MDC_OWNER);
                queue.done(key);
            }
        }
    }

    /** Retries until the broker answers: a Kafka that starts after us must not fail the intake. */
    private void ensureTopics() {
        if (TopicAdmin.ensureOnceReachable(kafka, TopicAdmin.definitions(config.partitions()), replication, TOPIC_RETRY,
                () -> running, why -> LOG.warnf("topics not ensured yet: %s", why))) {
            topicsReady.set(true);
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }
}
