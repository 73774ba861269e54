package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * Server-side apply, rule by rule, as https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * describes it ("Field management", "Conflicts", "Merge strategy").
 */
class ServerSideApplyTest {

    static MockApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
        client = server.client("ssa");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ConfigMap cm(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withData(data).build();
    }

    static ConfigMap apply(String manager, ConfigMap cm) {
        return client.configMaps().inNamespace("default").resource(cm).fieldManager(manager).serverSideApply();
    }

    static Resource<ConfigMap> named(String name) {
        return client.configMaps().inNamespace("default").withName(name);
    }

    static Deployment deployment(String name, int replicas, Map<String, String> labels, String... containers) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().endSpec()
                .endTemplate().endSpec();
        for (String c : containers) {
            b.editSpec().editTemplate().editSpec().addNewContainer().withName(c).withImage(c + ":1").endContainer()
                    .endSpec().endTemplate().endSpec();
        }
        return b.build();
    }

    static HttpResponse<String> rawPatch(String url, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void applyCreatesAnAbsentObjectAndRecordsTheManagerWithOperationApply() {
        ConfigMap created = apply("installer", cm("created", Map.of("k", "v")));

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies(e -> {
            assertThat(e.getManager()).isEqualTo("installer");
            assertThat(e.getOperation()).isEqualTo("Apply");
            assertThat(e.getFieldsType()).isEqualTo("FieldsV1");
            assertThat(e.getFieldsV1().getAdditionalProperties()).containsKey("f:data");
        });
        assertThat(named("created").get().getData()).containsEntry("k", "v");
    }

    @Test
    void applyWithoutAFieldManagerIsABadRequest() throws Exception {
        HttpResponse<String> response = rawPatch(server.clusterUrl("ssa") + "/api/v1/namespaces/default/configmaps/nomgr",
                "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nomgr\ndata:\n  k: v\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("fieldManager is required");
        assertThat(named("nomgr").get()).isNull();
    }

    @Test
    void applyAcceptsAYamlBodyAsKubectlSendsIt() throws Exception {
        HttpResponse<String> response = rawPatch(
                server.clusterUrl("ssa") + "/api/v1/namespaces/default/configmaps/yaml?fieldManager=kubectl",
                "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  k: v\n");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(named("yaml").get().getData()).containsEntry("k", "v");
    }

    /** A body that starts like JSON but is YAML's flow style is YAML's to read, as for the API server. */
    @Test
    void applyAcceptsAYamlFlowMappingThatIsNotJson() throws Exception {
        HttpResponse<String> response = rawPatch(
                server.clusterUrl("ssa") + "/api/v1/namespaces/default/configmaps/flow?fieldManager=kubectl",
                "application/apply-patch+yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}, data: {k: v}}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(named("flow").get().getData()).containsEntry("k", "v");
    }

    @Test
    void reapplyingTheSameConfigurationWritesNothing() {
        ConfigMap first = apply("installer", cm("noop", Map.of("k", "v")));
        ConfigMap second = apply("installer", cm("noop", Map.of("k", "v")));

        assertThat(second.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
    }

    @Test
    void reapplyingAnUnchangedDeploymentAfterAControllerWroteItsStatusWritesNothingAndAnEditedOneIsWritten() {
        Deployment applied = client.apps().deployments().inNamespace("default")
                .resource(deployment("noop-deploy", 1, Map.of("app", "noop-deploy"), "c"))
                .fieldManager("installer").forceConflicts().serverSideApply();
        Deployment withStatus = client.apps().deployments().inNamespace("default").withName("noop-deploy").get();
        withStatus.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(1)
                .withObservedGeneration(1L).build());
        Deployment afterStatus = client.apps().deployments().inNamespace("default").resource(withStatus).updateStatus();
        assertThat(afterStatus.getMetadata().getResourceVersion())
                .isNotEqualTo(applied.getMetadata().getResourceVersion());

        Deployment again = client.apps().deployments().inNamespace("default")
                .resource(deployment("noop-deploy", 1, Map.of("app", "noop-deploy"), "c"))
                .fieldManager("installer").forceConflicts().serverSideApply();
        assertThat(again.getMetadata().getResourceVersion()).as("a no-op apply is not a write")
                .isEqualTo(afterStatus.getMetadata().getResourceVersion());

        client.apps().deployments().inNamespace("default").withName("noop-deploy").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("other:2");
            return d;
        });
        Deployment edited = client.apps().deployments().inNamespace("default").withName("noop-deploy").get();
        Deployment repaired = client.apps().deployments().inNamespace("default")
                .resource(deployment("noop-deploy", 1, Map.of("app", "noop-deploy"), "c"))
                .fieldManager("installer").forceConflicts().serverSideApply();
        assertThat(repaired.getMetadata().getResourceVersion())
                .isNotEqualTo(edited.getMetadata().getResourceVersion());
        assertThat(repaired.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("c:1");
        assertThat(repaired.getMetadata().getGeneration()).isGreaterThan(edited.getMetadata().getGeneration());
    }

    @Test
    void aFieldTheManagerStopsApplyingIsRemovedWhenNobodyElseOwnsIt() {
        apply("installer", cm("drop", Map.of("keep", "1", "gone", "2")));
        apply("installer", cm("drop", Map.of("keep", "1")));

        assertThat(named("drop").get().getData()).containsOnlyKeys("keep");
    }

    @Test
    void aFieldSharedWithAnotherManagerStaysWhenOneManagerStopsApplyingIt() {
        apply("a", cm("shared", Map.of("k", "same", "a-only", "1")));
        apply("b", cm("shared", Map.of("k", "same")));
        apply("a", cm("shared", Map.of("a-only", "1")));

        assertThat(named("shared").get().getData()).containsEntry("k", "same");
    }

    @Test
    void changingAFieldAnotherManagerOwnsIsAConflictNamingTheFieldAndTheManager() {
        apply("installer", cm("conflict", Map.of("k", "mine")));

        assertThatThrownBy(() -> apply("intruder", cm("conflict", Map.of("k", "theirs"))))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage()).contains("conflict with \"installer\"").contains(".data.k");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(c -> assertThat(c.getField()).isEqualTo(".data.k"));
                });
        assertThat(named("conflict").get().getData()).containsEntry("k", "mine");
    }

    @Test
    void forceTakesOwnershipOfTheConflictingFields() {
        apply("installer", cm("forced", Map.of("k", "mine")));

        client.configMaps().inNamespace("default").resource(cm("forced", Map.of("k", "theirs")))
                .fieldManager("intruder").forceConflicts().serverSideApply();

        ConfigMap live = named("forced").get();
        assertThat(live.getData()).containsEntry("k", "theirs");
        assertThat(live.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .containsExactly("intruder");
    }

    @Test
    void anApplyCarryingAStaleResourceVersionIsAConflict() {
        ConfigMap first = apply("installer", cm("rv", Map.of("k", "1")));
        apply("installer", cm("rv", Map.of("k", "2")));

        ConfigMap stale = new ConfigMapBuilder(cm("rv", Map.of("k", "3"))).editMetadata()
                .withResourceVersion(first.getMetadata().getResourceVersion()).endMetadata().build();
        assertThatThrownBy(() -> apply("installer", stale))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void nonApplyWritesAreRecordedAsOperationUpdateAndTheirFieldsConflictWithALaterApply() {
        client.configMaps().inNamespace("default").resource(cm("updated", Map.of("k", "by-create"))).create();
        ConfigMap live = named("updated").get();
        assertThat(live.getMetadata().getManagedFields()).singleElement().satisfies(e -> {
            assertThat(e.getOperation()).isEqualTo("Update");
            assertThat(e.getManager()).isEqualTo("fabric8-kubernetes-client");
        });

        assertThatThrownBy(() -> apply("installer", cm("updated", Map.of("k", "by-apply"))))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void anUpdateTakesFieldsFromAnApplierWithoutConflict() {
        apply("installer", cm("taken", Map.of("k", "applied")));
        named("taken").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("k", "edited")).build());

        ConfigMap live = named("taken").get();
        assertThat(live.getData()).containsEntry("k", "edited");
        assertThat(live.getMetadata().getManagedFields())
                .filteredOn(e -> e.getManager().equals("installer")).isEmpty();
    }

    @Test
    void theGenerationBumpsForASpecChangeButNotForALabelChange() {
        Deployment created = client.apps().deployments().inNamespace("default")
                .resource(deployment("gen", 1, Map.of("a", "1"), "app")).fieldManager("installer").serverSideApply();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

        Deployment relabelled = client.apps().deployments().inNamespace("default")
                .resource(deployment("gen", 1, Map.of("a", "2"), "app")).fieldManager("installer").serverSideApply();
        assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(relabelled.getMetadata().getLabels()).containsEntry("a", "2");

        Deployment scaled = client.apps().deployments().inNamespace("default")
                .resource(deployment("gen", 3, Map.of("a", "2"), "app")).fieldManager("installer").serverSideApply();
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void listsWithMergeKeysAreOwnedAtomicallySoAnotherManagersExtraContainerIsAConflict() {
        client.apps().deployments().inNamespace("default").resource(deployment("atomic", 1, Map.of(), "app"))
                .fieldManager("installer").serverSideApply();

        // Kubernetes would merge containers by name here; we own the list as a whole (see README).
        assertThatThrownBy(() -> client.apps().deployments().inNamespace("default")
                .resource(deployment("atomic", 1, Map.of(), "app", "sidecar")).fieldManager("injector").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void applyThroughTheStatusSubresourceChangesOnlyTheStatus() throws Exception {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build()).create();
        MockApiServerTest.installCrd(client, "crds/istiolifecyclemanagers.yaml");
        GenericKubernetesResource ilm = MockApiServerTest.ilm("team", "mesh");
        client.genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team").resource(ilm)
                .fieldManager("intake").serverSideApply();

        String url = server.clusterUrl("ssa")
                + "/apis/admin.gloo.solo.io/v2/namespaces/team/istiolifecyclemanagers/mesh/status?fieldManager=aggregator";
        HttpResponse<String> response = rawPatch(url, "application/apply-patch+yaml", """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: mesh
                  namespace: team
                spec:
                  installations: []
                status:
                  observedGeneration: 1
                  summary:
                    state: HEALTHY
                """);
        assertThat(response.statusCode()).isEqualTo(200);

        GenericKubernetesResource live = client.genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team")
                .withName("mesh").get();
        assertThat(live.<String>get("status", "summary", "state")).isEqualTo("HEALTHY");
        assertThat(live.<List<?>>get("spec", "installations")).hasSize(1);
        assertThat(live.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(live.getMetadata().getManagedFields())
                .anySatisfy(e -> assertThat(e.getManager() + "/" + e.getSubresource()).isEqualTo("aggregator/status"));
    }

    @Test
    void aClusterWithTheRejectApplyFaultAnswersApplyWith422Invalid() {
        server.setFaults("rejecting", List.of(new Fault.RejectApply()));

        assertThatThrownBy(() -> server.client("rejecting").configMaps().inNamespace("default")
                .resource(cm("refused", Map.of("k", "v"))).fieldManager("installer").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                });
        server.setFaults("rejecting", List.of());
        assertThat(server.client("rejecting").configMaps().inNamespace("default")
                .resource(cm("refused", Map.of("k", "v"))).fieldManager("installer").serverSideApply()).isNotNull();
    }
}
