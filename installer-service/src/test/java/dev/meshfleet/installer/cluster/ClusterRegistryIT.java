package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.installer.fencing.LeaseTiming;
import dev.meshfleet.installer.fencing.PartitionLeases;
import dev.meshfleet.installer.fencing.WriteFence;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The registry at fleet size, against the mock API server (all clusters on one port). */
class ClusterRegistryIT {
    private static final int CLUSTERS = 300;
    private static final String NAMESPACE = "meshfleet";

    private MockApiServer server;
    private ClusterRegistry registry;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        server = MockApiServer.start();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        server.close();
    }

    @Test
    void threeHundredClusterClientsShareOneEventLoopAndAddNoThreadsPerCluster() {
        startRegistry();
        // One cluster first: what any number of clusters costs once (the shared event loop and pools).
        register("cluster0");
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.client("cluster0").isPresent());
        registry.client("cluster0").orElseThrow().namespaces().list();
        int threadsWithOne = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapWithOne = usedHeapAfterGc();

        IntStream.rangeClosed(1, CLUSTERS - 1).forEach(i -> register("cluster" + i));
        await().atMost(Duration.ofSeconds(60)).until(() -> registry.clusters().size() == CLUSTERS);
        // Every client talks to its cluster once, in parallel as the workers would.
        IntStream.range(0, CLUSTERS).parallel().forEach(i -> {
            KubernetesClient client = registry.client("cluster" + i).orElseThrow();
            assertThat(client.namespaces().list().getItems()).isNotNull();
        });
        int threadsWithAll = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapWithAll = usedHeapAfterGc();
        System.out.printf("ClusterRegistryIT: threads %d with 1 cluster, %d with %d; heap %d KiB -> %d KiB (%d KiB per"
                + " cluster)%n", threadsWithOne, threadsWithAll, CLUSTERS, heapWithOne / 1024, heapWithAll / 1024,
                (heapWithAll - heapWithOne) / 1024 / (CLUSTERS - 1));

        assertThat(changed).hasSize(CLUSTERS);
        // A client per cluster used to bring its own Vert.x instance: event loop and blocked-thread checker each.
        assertThat(threadsWithAll - threadsWithOne).as("threads added by %d more clusters", CLUSTERS - 1)
                .isLessThan(40);
        // A client per cluster used to bring its own Jackson mappers and serializer caches: 427 KiB per cluster.
        // Measured here with the mock server's store of each cluster in the same heap: 69 KiB.
        assertThat((heapWithAll - heapWithOne) / (CLUSTERS - 1)).as("heap per cluster client, bytes")
                .isLessThan(150 * 1024);
    }

    /**
     * Every replica registers every cluster, but talks to those it owns: a cluster's client is built when it is
     * first asked for, so registering is cheap and a replica holds the clients of its own share only.
     */
    @Test
    void aClustersClientIsBuiltWhenItIsFirstAskedFor() {
        startRegistry();
        IntStream.range(0, 10).forEach(i -> register("cluster" + i));
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.clusters().size() == 10);

        assertThat(changed).hasSize(10);
        assertThat(registry.clientsBuilt()).as("clients built by registering alone").isZero();

        KubernetesClient client = registry.client("cluster3").orElseThrow();
        assertThat(client.namespaces().list().getItems()).isNotNull();
        assertThat(registry.client("cluster3").orElseThrow()).as("one client per cluster, kept").isSameAs(client);
        assertThat(registry.clientsBuilt()).isEqualTo(1);
    }

    /**
     * Synced means every listed Secret is registered: the informer's store syncs before its handlers have been
     * called, and a replica that joined in between reported clusters "not registered" (PipelineE2E, CI).
     */
    @Test
    void onceSyncedEverySecretListedIsRegistered() {
        IntStream.range(0, CLUSTERS).forEach(i -> register("cluster" + i));
        startRegistryWithoutWaiting();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!registry.synced()) {
            assertThat(System.nanoTime()).as("synced within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(registry.registered()).as("clusters registered when synced() first said true").isEqualTo(CLUSTERS);
        assertThat(registry.client("cluster" + (CLUSTERS - 1))).isPresent();
    }

    /** Reads only: the fence, which owns no cluster here, is never asked. */
    private void startRegistry() {
        startRegistryWithoutWaiting();
        await().atMost(Duration.ofSeconds(10)).until(registry::synced);
    }

    private void startRegistryWithoutWaiting() {
        WriteFence fence = new WriteFence(cluster -> Optional.empty(), new PartitionLeases(server.client(), NAMESPACE,
                "install-plans", "installer-0", LeaseTiming.DEFAULT, System::nanoTime, Clock.systemUTC()));
        registry = new ClusterRegistry(server.client(), NAMESPACE, changed::add, 5_000, 15_000, fence);
        registry.start();
    }

    private void register(String cluster) {
        String kubeconfig = server.kubeconfig(cluster);
        server.client().resource(new SecretBuilder().withNewMetadata().withName("cluster-" + cluster)
                .withNamespace(NAMESPACE).addToLabels(Crds.CLUSTER_LABEL, cluster).endMetadata()
                .addToData(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                        kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
