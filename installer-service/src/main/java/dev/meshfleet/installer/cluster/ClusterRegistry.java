package dev.meshfleet.installer.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.fencing.WriteFence;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.schemas.crd.Crds;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Workload clusters registered in the management cluster: Secrets labelled
 * {@code meshfleet.dev/cluster=<name>} holding a kubeconfig. One client per cluster, rebuilt when
 * the kubeconfig changes and closed when the Secret goes. The kubeconfig is never logged: only
 * the Secret's name and a hash prefix identify it.
 *
 * <p>The clients share everything that does not depend on the cluster: one Vert.x instance (event
 * loop threads and connection machinery) behind one HTTP client factory, one Jackson
 * serialization (mappers and their serializer caches) and one task executor. Built on their own,
 * each Fabric8 client brings all three: at 300 clusters that was about 5 threads and 430 KiB of
 * heap per cluster (ClusterRegistryIT), which took a 256 MiB installer to OutOfMemoryError at 100
 * clusters. Shared, a client is a configuration and its connection pool (one connection per cluster
 * and event loop, opened on first use).
 *
 * <p>Each client's HTTP layer carries the {@link WriteFence} of its cluster: no write leaves for a cluster
 * this replica cannot prove it owns (ADR 0011).
 */
public class ClusterRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);

    /**
     * A registered cluster. Its client is built on first use: every replica registers every cluster (a remote
     * cluster's token is read by whichever replica owns the external one), but uses the clients of the clusters it
     * owns, a quarter of them with four replicas. Building a client was most of a registration's cost (Fabric8's
     * builder), so a replica starting beside a thousand clusters built a thousand it never used.
     */
    private final class Registration {
        final String secret;
        final String kubeconfigHash;
        private final String cluster;
        private final Config config;
        private KubernetesClient client;
        private boolean closed;

        Registration(String secret, String kubeconfigHash, String cluster, Config config) {
            this.secret = secret;
            this.kubeconfigHash = kubeconfigHash;
            this.cluster = cluster;
            this.config = config;
        }

        synchronized KubernetesClient client() {
            if (closed) {
                throw new IllegalStateException("the client of cluster " + cluster + " is closed (the cluster's Secret"
                        + " changed or is gone)");
            }
            if (client == null) {
                client = build(cluster, config);
            }
            return client;
        }

        synchronized boolean built() {
            return client != null;
        }

        synchronized void close() {
            closed = true;
            if (client != null) {
                client.close();
            }
        }
    }

    private final KubernetesClient management;
    private final String namespace;
    private final Consumer<String> onChange;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final WriteFence fence;
    private final Map<String, Registration> clusters = new ConcurrentHashMap<>();
    private static final int RESTART_SECONDS = 5;
    private static final int POOL_SWEEP_SECONDS = 15;
    private volatile SharedIndexInformer<Secret> informer;
    /** Held while a Secret is registered or unregistered: by the informer's handlers and by the first {@link #synced()}. */
    private final Object registrations = new Object();
    private volatile boolean primed;
    private volatile boolean closed;
    private final Vertx vertx;
    private final HttpClient.Factory httpClients;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ExecutorService tasks;
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-registry-restart");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param namespace where registration Secrets live; empty for every namespace
     * @param onChange  called with a cluster name when its registration appears, changes or goes
     * @param fence     checks every write of a cluster's client before it leaves, and names its writer
     */
    public ClusterRegistry(KubernetesClient management, String namespace, Consumer<String> onChange,
            int connectTimeoutMillis, int requestTimeoutMillis, WriteFence fence) {
        this.management = management;
        this.namespace = namespace;
        this.onChange = onChange;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.fence = fence;
        this.vertx = sharedVertx();
        this.httpClients = new VertxHttpClientFactory(vertx) {
            @Override
            protected void additionalConfig(WebClientOptions options) {
                // Each client's connection pool is swept for expired connections on a timer of its own, every
                // second by default: a thousand timers a second at a thousand clusters, for connections that
                // expire after a minute idle. A sweep every POOL_SWEEP_SECONDS closes them at most that much later.
                options.setPoolCleanerPeriod((int) TimeUnit.SECONDS.toMillis(POOL_SWEEP_SECONDS));
            }
        };
        // Fabric8 runs callbacks (watches, informers, async completions) here; the installer's own calls are
        // blocking, so it stays small; idle threads go after a minute.
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "cluster-client-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.tasks = pool;
    }

    /**
     * The one Vert.x instance of every workload-cluster client, configured as Fabric8 configures the
     * instance it would otherwise create per client (daemon threads, no file caching, the JDK's DNS
     * resolver), with one event loop per core.
     */
    private static Vertx sharedVertx() {
        String dns = System.getProperty("vertx.disableDnsResolver");
        System.setProperty("vertx.disableDnsResolver", "true");
        try {
            return Vertx.vertx(new VertxOptions()
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false))
                    .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .setWorkerPoolSize(2).setInternalBlockingPoolSize(2).setUseDaemonThread(true));
        } finally {
            if (dns == null) {
                System.clearProperty("vertx.disableDnsResolver");
            } else {
                System.setProperty("vertx.disableDnsResolver", dns);
            }
        }
    }

    /**
     * Starts the Secret informer without waiting for it: the service comes up (not ready) while the
     * management API is unreachable, and the informer is started again until it syncs.
     */
    public synchronized void start() {
        if (closed) {
            return;
        }
        var secrets = namespace == null || namespace.isBlank() ? management.secrets().inAnyNamespace()
                : management.secrets().inNamespace(namespace);
        SharedIndexInformer<Secret> started = secrets.withLabel(Crds.CLUSTER_LABEL).runnableInformer(0);
        started.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                register(secret);
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret newSecret) {
                if (!name(oldSecret).equals(name(newSecret))) {
                    unregister(oldSecret);
                }
                register(newSecret);
            }

            @Override
            public void onDelete(Secret secret, boolean deletedFinalStateUnknown) {
                unregister(secret);
            }
        });
        informer = started;
        started.start();
        // The informer stops for good when its list or watch fails beyond its own retries: start a new one.
        started.stopped().whenComplete((ignored, error) -> {
            if (!closed) {
                LOG.warnf("cluster Secret informer stopped (%s); restarting in %ds",
                        error == null ? "no error" : error.getClass().getSimpleName() + ": " + error.getMessage(),
                        RESTART_SECONDS);
                restarter.schedule(this::start, RESTART_SECONDS, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * True once every registration Secret has been listed and registered. The informer's store syncs before its
     * handlers have been called (they run on the informer's own executor, later): the first time it has synced,
     * every Secret in the store is registered here, so that "not registered" never means "not yet delivered".
     */
    public boolean synced() {
        SharedIndexInformer<Secret> i = informer;
        if (i == null || !i.hasSynced() || !i.isRunning()) {
            return false;
        }
        if (!primed) {
            synchronized (registrations) {
                if (!primed) {
                    i.getStore().list().forEach(this::register);
                    primed = true;
                }
            }
        }
        return true;
    }

    public Optional<KubernetesClient> client(String cluster) {
        Registration r = clusters.get(cluster);
        return r == null ? Optional.empty() : Optional.of(r.client());
    }

    public Set<String> clusters() {
        return Set.copyOf(clusters.keySet());
    }

    /** How many clusters are registered. */
    public int registered() {
        return clusters.size();
    }

    private void register(Secret secret) {
        synchronized (registrations) {
            registerLocked(secret);
        }
    }

    private void registerLocked(Secret secret) {
        String cluster = name(secret);
        String id = secretId(secret);
        String kubeconfig = kubeconfig(secret);
        if (cluster.isEmpty() || kubeconfig == null) {
            LOG.warnf("Secret %s is labelled %s but has no cluster name or no data key '%s'; ignored", id,
                    Crds.CLUSTER_LABEL, Crds.KUBECONFIG_KEY);
            unregisterLocked(secret);
            return;
        }
        String hash = Names.hash(kubeconfig);
        Registration current = clusters.get(cluster);
        if (current != null && current.kubeconfigHash.equals(hash)) {
            return;
        }
        Config config;
        try {
            config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig))
                    .withConnectionTimeout(connectTimeoutMillis).withRequestTimeout(requestTimeoutMillis)
                    // The installer backs off per cluster itself; client retries would hold a worker thread.
                    .withRequestRetryBackoffLimit(0).build();
        } catch (RuntimeException e) {
            // The exception text could quote the kubeconfig: log its type only.
            LOG.warnf("Secret %s for cluster %s holds a kubeconfig that cannot be loaded (%s); cluster not registered",
                    id, cluster, e.getClass().getSimpleName());
            return;
        }
        Registration previous = clusters.put(cluster, new Registration(id, hash, cluster, config));
        if (previous != null) {
            previous.close();
        }
        LOG.infof("cluster %s registered from Secret %s (kubeconfig %s)", cluster, id, hash.substring(0, 12));
        onChange.accept(cluster);
    }

    /**
     * Built on the thread that first asks, with this class's loader as the context class loader: Fabric8's builder
     * loads the client's implementation through the context loader, and a thread whose loader is another (a common
     * pool worker under the test runner's isolated loader) found a class whose constructor does not take our
     * types (NoSuchMethodException, ClusterRegistryIT). One client is built at a time.
     */
    private synchronized KubernetesClient build(String cluster, Config config) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(ClusterRegistry.class.getClassLoader());
        try {
            return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClients)
                    .withKubernetesSerialization(serialization).withTaskExecutor(tasks)
                    // Every write of this client passes the fence on its way out, whichever code sent it.
                    .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("meshfleet-write-fence",
                            fence.interceptor(cluster)))
                    .build();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** How many registered clusters have had their client built (those this replica has talked to). */
    public long clientsBuilt() {
        return clusters.values().stream().filter(Registration::built).count();
    }

    private void unregister(Secret secret) {
        synchronized (registrations) {
            unregisterLocked(secret);
        }
    }

    private void unregisterLocked(Secret secret) {
        String cluster = name(secret);
        String id = secretId(secret);
        Registration current = clusters.get(cluster);
        // Only the Secret that registered the cluster can unregister it.
        if (current != null && current.secret.equals(id) && clusters.remove(cluster, current)) {
            current.close();
            LOG.infof("cluster %s unregistered (Secret %s gone)", cluster, id);
            onChange.accept(cluster);
        }
    }

    private static String name(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        String v = labels == null ? null : labels.get(Crds.CLUSTER_LABEL);
        return v == null ? "" : v;
    }

    private static String secretId(Secret secret) {
        return secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    }

    private static String kubeconfig(Secret secret) {
        if (secret.getData() != null && secret.getData().get(Crds.KUBECONFIG_KEY) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(Crds.KUBECONFIG_KEY)),
                    StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null) {
            return secret.getStringData().get(Crds.KUBECONFIG_KEY);
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        restarter.shutdownNow();
        if (informer != null) {
            informer.close();
        }
        clusters.values().forEach(Registration::close);
        clusters.clear();
        tasks.shutdownNow();
        vertx.close();
    }
}
