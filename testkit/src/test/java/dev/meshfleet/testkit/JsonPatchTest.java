package dev.meshfleet.testkit;

import static dev.meshfleet.testkit.MockApiServerTest.ILM;
import static dev.meshfleet.testkit.MockApiServerTest.ilm;
import static dev.meshfleet.testkit.MockApiServerTest.installCrd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * JSON patch (RFC 6902) as the status-aggregator uses it: a status written whole through the status
 * subresource, and a finalizer removed, each guarded by {@code test} ops. As Kubernetes does: the
 * patch applies whole or not at all, and a failed test is refused (422) with nothing changed.
 */
class JsonPatchTest {
    static MockApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        server = MockApiServer.start();
        client = server.client("json-patch");
        installCrd(client, "crds/istiolifecyclemanagers.yaml");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Resource<GenericKubernetesResource> create(String name, String... finalizers) {
        GenericKubernetesResource r = ilm("default", name);
        r.getMetadata().setFinalizers(List.of(finalizers));
        client.genericKubernetesResources(ILM).inNamespace("default").resource(r).create();
        return client.genericKubernetesResources(ILM).inNamespace("default").withName(name);
    }

    @Test
    void aJsonMergePatchReplacesAListAndNullRemovesAKeyAsRfc7386Says() {
        Resource<GenericKubernetesResource> r = create("merge-patch");
        r.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"installations\":[{\"revision\":\"1-23\"}]}}");
        r.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":null}}}");
        GenericKubernetesResource live = r.get();
        assertThat(live.getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("installations", List.of(Map.of("revision", "1-23"))));
        assertThat(live.getMetadata().getLabels()).doesNotContainKey("a");
    }

    @Test
    void aStatusPatchWithAPassingTestReplacesTheWholeStatusAndLeavesTheSpecAlone() {
        Resource<GenericKubernetesResource> r = create("status-patch");
        String uid = r.get().getMetadata().getUid();
        r.subresource("status").patch(PatchContext.of(PatchType.JSON), """
                [{"op":"test","path":"/metadata/uid","value":"%s"},
                 {"op":"add","path":"/status","value":{"clusters":{"cluster1":{},"cluster2":{}}}}]""".formatted(uid));

        GenericKubernetesResource after = r.subresource("status").patch(PatchContext.of(PatchType.JSON), """
                [{"op":"test","path":"/metadata/uid","value":"%s"},
                 {"op":"add","path":"/status","value":{"clusters":{"cluster2":{}}}}]""".formatted(uid));

        assertThat(after.<Map<String, Object>>get("status", "clusters")).containsOnlyKeys("cluster2");
        assertThat(r.get().<Map<String, Object>>get("status", "clusters")).containsOnlyKeys("cluster2");
        assertThat(r.get().<List<?>>get("spec", "installations")).hasSize(1);
        assertThat(r.get().getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void aPatchWhoseTestFailsIsRefusedAndChangesNothing() {
        Resource<GenericKubernetesResource> r = create("failed-test", "meshfleet.dev/uninstall");
        String before = r.get().getMetadata().getResourceVersion();

        assertThatThrownBy(() -> r.subresource("status").patch(PatchContext.of(PatchType.JSON), """
                [{"op":"test","path":"/metadata/uid","value":"another-uid"},
                 {"op":"add","path":"/status","value":{"clusters":{}}}]"""))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThatThrownBy(() -> r.patch(PatchContext.of(PatchType.JSON), """
                [{"op":"test","path":"/metadata/finalizers/0","value":"someone.else/finalizer"},
                 {"op":"remove","path":"/metadata/finalizers/0"}]"""))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

        GenericKubernetesResource after = r.get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(after.getMetadata().getFinalizers()).containsExactly("meshfleet.dev/uninstall");
        assertThat(after.getAdditionalProperties()).doesNotContainKey("status");
    }

    @Test
    void aFinalizerIsRemovedByIndexOnceTheTestOfThatIndexPasses() {
        Resource<GenericKubernetesResource> r = create("finalizer", "other.io/keep", "meshfleet.dev/uninstall");

        r.patch(PatchContext.of(PatchType.JSON), """
                [{"op":"test","path":"/metadata/finalizers/1","value":"meshfleet.dev/uninstall"},
                 {"op":"remove","path":"/metadata/finalizers/1"}]""");

        assertThat(r.get().getMetadata().getFinalizers()).containsExactly("other.io/keep");
    }
}
