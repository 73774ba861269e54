package dev.meshfleet.intake;

import java.net.URI;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.meshfleet.testkit.PrometheusScrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.intake.watch.LifecycleWatch;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.InProcessKafka;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * spec-intake against the real in-process broker and Fabric8's CRUD mock API server (which keeps
 * generation, finalizers, deletionTimestamp and the status subresource as Kubernetes does). The mock
 * does not write managedFields, so the test writes them as the API server would for kubectl.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CreateCrds.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
class SpecIntakeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAMESPACE = "gloo-mesh";
    private static final List<ConsumerRecord<String, SpecChange>> RECORDS = new ArrayList<>();
    private static KafkaConsumer<String, SpecChange> consumer;

    @Inject
    KubernetesClient client;
    @Inject
    IntakeService service;
    @Inject
    @Readiness
    IntakeReadiness readiness;
    @Inject
    @Liveness
    IntakeLiveness liveness;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void intakeIsReady() {
        await().atMost(WAIT).until(service::ready);
        if (consumer == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.shared().bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "spec-intake-it-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    AvroSerde.of(SpecChange.class).deserializer());
            consumer.subscribe(List.of(Topics.SPEC_CHANGES));
        }
    }

    @AfterAll
    static void closeConsumer() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void theSpecChangeProducersMetricsAreScrapedAtQMetrics() throws Exception {
        PrometheusScrape.awaitSample(metrics, "kafka_producer_record_send_total", l -> true, Duration.ofSeconds(60));
    }

    @Test
    void anIlmGetsTheFinalizerAndItsFirstGenerationIsPublishedWithTheActor() throws Exception {
        GenericKubernetesResource ilm = create(ResourceKind.IstioLifecycleManager, "ilm-minimal.yaml", "create");
        String key = OwnerKeys.of(ResourceKind.IstioLifecycleManager, NAMESPACE, "create");

        List<SpecChange> changes = awaitChanges(key, 1);
        SpecChange upsert = changes.get(0);
        assertThat(upsert.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(upsert.getGeneration()).isEqualTo(1);
        assertThat(upsert.getUid()).isEqualTo(ilm.getMetadata().getUid());
        assertThat(upsert.getKind()).isEqualTo(ResourceKind.IstioLifecycleManager);
        assertThat(upsert.getActor()).isEqualTo("kubectl-client-side-apply");
        assertThat(upsert.getSpecJson()).contains("\"revision\":\"1-24\"").contains("\"tag\":\"1.24.2-solo\"");
        assertThat(resource(ResourceKind.IstioLifecycleManager, "create").get().getMetadata().getFinalizers())
                .contains(Crds.FINALIZER);
        assertThat(registry.get("meshfleet.intake.published").tag("operation", "UPSERT").counter().count())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aSpecEditIsPublishedAsTheNextGenerationWithTheEditorAsActor() throws Exception {
        create(ResourceKind.IstioLifecycleManager, "ilm-minimal.yaml", "edit");
        String key = OwnerKeys.of(ResourceKind.IstioLifecycleManager, NAMESPACE, "edit");
        awaitChanges(key, 1);

        resource(ResourceKind.IstioLifecycleManager, "edit").edit(r -> {
            Map<String, Object> spec = spec(r);
            spec.put("installations", List.of(Map.of("revision", "1-25", "clusters", List.of(Map.of("name", "cluster1")),
                    "istioOperatorSpec", Map.of("tag", "1.25.0-solo"))));
            List<ManagedFieldsEntry> managed = new ArrayList<>(r.getMetadata().getManagedFields());
            managed.add(managedBy("alice", Instant.now().plusSeconds(1)));
            r.getMetadata().setManagedFields(managed);
            return r;
        });

        SpecChange edit = awaitChanges(key, 2).get(1);
        assertThat(edit.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(edit.getGeneration()).isEqualTo(2);
        assertThat(edit.getActor()).isEqualTo("alice");
        assertThat(edit.getSpecJson()).contains("1.25.0-solo");
    }

    @Test
    void aStatusOnlyUpdatePublishesNothing() throws Exception {
        create(ResourceKind.IstioLifecycleManager, "ilm-minimal.yaml", "status-only");
        String key = OwnerKeys.of(ResourceKind.IstioLifecycleManager, NAMESPACE, "status-only");
        awaitChanges(key, 1);

        GenericKubernetesResource withStatus = resource(ResourceKind.IstioLifecycleManager, "status-only").editStatus(r -> {
            r.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                    "summary", Map.of("state", "INSTALL_PENDING", "healthy", "0/2")));
            return r;
        });
        assertThat(withStatus.getMetadata().getGeneration()).isEqualTo(1);

        // Nothing new for longer than several informer resyncs (2s in the test config).
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInSameThread()
                .until(() -> changes(key).size() == 1);
    }

    @Test
    void aDeletionIsPublishedOnceAndTheResourceStaysHeldByTheFinalizer() throws Exception {
        GenericKubernetesResource ilm = create(ResourceKind.IstioLifecycleManager, "ilm-minimal.yaml", "delete");
        String key = OwnerKeys.of(ResourceKind.IstioLifecycleManager, NAMESPACE, "delete");
        awaitChanges(key, 1);

        resource(ResourceKind.IstioLifecycleManager, "delete").delete();

        SpecChange delete = awaitChanges(key, 2).get(1);
        assertThat(delete.getOperation()).isEqualTo(Operation.DELETE);
        assertThat(delete.getUid()).isEqualTo(ilm.getMetadata().getUid());
        GenericKubernetesResource held = resource(ResourceKind.IstioLifecycleManager, "delete").get();
        assertThat(held).isNotNull();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotBlank();
        assertThat(held.getMetadata().getFinalizers()).containsExactly(Crds.FINALIZER);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInSameThread()
                .until(() -> changes(key).size() == 2);
    }

    @Test
    void aGlmIsHandledTheSameWay() throws Exception {
        GenericKubernetesResource glm = create(ResourceKind.GatewayLifecycleManager, "glm-ingress.yaml", "gateway");
        String key = OwnerKeys.of(ResourceKind.GatewayLifecycleManager, NAMESPACE, "gateway");

        SpecChange upsert = awaitChanges(key, 1).get(0);
        assertThat(upsert.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(upsert.getKind()).isEqualTo(ResourceKind.GatewayLifecycleManager);
        assertThat(upsert.getGeneration()).isEqualTo(1);
        assertThat(upsert.getActor()).isEqualTo("kubectl-client-side-apply");
        assertThat(upsert.getSpecJson()).contains("\"gatewayRevision\":\"1-24\"");
        assertThat(resource(ResourceKind.GatewayLifecycleManager, "gateway").get().getMetadata().getFinalizers())
                .contains(Crds.FINALIZER);

        resource(ResourceKind.GatewayLifecycleManager, "gateway").delete();

        SpecChange delete = awaitChanges(key, 2).get(1);
        assertThat(delete.getOperation()).isEqualTo(Operation.DELETE);
        assertThat(delete.getUid()).isEqualTo(glm.getMetadata().getUid());
        assertThat(resource(ResourceKind.GatewayLifecycleManager, "gateway").get()).isNotNull();
    }

    @Test
    void aServiceMeshControllerIsWatchedInItsOwnGroupAndHandledAsAnIlm() throws Exception {
        SpecChange upsert = publishedWithTheFinalizerThenDeleted(ResourceKind.ServiceMeshController, "managed-istio", """
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: managed-istio, namespace: gloo-mesh}
                spec: {cluster: cluster1, dataplaneMode: Ambient, version: 1.28.1-patch0}
                """);
        assertThat(upsert.getSpecJson()).contains("\"cluster\":\"cluster1\"").contains("\"version\":\"1.28.1-patch0\"");
    }

    /** ADR 0045: the namespace's gloo-extensions-config rides on each controller's record; a change re-publishes it. */
    @Test
    void aServiceMeshControllerGoesOutWithItsNamespacesExtensionsConfigAndAgainWhenTheConfigMapChanges() throws Exception {
        String ns = "team-extensions";
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("gloo-extensions-config").withNamespace(ns).endMetadata()
                .addToData("beta", "serviceMeshController:\n  multiClusterMode: Peering\n").build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated")
                .withNamespace(ns).endMetadata().addToData("a", "b").build()).create();
        GenericKubernetesResource smc = client.getKubernetesSerialization().unmarshal("""
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: managed-istio, namespace: team-extensions}
                spec: {cluster: cluster1, version: 1.28.1-patch0}
                """, GenericKubernetesResource.class);
        client.genericKubernetesResources(LifecycleWatch.context(ResourceKind.ServiceMeshController)).inNamespace(ns)
                .resource(smc).create();
        String key = OwnerKeys.of(ResourceKind.ServiceMeshController, ns, "managed-istio");

        SpecChange first = awaitChanges(key, 1).get(0);
        assertThat(first.getExtensionsJson()).isEqualTo("{\"beta\":\"serviceMeshController:\\n  multiClusterMode: Peering\\n\"}");

        client.configMaps().inNamespace(ns).withName("gloo-extensions-config").edit(cm -> {
            cm.getData().put("values.istiod", "env:\n  PEERING_AUTOMATIC_LOCAL_GATEWAY: \"true\"\n");
            return cm;
        });
        SpecChange second = awaitChanges(key, 2).get(1);
        assertThat(second.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(second.getGeneration()).as("the controller's spec did not change").isEqualTo(first.getGeneration());
        assertThat(second.getExtensionsJson()).contains("\"values.istiod\":\"env:\\n  PEERING_AUTOMATIC_LOCAL_GATEWAY");

        client.configMaps().inNamespace(ns).withName("unrelated").edit(cm -> {
            cm.getData().put("a", "c");
            return cm;
        });
        client.configMaps().inNamespace(ns).withName("gloo-extensions-config").delete();
        SpecChange third = awaitChanges(key, 3).get(2);
        assertThat(third.getExtensionsJson()).as("the ConfigMap deleted").isNull();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInSameThread()
                .until(() -> changes(key).size() == 3);
    }

    @Test
    void anExternalControlPlaneIsWatchedInMeshfleetsGroupWithTheFinalizer() throws Exception {
        SpecChange upsert = publishedWithTheFinalizerThenDeleted(ResourceKind.ExternalControlPlane, "mesh1", """
                apiVersion: meshfleet.dev/v1alpha1
                kind: ExternalControlPlane
                metadata: {name: mesh1, namespace: gloo-mesh}
                spec:
                  external: {cluster: cluster1, address: istiod.mesh1.example.com, tlsSecretName: istiod-tls}
                  meshID: mesh1
                  remoteClusters: [{name: cluster2}]
                """);
        assertThat(upsert.getSpecJson()).contains("\"address\":\"istiod.mesh1.example.com\"");
    }

    /**
     * Creates the resource of {@code kind} in its own group, checks that it is published as an UPSERT of that kind and
     * uid and holds the finalizer, then deletes it and checks the DELETE and that the finalizer holds it; returns the
     * UPSERT for the kind's own checks of its spec.
     */
    private SpecChange publishedWithTheFinalizerThenDeleted(ResourceKind kind, String name, String yaml) throws Exception {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        r.getMetadata().setManagedFields(List.of(managedBy("kubectl-client-side-apply", Instant.now())));
        r = client.genericKubernetesResources(LifecycleWatch.context(kind)).inNamespace(NAMESPACE).resource(r).create();
        String key = OwnerKeys.of(kind, NAMESPACE, name);

        SpecChange upsert = awaitChanges(key, 1).get(0);
        assertThat(upsert.getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(upsert.getKind()).isEqualTo(kind);
        assertThat(upsert.getUid()).isEqualTo(r.getMetadata().getUid());
        assertThat(resource(kind, name).get().getMetadata().getFinalizers()).contains(Crds.FINALIZER);

        resource(kind, name).delete();

        SpecChange delete = awaitChanges(key, 2).get(1);
        assertThat(delete.getOperation()).isEqualTo(Operation.DELETE);
        assertThat(resource(kind, name).get()).as("held by the finalizer").isNotNull();
        return upsert;
    }

    @Test
    void aResourceWhoseFinalizerIsRemovedByHandIsPublishedAsDeletedOnce() throws Exception {
        create(ResourceKind.IstioLifecycleManager, "ilm-minimal.yaml", "by-hand");
        String key = OwnerKeys.of(ResourceKind.IstioLifecycleManager, NAMESPACE, "by-hand");
        awaitChanges(key, 1);
        resource(ResourceKind.IstioLifecycleManager, "by-hand").delete();
        awaitChanges(key, 2);

        // A person clears the finalizer instead of waiting for the uninstall: the resource goes away.
        resource(ResourceKind.IstioLifecycleManager, "by-hand").edit(r -> {
            r.getMetadata().setFinalizers(List.of());
            return r;
        });
        await().atMost(WAIT).until(() -> resource(ResourceKind.IstioLifecycleManager, "by-hand").get() == null);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInSameThread()
                .until(() -> changes(key).size() == 2);
        assertThat(changes(key)).extracting(SpecChange::getOperation).containsExactly(Operation.UPSERT, Operation.DELETE);
    }

    private GenericKubernetesResource create(ResourceKind kind, String example, String name) throws Exception {
        GenericKubernetesResource resource;
        try (InputStream in = Files.newInputStream(Path.of("..", "examples", example))) {
            resource = client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
        }
        resource.getMetadata().setName(name);
        resource.getMetadata().setNamespace(NAMESPACE);
        // What the API server records for `kubectl apply` (the mock leaves managedFields as sent).
        resource.getMetadata().setManagedFields(List.of(managedBy("kubectl-client-side-apply", Instant.now())));
        return client.genericKubernetesResources(LifecycleWatch.context(kind)).inNamespace(NAMESPACE)
                .resource(resource).create();
    }

    private static ManagedFieldsEntry managedBy(String manager, Instant time) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:spec", Map.of("f:installations", Map.of()));
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update")
                .withApiVersion(Crds.API_VERSION).withTime(time.toString().replaceAll("\\.\\d+Z$", "Z"))
                .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) r.getAdditionalProperties().get("spec"));
        r.setAdditionalProperty("spec", spec);
        return spec;
    }

    private Resource<GenericKubernetesResource> resource(ResourceKind kind, String name) {
        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops =
                client.genericKubernetesResources(LifecycleWatch.context(kind)).inNamespace(NAMESPACE);
        return ops.withName(name);
    }

    /** Waits until at least {@code count} changes of the key are on the topic, and returns them all. */
    private static List<SpecChange> awaitChanges(String key, int count) {
        await().atMost(WAIT).pollInSameThread().until(() -> changes(key).size() >= count);
        return changes(key);
    }

    private static synchronized List<SpecChange> changes(String key) {
        consumer.poll(Duration.ofMillis(200)).forEach(RECORDS::add);
        return RECORDS.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }
}
