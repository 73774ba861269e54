package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

class MockApiServerTest {

    static final ResourceDefinitionContext ILM = new ResourceDefinitionContext.Builder()
            .withGroup("admin.gloo.solo.io").withVersion("v2").withKind("IstioLifecycleManager")
            .withPlural("istiolifecyclemanagers").withNamespaced(true).build();

    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ConfigMap configMap(String ns, String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .addToData("k", value).build();
    }

    static void installCrd(KubernetesClient client, String resource) throws Exception {
        try (InputStream in = MockApiServerTest.class.getClassLoader().getResourceAsStream(resource)) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    static void installCrdQuietly(KubernetesClient client) {
        try {
            installCrd(client, "crds/istiolifecyclemanagers.yaml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static GenericKubernetesResource ilm(String ns, String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("admin.gloo.solo.io/v2")
                .withKind("IstioLifecycleManager")
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("installations", List.of(Map.of("revision", "1-22"))))
                .build();
    }

    @Test
    void eachClusterPrefixHasItsOwnStoreSeparateFromTheManagementCluster() {
        server.client("iso-a").configMaps().inNamespace("default").resource(configMap("default", "cm", "a")).create();
        server.client("iso-b").configMaps().inNamespace("default").resource(configMap("default", "cm", "b")).create();

        assertThat(server.client("iso-a").configMaps().inNamespace("default").withName("cm").get().getData())
                .containsEntry("k", "a");
        assertThat(server.client("iso-b").configMaps().inNamespace("default").withName("cm").get().getData())
                .containsEntry("k", "b");
        assertThat(server.client().configMaps().inNamespace("default").withName("cm").get()).isNull();
        assertThat(server.clusterNames()).contains("iso-a", "iso-b");
    }

    @Test
    void aClientBuiltFromTheClusterKubeconfigReachesThatCluster() {
        server.client("kc").configMaps().inNamespace("default").resource(configMap("default", "from-kc", "x")).create();
        Config config = Config.fromKubeconfig(server.kubeconfig("kc"));
        assertThat(config.getMasterUrl()).startsWith(server.clusterUrl("kc"));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(client.configMaps().inNamespace("default").withName("from-kc").get()).isNotNull();
        }
    }

    @Test
    void aWatchThroughAClusterPrefixDeliversAddedModifiedAndDeleted() {
        KubernetesClient client = server.client("watched");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + ":" + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.configMaps().inNamespace("default").resource(configMap("default", "w", "1")).create();
            client.configMaps().inNamespace("default").withName("w").edit(cm -> configMap("default", "w", "2"));
            client.configMaps().inNamespace("default").withName("w").delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(seen).containsSubsequence("ADDED:w", "MODIFIED:w", "DELETED:w"));
        }
    }

    @Test
    void openWatchesCostTheServerNoThreadEachSoThousandsOfClustersCanBeWatched() {
        KubernetesClient client = server.client("many-watches");
        client.configMaps().inNamespace("ns-0").resource(configMap("ns-0", "cm", "1")).create();
        List<String> seen = new CopyOnWriteArrayList<>();
        Watcher<ConfigMap> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(resource.getMetadata().getNamespace() + ":" + action);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
        int threadsBefore = Thread.activeCount();
        List<Watch> watches = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                watches.add(client.configMaps().inNamespace("ns-" + i).watch(watcher));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ns-0:ADDED"));
            client.configMaps().inNamespace("ns-59").resource(configMap("ns-59", "cm", "1")).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ns-59:ADDED"));

            assertThat(Thread.activeCount() - threadsBefore).isLessThan(20);
            assertThat(seen).filteredOn(e -> e.startsWith("ns-59:")).containsExactly("ns-59:ADDED");
        } finally {
            watches.forEach(Watch::close);
        }
    }

    @Test
    void aThousandClusterStoresCanBeCreatedWithoutAThreadEach() {
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 1000; i++) {
            ClusterStore store = server.store("fleet-" + i);
            assertThat(store.call("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}").code()).isEqualTo(201);
        }
        assertThat(server.client("fleet-999").configMaps().inNamespace("default").withName("c").get()).isNotNull();
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(20);
    }

    @Test
    void anInformerOnAWorkloadClusterSeesObjectsCreatedBeforeAndAfterItStarted() {
        KubernetesClient client = server.client("informed");
        client.configMaps().inNamespace("default").resource(configMap("default", "before", "1")).create();
        List<String> added = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        added.add(obj.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    }
                })) {
            client.configMaps().inNamespace("default").resource(configMap("default", "after", "1")).create();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(added).contains("before", "after"));
            assertThat(informer.getStore().list()).extracting(cm -> cm.getMetadata().getName())
                    .contains("before", "after");
        }
    }

    @Test
    void creatingACrdThroughTheApiServesItsNamespacedResourcesWithAStatusSubresource() throws Exception {
        KubernetesClient client = server.client("crd");
        installCrd(client, "crds/istiolifecyclemanagers.yaml");
        client.resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build()).create();

        GenericKubernetesResource created = client.genericKubernetesResources(ILM).inNamespace("team")
                .resource(ilm("team", "mesh")).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getUid()).isNotBlank();

        // PUT /status changes the status and nothing else, and leaves the generation alone.
        GenericKubernetesResource withStatus = client.genericKubernetesResources(ILM).inNamespace("team")
                .withName("mesh").get();
        withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 1));
        withStatus.setAdditionalProperty("spec", Map.of("installations", List.of()));
        GenericKubernetesResource afterStatus = client.genericKubernetesResources(ILM).inNamespace("team")
                .resource(withStatus).updateStatus();
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(afterStatus.get("status", "observedGeneration").toString()).isEqualTo("1");
        assertThat(afterStatus.<List<?>>get("spec", "installations")).hasSize(1);

        // An update of the main resource ignores status and bumps the generation for a spec change.
        GenericKubernetesResource edit = client.genericKubernetesResources(ILM).inNamespace("team")
                .withName("mesh").get();
        edit.setAdditionalProperty("spec", Map.of("installations", List.of(Map.of("revision", "1-23"))));
        edit.setAdditionalProperty("status", Map.of("observedGeneration", 99));
        GenericKubernetesResource updated = client.genericKubernetesResources(ILM).inNamespace("team")
                .resource(edit).update();
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(updated.get("status", "observedGeneration").toString()).isEqualTo("1");
    }

    @Test
    void statusSubresourceWritesAreCountedPerManagementResourceAndSpecWritesAreNot() throws Exception {
        KubernetesClient client = server.client();
        installCrdQuietly(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName("counted").endMetadata().build()).create();
        var ilms = client.genericKubernetesResources(ILM).inNamespace("counted");
        ilms.resource(ilm("counted", "mesh")).create();
        server.resetStatusWrites();

        for (int i = 1; i <= 2; i++) {
            GenericKubernetesResource r = ilms.withName("mesh").get();
            r.setAdditionalProperty("status", Map.of("observedGeneration", i));
            ilms.resource(r).updateStatus();
        }
        GenericKubernetesResource edit = ilms.withName("mesh").get();
        edit.setAdditionalProperty("spec", Map.of("installations", List.of(Map.of("revision", "1-23"))));
        ilms.resource(edit).update();

        assertThat(server.statusWrites()).containsEntry(
                "/apis/admin.gloo.solo.io/v2/namespaces/counted/istiolifecyclemanagers/mesh", 2L);
        server.resetStatusWrites();
        assertThat(server.statusWrites()).doesNotContainKey(
                "/apis/admin.gloo.solo.io/v2/namespaces/counted/istiolifecyclemanagers/mesh");
    }

    static ConfigMap labelled(String name, String tier) {
        return new ConfigMapBuilder(configMap("default", name, "1")).editMetadata().addToLabels("tier", tier)
                .addToLabels("app", "sel").endMetadata().build();
    }

    @Test
    void setBasedLabelSelectorsFilterListsInsteadOfBeingIgnored() {
        KubernetesClient client = server.client("selectors");
        for (String tier : List.of("a", "b", "c")) {
            client.configMaps().inNamespace("default").resource(labelled("cm-" + tier, tier)).create();
        }

        assertThat(client.configMaps().inNamespace("default").withLabel("app", "sel").withLabelIn("tier", "a", "b")
                .list().getItems()).extracting(cm -> cm.getMetadata().getName()).containsExactlyInAnyOrder("cm-a", "cm-b");
        assertThat(client.configMaps().inNamespace("default").withLabelNotIn("tier", "a", "b").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("cm-c");
    }

    @Test
    void aCollectionDeleteWithASetBasedSelectorDeletesOnlyTheMatchingObjects() {
        KubernetesClient client = server.client("selector-delete");
        for (String tier : List.of("a", "b", "c")) {
            client.configMaps().inNamespace("default").resource(labelled("cm-" + tier, tier)).create();
        }

        client.configMaps().inNamespace("default").withLabelIn("tier", "a", "c").delete();

        assertThat(client.configMaps().inNamespace("default").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("cm-b");
    }

    @Test
    void aWatchWithASetBasedSelectorSeesOnlyMatchingObjects() {
        KubernetesClient client = server.client("selector-watch");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps().inNamespace("default").withLabelIn("tier", "b").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + ":" + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.configMaps().inNamespace("default").resource(labelled("cm-a", "a")).create();
            client.configMaps().inNamespace("default").resource(labelled("cm-b", "b")).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ADDED:cm-b"));
            assertThat(seen).containsExactly("ADDED:cm-b");
        }
    }

    @Test
    void aSecretsStringDataIsStoredBase64EncodedInData() {
        KubernetesClient client = server.client("secrets");
        client.secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("kc").endMetadata()
                .addToData("old", "b2xk").addToStringData("kubeconfig", "apiVersion: v1").build()).create();

        io.fabric8.kubernetes.api.model.Secret stored = client.secrets().inNamespace("default").withName("kc").get();
        assertThat(stored.getStringData()).isNullOrEmpty();
        assertThat(stored.getData()).containsEntry("old", "b2xk")
                .containsEntry("kubeconfig", java.util.Base64.getEncoder().encodeToString("apiVersion: v1".getBytes()));
    }

    @Test
    void anUpdateCarryingAStaleResourceVersionIsRefusedWith409Conflict() {
        KubernetesClient client = server.client("conflict");
        ConfigMap created = client.configMaps().inNamespace("default").resource(configMap("default", "cm", "1")).create();
        client.configMaps().inNamespace("default").resource(configMap("default", "cm", "2")).update();

        ConfigMap stale = new ConfigMapBuilder(created).withData(Map.of("k", "3")).build();
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void deletingAnObjectWithFinalizersOnlyMarksItUntilTheLastFinalizerIsRemoved() {
        KubernetesClient client = server.client("finalizers");
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder(configMap("default", "f", "1"))
                .editMetadata().withFinalizers("meshfleet.dev/uninstall").endMetadata().build()).create();

        client.configMaps().inNamespace("default").withName("f").delete();
        ConfigMap marked = client.configMaps().inNamespace("default").withName("f").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotBlank();

        client.configMaps().inNamespace("default").withName("f")
                .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
        assertThat(client.configMaps().inNamespace("default").withName("f").get()).isNull();
    }

    @Test
    void anUnreachableClusterFailsItsClientsQuicklyAndRecoversWhenTheFaultIsCleared() {
        KubernetesClient client = server.client("down");
        server.setFaults("down", List.of(new Fault.Unreachable()));
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").list())
                .isInstanceOf(KubernetesClientException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.client("up").configMaps().inNamespace("default").list().getItems()).isEmpty();

        server.setFaults("down", List.of());
        assertThat(client.configMaps().inNamespace("default").list().getItems()).isEmpty();
    }

    @Test
    void aSlowClusterDelaysEveryResponseByItsDelay() {
        server.setFaults("slow", List.of(Fault.parse("slow=300ms")));
        long started = System.nanoTime();
        server.client("slow").configMaps().inNamespace("default").list();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void apiLatencyDelaysEveryWorkloadClusterRequestButNotTheManagementCluster() {
        server.setClusterLatency(Duration.ofMillis(400));
        try {
            long started = System.nanoTime();
            server.client("remote").configMaps().inNamespace("default").list();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(server.clusterLatency()).isEqualTo(Duration.ofMillis(400));
            // Management reads are answered without the latency: 10 of them take less than 10 delayed ones would.
            started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                server.client().configMaps().inNamespace("default").list();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4000));
        } finally {
            server.setClusterLatency(Duration.ZERO);
        }
    }

    @Test
    void delayedRequestsWaitSideBySideNotOneAfterAnotherOnTheSingleEventLoop() throws Exception {
        server.setClusterLatency(Duration.ofMillis(500));
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<String> names = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "latency" + i).toList();
            names.forEach(server::client);
            long started = System.nanoTime();
            List<java.util.concurrent.Future<?>> calls = names.stream()
                    .<java.util.concurrent.Future<?>>map(n -> callers.submit(
                            () -> server.client(n).configMaps().inNamespace("default").list()))
                    .toList();
            for (java.util.concurrent.Future<?> call : calls) {
                call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            // Twenty 500 ms delays served one after another would take 10 s; scheduled on a timer they overlap.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500))
                    .isLessThan(Duration.ofSeconds(5));
        } finally {
            callers.shutdownNow();
            server.setClusterLatency(Duration.ZERO);
        }
    }

    @Test
    void aNegativeLatencyIsRefused() {
        assertThatThrownBy(() -> server.setClusterLatency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCreateWithANameKubernetesWouldRefuseIsRefusedWith422NamingMetadataName() {
        ConfigMap bad = new ConfigMapBuilder().withNewMetadata().withName("Bad_Name").withNamespace("default").endMetadata()
                .build();
        assertThatThrownBy(() -> server.client().configMaps().inNamespace("default").resource(bad).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage()).contains("\"Bad_Name\" is invalid: metadata.name: Invalid value:",
                            "RFC 1123 subdomain");
                });
        assertThat(server.client().configMaps().inNamespace("default").withName("Bad_Name").get()).isNull();
        ConfigMap good = new ConfigMapBuilder().withNewMetadata().withName("good.name-1").withNamespace("default")
                .endMetadata().build();
        assertThat(server.client().configMaps().inNamespace("default").resource(good).create().getMetadata().getName())
                .isEqualTo("good.name-1");
    }
}
