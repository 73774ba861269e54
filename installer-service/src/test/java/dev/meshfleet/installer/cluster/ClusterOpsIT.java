package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** What one round's cluster operations cost in requests, counted at the API server. */
class ClusterOpsIT {

    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
        server.enforceNamespaceLifecycle();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRoundAppliesEachNamespaceOnceThoughTwoLayersAndTwoInventoriesAreWrittenInIt() {
        ClusterOps ops = new ClusterOps(server.client("ns1"), "meshfleet-installer");
        Inventory inventory = new Inventory(new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "u1"), 1,
                "1-24", "1.24.2", "hash", null, true, List.of());

        ops.apply(List.<HasMetadata>of(new ServiceAccountBuilder().withNewMetadata().withName("istio-reader")
                .withNamespace("istio-system").endMetadata().build()));
        ops.apply(List.<HasMetadata>of(new ConfigMapBuilder().withNewMetadata().withName("istio")
                .withNamespace("istio-system").endMetadata().build()));
        ops.writeInventory(inventory);
        ops.writeInventory(inventory);

        assertThat(namespaceWrites("ns1")).containsExactly("/api/v1/namespaces/istio-system",
                "/api/v1/namespaces/meshfleet-system");
        assertThat(server.client("ns1").serviceAccounts().inNamespace("istio-system").withName("istio-reader").get())
                .isNotNull();
        assertThat(server.client("ns1").configMaps().inNamespace("meshfleet-system").list().getItems()).hasSize(1);
    }

    @Test
    void theNextRoundOfTheSameReplicaAppliesNoNamespaceItAppliedBefore() {
        Set<String> applied = new HashSet<>();
        Inventory inventory = new Inventory(new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "u3"), 1,
                "1-24", "1.24.2", "hash", null, true, List.of());
        ClusterOps first = new ClusterOps(server.client("ns3"), "meshfleet-installer", applied);
        first.apply(List.<HasMetadata>of(configMap("istio-system", "a")));
        first.writeInventory(inventory);

        ClusterOps next = new ClusterOps(server.client("ns3"), "meshfleet-installer", applied);
        next.apply(List.<HasMetadata>of(configMap("istio-system", "b")));
        next.writeInventory(inventory);

        assertThat(namespaceWrites("ns3")).containsExactly("/api/v1/namespaces/istio-system",
                "/api/v1/namespaces/meshfleet-system");
        assertThat(server.client("ns3").configMaps().inNamespace("istio-system").withName("b").get()).isNotNull();
    }

    @Test
    void aNamespaceDeletedSinceIsPutBackWhenTheApiRefusesAnObjectInItAsNotFound() {
        Set<String> applied = new HashSet<>();
        Inventory inventory = new Inventory(new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", "u2"), 1,
                "1-24", "1.24.2", "hash", null, true, List.of());
        ClusterOps first = new ClusterOps(server.client("ns2"), "meshfleet-installer", applied);
        first.apply(List.<HasMetadata>of(configMap("istio-system", "a")));
        first.writeInventory(inventory);
        server.client("ns2").namespaces().withName("istio-system").delete();
        server.client("ns2").namespaces().withName("meshfleet-system").delete();

        // The workload clusters refuse objects in a missing namespace, as Kubernetes' NamespaceLifecycle does.
        ClusterOps next = new ClusterOps(server.client("ns2"), "meshfleet-installer", applied);
        assertThat(next.apply(List.<HasMetadata>of(configMap("istio-system", "b"))))
                .isInstanceOf(ApplyResult.Applied.class);
        next.writeInventory(inventory);

        assertThat(namespaceWrites("ns2")).containsExactly("/api/v1/namespaces/istio-system",
                "/api/v1/namespaces/meshfleet-system", "/api/v1/namespaces/istio-system",
                "/api/v1/namespaces/meshfleet-system");
        assertThat(server.client("ns2").namespaces().withName("istio-system").get()).isNotNull();
        assertThat(server.client("ns2").namespaces().withName("meshfleet-system").get()).isNotNull();
        assertThat(server.client("ns2").configMaps().inNamespace("istio-system").withName("b").get()).isNotNull();
        assertThat(server.client("ns2").configMaps().inNamespace("meshfleet-system").list().getItems()).hasSize(1);
    }

    private static ConfigMap configMap(String namespace, String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
    }

    /** Writes (server-side applies) of Namespace objects to a cluster, by path without the query. */
    private static List<String> namespaceWrites(String cluster) {
        return server.writeLog().writes().stream()
                .filter(w -> w.cluster().equals(cluster) && !w.method().equals("DELETE"))
                .map(w -> w.path().replaceFirst("\\?.*", ""))
                .filter(p -> p.matches("/api/v1/namespaces/[^/]+"))
                .toList();
    }
}
