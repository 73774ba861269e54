package dev.meshfleet.installer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.meshfleet.installer.cluster.ClusterRegistry;
import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.fencing.LeaseTiming;
import dev.meshfleet.installer.fencing.PartitionLeases;
import dev.meshfleet.installer.fencing.WriteFence;
import dev.meshfleet.installer.kafka.EventPublisher;
import dev.meshfleet.installer.kafka.PlanConsumer;
import dev.meshfleet.installer.pki.CaCertsIssuer;
import dev.meshfleet.installer.pki.RootOfTrust;
import dev.meshfleet.installer.reconcile.ClusterReconciler;
import dev.meshfleet.installer.reconcile.Ownership;
import dev.meshfleet.installer.trace.PlanTraces;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.render.CredentialsSecret;
import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import dev.meshfleet.installer.work.ResyncSchedule;
import dev.meshfleet.installer.work.StuckReconcile;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.installer.work.WorkQueue;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.AvroTrust;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Wires the installer's parts and owns their lifecycles: the cluster registry (management
 * cluster), the work queue and reconciler, the event publisher, and the install-plans consumer,
 * started in that order and stopped in reverse.
 */
@ApplicationScoped
public class InstallerService {
    private static final Logger LOG = Logger.getLogger(InstallerService.class);
    private static final Duration REGISTRY_SYNC_WAIT = Duration.ofSeconds(30);
    /** How soon a cluster handed to another replica stops being watched here. */
    private static final Duration WATCH_PRUNE_PERIOD = Duration.ofSeconds(10);
    /** Under the session timeout: a restarted replica rejoins before its partitions would move to another. */
    private static final Duration WARM_UP_WAIT = Duration.ofSeconds(10);

    @Inject
    InstallerConfig config;

    @Inject
    KubernetesClient management;

    @Inject
    MeterRegistry meters;

    @Inject
    Config configuration;

    @Inject
    Tracer tracer;

    private ClusterRegistry registry;
    private WorkloadWatches watches;
    private WorkQueue queue;
    private EventPublisher publisher;
    private PlanConsumer consumer;
    private ClusterReconciler reconciler;
    private PartitionLeases leases;
    private final Ownership ownership = new Ownership();
    private final PlanTraces traces = new PlanTraces();
    private KafkaClientMetrics publisherMetrics;

