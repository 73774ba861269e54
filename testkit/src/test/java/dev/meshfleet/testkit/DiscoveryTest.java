package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Discovery documents and Table answers, per
 * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api and
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables.
 */
class DiscoveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    static MockApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MockApiServer.start();
        for (KubernetesClient client : List.of(server.client(), server.client("disco"))) {
            MockApiServerTest.installCrd(client, "crds/istiolifecyclemanagers.yaml");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode get(String url, String accept) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theResourcesOfACrdCreatedInAStoreAreDiscoverableAtTheRootAndUnderTheClusterPrefix() throws Exception {
        for (String base : List.of(server.url(), server.clusterUrl("disco"))) {
            JsonNode groups = get(base + "/apis", "application/json");
            assertThat(groups.path("groups").findValuesAsText("name")).contains("admin.gloo.solo.io", "apps");

            JsonNode list = get(base + "/apis/admin.gloo.solo.io/v2", "application/json");
            assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
            JsonNode ilm = null;
            JsonNode status = null;
            for (JsonNode r : list.path("resources")) {
                if (r.path("name").asText().equals("istiolifecyclemanagers")) {
                    ilm = r;
                }
                if (r.path("name").asText().equals("istiolifecyclemanagers/status")) {
                    status = r;
                }
            }
            assertThat(ilm).as(base).isNotNull();
            assertThat(ilm.path("kind").asText()).isEqualTo("IstioLifecycleManager");
            assertThat(ilm.path("namespaced").asBoolean()).isTrue();
            assertThat(JSON.convertValue(ilm.path("shortNames"), List.class)).contains("ilm");
            assertThat(JSON.convertValue(ilm.path("verbs"), List.class)).contains("get", "list", "watch", "patch");
            assertThat(status).as("status subresource").isNotNull();
        }
    }

    @Test
    void aGenericClientResolvesCustomAndBuiltInKindsThroughDiscoveryAndAppliesThem() {
        KubernetesClient client = server.client("generic");
        MockApiServerTest.installCrdQuietly(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName("gen").endMetadata().build()).create();

        GenericKubernetesResource ilm = MockApiServerTest.ilm("gen", "by-kind");
        client.resource(ilm).fieldManager("installer").serverSideApply();
        assertThat(client.genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager").inNamespace("gen")
                .list().getItems()).extracting(r -> r.getMetadata().getName()).containsExactly("by-kind");

        GenericKubernetesResource deployment = JSON.convertValue(WorkloadSimulatorTest.deployment("gen-web", 1),
                GenericKubernetesResource.class);
        deployment.getMetadata().setNamespace("gen");
        client.resource(deployment).fieldManager("installer").serverSideApply();
        assertThat(client.apps().deployments().inNamespace("gen").withName("gen-web").get()).isNotNull();
    }

    @Test
    void builtInResourcesAreDiscoverable() throws Exception {
        assertThat(get(server.url() + "/api", "application/json").path("versions").get(0).asText()).isEqualTo("v1");
        assertThat(get(server.url() + "/api/v1", "application/json").path("resources").findValuesAsText("name"))
                .contains("namespaces", "configmaps", "secrets", "services");
        assertThat(get(server.clusterUrl("disco") + "/apis/apps/v1", "application/json").path("resources")
                .findValuesAsText("name")).contains("deployments", "deployments/status", "daemonsets");
        assertThat(get(server.url() + "/version", "application/json").path("minor").asText()).isEqualTo("32");
    }

    @Test
    void aCustomResourceListAsTableHasNameThenTheCrdsPrinterColumns() throws Exception {
        KubernetesClient client = server.client("disco");
        client.resource(new NamespaceBuilder().withNewMetadata().withName("tbl").endMetadata().build()).create();
        GenericKubernetesResource created = client.genericKubernetesResources(MockApiServerTest.ILM).inNamespace("tbl")
                .resource(MockApiServerTest.ilm("tbl", "mesh")).create();
        created.setAdditionalProperty("status", Map.of("summary", Map.of("state", "INSTALLING_CONTROL_PLANE", "healthy", "0/2")));
        client.genericKubernetesResources(MockApiServerTest.ILM).inNamespace("tbl").resource(created).updateStatus();

        JsonNode table = get(server.clusterUrl("disco") + "/apis/admin.gloo.solo.io/v2/namespaces/tbl/istiolifecyclemanagers",
                TABLE);

        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "State", "Healthy", "Age");
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").get(0).asText()).isEqualTo("mesh");
        assertThat(row.path("cells").get(1).asText()).isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(row.path("cells").get(2).asText()).isEqualTo("0/2");
        assertThat(row.path("cells").get(3).asText()).matches("\\d+[smhd]");
        assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("tbl");
    }

    @Test
    void aDeploymentAsTableShowsReadyReplicasOfDesired() throws Exception {
        KubernetesClient client = server.client("disco");
        client.apps().deployments().inNamespace("istio-system")
                .resource(WorkloadSimulatorTest.deployment("web", 2)).create();

        JsonNode table = get(server.clusterUrl("disco") + "/apis/apps/v1/namespaces/istio-system/deployments/web", TABLE);

        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Ready", "Age");
        assertThat(table.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("0/2");
    }
}