    void start(@Observes StartupEvent event) {
        AvroTrust.install();
        KafkaClientSettings kafka = KafkaClientSettings.fromConfig(configuration);
        // Checked here, so that an impossible replication fails the start instead of retrying for ever.
        TopicAdmin.Replication replication = TopicAdmin.Replication.of(config.replicationFactor(),
                config.minInsyncReplicas());
        String replicaId = config.replicaId().filter(s -> !s.isBlank()).orElseGet(InstallerService::hostname);
        Counter emitted = Counter.builder("meshfleet.installer.events.emitted")
                .description("Installation events sent").register(meters);
        Counter deadLetters = Counter.builder("meshfleet.installer.dead.letters")
                .description("install-plans records sent to the DLQ").register(meters);
        Timer reconcileTimer = Timer.builder("meshfleet.installer.reconcile.duration")
                .description("Duration of one cluster reconcile").register(meters);
        publisher = new EventPublisher(kafka, config.topics().installationEvents(),
                "installer-" + replicaId + "-events", emitted::increment).traced(tracer, traces);
        publisherMetrics = new KafkaClientMetrics(publisher.producer());
        publisherMetrics.bindTo(meters);
        String leaseNamespace = config.lease().namespace().filter(s -> !s.isBlank())
                .orElseGet(() -> management.getNamespace() == null ? "default" : management.getNamespace());
        leases = new PartitionLeases(management, leaseNamespace, config.topics().installPlans(), replicaId,
                new LeaseTiming(config.lease().duration(), config.lease().renewDeadline(), config.lease().retryPeriod()),
                System::nanoTime, Clock.systemUTC());
        WriteFence fence = new WriteFence(cluster -> ownership.get(cluster)
                .map(o -> new WriteFence.Claim(o.partition(), o.epoch())), leases);
        FunctionCounter.builder("meshfleet.installer.writes.fenced", fence, WriteFence::refusals)
                .description("Writes to workload clusters refused: the replica could not prove it owned the cluster")
                .register(meters);
        registry = new ClusterRegistry(management, config.clusterSecretNamespace().orElse(""),
                cluster -> queue.submit(cluster, Trigger.CHANGE),
                (int) config.clusterConnectTimeout().toMillis(), (int) config.clusterRequestTimeout().toMillis(), fence);
        Path chartDir = Path.of(config.chartDir());
        List<String> allowedSources = new java.util.ArrayList<>(config.allowedChartSources().orElse(List.of()));
        allowedSources.add(chartDir.toAbsolutePath().normalize().toString());
        ChartRenderer renderer = new ChartRenderer(chartDir, config.renderCacheSize(), config.renderCacheObjects(),
                ChartSourceAllowList.of(ChartRenderer.ALLOWED_SETTING, allowedSources),
                new CredentialsSecret(management, config.chartCredentialsSecret().orElse(null), secretNamespace(management)));
        FunctionCounter.builder("meshfleet.installer.render.cache.hits", renderer, ChartRenderer::hits)
                .description("Chart renders answered from the render cache").register(meters);
        FunctionCounter.builder("meshfleet.installer.render.cache.misses", renderer, ChartRenderer::misses)
                .description("Chart renders not answered from the cache (helm template, or a shared shape)").register(meters);
        FunctionCounter.builder("meshfleet.installer.render.shared", renderer, ChartRenderer::fromShapes)
                .description("Chart renders made from a values shape shared by clusters, without helm template")
                .register(meters);
        Gauge.builder("meshfleet.installer.render.cache.entries", renderer, ChartRenderer::size)
                .description("Chart releases held rendered").register(meters);
        // Warmed while the registry syncs, before joining the group: the first partitions go to a replica that
        // reconciles at full speed, and their previous owner keeps them meanwhile.
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> warmUp(renderer), runnable -> {
            Thread t = new Thread(runnable, "installer-warm-up");
            t.setDaemon(true);
            t.start();
        });
        watches = new WorkloadWatches(cluster -> queue.submit(cluster, Trigger.POLL));
        RootOfTrust root = new RootOfTrust(management, new RootOfTrust.Settings(secretNamespace(management),
                config.trust().rootSecret(), config.trust().generateRoot(), config.trust().rootValidity(),
                config.trust().rootRefresh()), Clock.systemUTC(), new SecureRandom());
        reconciler = new ClusterReconciler(ownership, registry::client, watches, renderer,
                publisher, Clock.systemUTC(), new ClusterReconciler.Settings(replicaId, config.fieldManager(),
                        config.readinessPoll(), new Backoff(config.backoff().initial(), config.backoff().max()),
                        config.repairDrift()),
                new CaCertsIssuer(root::root, config.trust().intermediateValidity(), new SecureRandom()));
        FunctionCounter.builder("meshfleet.installer.workload.reads", reconciler, ClusterReconciler::watchedReads)
                .tag("source", "watch").description("Workload reads for health answered by the cluster's watch")
                .register(meters);
        FunctionCounter.builder("meshfleet.installer.workload.reads", reconciler, ClusterReconciler::apiReads)
                .tag("source", "api").description("Workload reads for health sent to the cluster's API")
                .register(meters);
        Gauge.builder("meshfleet.installer.watched.clusters", watches, WorkloadWatches::size)
                .description("Clusters whose workloads are watched").register(meters);
        for (ClusterReconciler.ClusterState state : ClusterReconciler.ClusterState.values()) {
            Gauge.builder("meshfleet.installer.clusters", reconciler,
                    r -> r.clustersByState().getOrDefault(state, 0L)).tag("state", state.name())
                    .description("Owned clusters by state").register(meters);
        }
        queue = new WorkQueue(config.workers(),
                (cluster, trigger) -> reconcileTimer.record(() -> reconciler.reconcile(cluster, trigger)));
        registry.start();
        leases.start();
        consumer = new PlanConsumer(kafka, config.topics().installPlans(), config.groupId(),
                "installer-" + replicaId, config.groupInstanceId().orElse(""), ownership, leases, queue,
                config.defaultWaitTimeout(), deadLetters::increment)
                .sessionTimeout(config.sessionTimeout()).traced(tracer, traces).metrics(meters);
        consumer.beforeSubscribe(() -> {
            // A cluster is "not registered" only once every registration Secret has been listed: a replica that
            // took its partitions before would report its clusters PENDING until the informer caught up (seen once
            // static membership gave a restarted replica its partitions back at once).
            awaitRegistrySynced(REGISTRY_SYNC_WAIT);
            if (leases.heldFromBefore(config.partitions())) {
                // A restart after a crash: this replica's partitions come back to it at once and nobody reconciles
                // them meanwhile, so waiting for the warm-up would only delay them (ADR 0042).
                LOG.infof("leases still held by %s from before its restart: joining the install-plans group without"
                        + " waiting for the warm-up", replicaId);
            } else {
                awaitWarmUp(warmUp, WARM_UP_WAIT);
            }
            if (config.createTopics()) {
                TopicAdmin.ensure(kafka, TopicAdmin.definitions(config.partitions()), replication);
            }
        });
        consumer.start();
        Duration resync = config.resyncPeriod();
        // Each cluster at its own offset in the period (ResyncSchedule), never every cluster at once. With a
        // drift-repair period of its own, the resyncs in between only check health (Trigger.CHECK).
        Duration repair = config.driftRepairPeriod();
        boolean repairApart = !repair.equals(resync);
        scheduleSpread(new ResyncSchedule(resync), repairApart ? Trigger.CHECK : Trigger.RESYNC);
        if (repairApart) {
            scheduleSpread(new ResyncSchedule(repair), Trigger.RESYNC);
        }
        // A cluster handed to another replica stops being watched here (its reconcile stops the watch too, if any).
        queue.schedulePeriodically(() -> watches.retain(ownership.clusters()), WATCH_PRUNE_PERIOD);
        LOG.infof("installer %s started: Kafka client settings (kafka.*) %s, group %s, %d workers, resync every %s,"
                + " drift repair every %s, charts in %s", replicaId, kafka.describe(), config.groupId(), config.workers(), resync, config.repairDrift() ? repair : "never",
                Path.of(config.chartDir()).toAbsolutePath());
    }

    private static void warmUp(ChartRenderer renderer) {
        long start = System.nanoTime();
        List<String> charts = renderer.warmUp();
        LOG.infof("warmed up in %d ms (charts rendered with their defaults: %s)",
                (System.nanoTime() - start) / 1_000_000, charts.isEmpty() ? "none" : String.join(", ", charts));
    }

    /** The warm-up only saves time: past {@code atMost} the replica joins anyway, and a failed one is logged. */
    private static void awaitWarmUp(CompletableFuture<Void> warmUp, Duration atMost) {
        try {
            warmUp.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("warm-up still running after %s; joining the install-plans group without waiting more", atMost);
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "warm-up failed; joining the install-plans group anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming up", e);
        }
    }

    private void awaitRegistrySynced(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!registry.synced()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster registration Secrets are not listed yet (management API"
                        + " unreachable?); not joining the install-plans group before they are");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the cluster registry", e);
            }
        }
    }

    /** Submits each owned cluster with {@code trigger} once per period, at the cluster's own offset. */
    private void scheduleSpread(ResyncSchedule schedule, Trigger trigger) {
        long origin = System.nanoTime();
        AtomicLong lastTick = new AtomicLong();
        queue.schedulePeriodically(() -> {
            long now = (System.nanoTime() - origin) / 1_000_000;
            schedule.dueBetween(ownership.clusters(), lastTick.getAndSet(now), now)
                    .forEach(c -> queue.submit(c, trigger));
        }, schedule.tick());
    }

    void stop(@Observes ShutdownEvent event) {
        // Consumer first: leaving the group hands the partitions to another replica at once.
        if (consumer != null) {
            consumer.close();
        }
        if (queue != null) {
            queue.close();
        }
        // After the workers: the leases of partitions still held go to their next owners at once.
        if (leases != null) {
            leases.close();
        }
        if (watches != null) {
            watches.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (publisherMetrics != null) {
            publisherMetrics.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Where the installer reads Secrets of the management cluster: the cluster-secret namespace, else the client's. */
    private String secretNamespace(KubernetesClient client) {
        return config.clusterSecretNamespace().filter(n -> !n.isBlank())
                .orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    }

    /** Readiness: the consumer is in its group and polling, and the cluster registry has synced. */
    public boolean consumerHealthy() {
        return consumer != null && consumer.healthy();
    }

    /** Liveness: what ended the install-plans consumer thread, if it died. */
    public Optional<Throwable> consumerFailure() {
        return consumer == null ? Optional.empty() : consumer.failure();
    }

    /** Liveness: a reconcile hung far past any reconcile's length ({@link StuckReconcile}), described. */
    public Optional<String> stuckReconcile() {
        return queue == null ? Optional.empty() : StuckReconcile.verdict(queue.running(), config.stuckReconcileAfter());
    }

    /**
     * Where this replica stands, for readiness' data: partitions assigned, those not handed to the workers yet, leases
     * held, clusters owned and registered, reconciles running.
     */
    public Map<String, Long> progress() {
        Map<String, Long> p = new LinkedHashMap<>();
        p.put("partitions", (long) ownership.partitions());
        p.put("partitions-waiting", consumer == null ? 0L : consumer.partitionsWaiting());
        p.put("leases-held", leases == null ? 0L : leases.held());
        p.put("clusters-owned", (long) ownership.clusters().size());
        p.put("clusters-registered", registry == null ? 0L : registry.registered());
        p.put("reconciles-running", queue == null ? 0L : queue.running().size());
        return p;
    }

    public boolean registrySynced() {
        return registry != null && registry.synced();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "installer";
        }
    }
}
