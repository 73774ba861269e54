package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Every workload cluster serves the Gateway API's Gateway as a cluster prepared by seed 003 does (its CRDs applied):
 * namespaced, with a status subresource, validated against upstream's schema, listed by discovery and printed by
 * {@code kubectl get gateways} with upstream's columns.
 */
class GatewayApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext GATEWAY = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withPlural("gateways").withKind("Gateway")
            .withNamespaced(true).build();
    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static GenericKubernetesResource gateway(String namespace, String name, Object listenerPort) {
        GenericKubernetesResource gw = new GenericKubernetesResource();
        gw.setApiVersion("gateway.networking.k8s.io/v1");
        gw.setKind("Gateway");
        gw.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(namespace).withName(name)
                .build());
        gw.setAdditionalProperty("spec", Map.of("gatewayClassName", "istio-eastwest",
                "listeners", List.of(Map.of("name", "cross-network", "port", listenerPort, "protocol", "HBONE",
                        "tls", Map.of("mode", "Passthrough")))));
        return gw;
    }

    @Test
    void aWorkloadClusterServesNamespacedGatewaysWhoseStatusIsWrittenOnlyThroughTheStatusSubresource() {
        KubernetesClient client = server.client("gw-served");
        var gateways = client.genericKubernetesResources(GATEWAY).inNamespace("istio-eastwest");
        GenericKubernetesResource created = gateways.resource(gateway("istio-eastwest", "istio-eastwest", 15008)).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(client.genericKubernetesResources(GATEWAY).inNamespace("other").list().getItems())
                .as("namespaced: another namespace lists none").isEmpty();

        GenericKubernetesResource withStatus = gateways.withName("istio-eastwest").get();
        withStatus.setAdditionalProperty("status", Map.of("addresses", List.of(Map.of("type", "IPAddress",
                "value", "192.0.2.7"))));
        GenericKubernetesResource afterStatus = gateways.resource(withStatus).updateStatus();
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(afterStatus.<String>get("status", "addresses", 0, "value")).isEqualTo("192.0.2.7");

        GenericKubernetesResource edit = gateways.withName("istio-eastwest").get();
        edit.setAdditionalProperty("spec", gateway("istio-eastwest", "istio-eastwest", 15009).get("spec"));
        edit.setAdditionalProperty("status", Map.of());
        GenericKubernetesResource updated = gateways.resource(edit).update();
        assertThat(updated.getMetadata().getGeneration()).as("a spec change bumps the generation").isEqualTo(2L);
        assertThat(updated.<String>get("status", "addresses", 0, "value")).as("an update keeps the stored status")
                .isEqualTo("192.0.2.7");
    }

    @Test
    void aGatewayUpstreamsSchemaRefusesIsRefusedWith422NamingTheField() {
        var gateways = server.client("gw-strict").genericKubernetesResources(GATEWAY).inNamespace("istio-eastwest");

        KubernetesClientException portAsText = org.junit.jupiter.api.Assertions.assertThrows(
                KubernetesClientException.class,
                () -> gateways.resource(gateway("istio-eastwest", "bad-port", "15008")).create());
        assertThat(portAsText.getCode()).isEqualTo(422);
        assertThat(portAsText.getMessage()).contains("spec.listeners[0].port");

        GenericKubernetesResource noClass = gateway("istio-eastwest", "no-class", 15008);
        noClass.setAdditionalProperty("spec", Map.of("listeners", List.of(Map.of("name", "x", "port", 1,
                "protocol", "TLS"))));
        KubernetesClientException missing = org.junit.jupiter.api.Assertions.assertThrows(
                KubernetesClientException.class, () -> gateways.resource(noClass).create());
        assertThat(missing.getCode()).isEqualTo(422);
        assertThat(missing.getMessage()).contains("spec.gatewayClassName");

        GenericKubernetesResource badMode = gateway("istio-eastwest", "bad-mode", 15008);
        badMode.setAdditionalProperty("spec", Map.of("gatewayClassName", "istio-remote", "listeners",
                List.of(Map.of("name", "x", "port", 15012, "protocol", "TLS", "tls", Map.of("mode", "PASSTHROUGH")))));
        KubernetesClientException enumRefused = org.junit.jupiter.api.Assertions.assertThrows(
                KubernetesClientException.class, () -> gateways.resource(badMode).create());
        assertThat(enumRefused.getCode()).isEqualTo(422);
        assertThat(enumRefused.getMessage()).contains("spec.listeners[0].tls.mode", "Passthrough");
    }

    @Test
    void discoveryListsGatewaysAndAGetAsTableShowsUpstreamsClassAddressAndProgrammedColumns() throws Exception {
        var gateways = server.client("gw-disco").genericKubernetesResources(GATEWAY).inNamespace("istio-eastwest");
        gateways.resource(gateway("istio-eastwest", "istio-eastwest", 15008)).create();
        GenericKubernetesResource live = gateways.withName("istio-eastwest").get();
        live.setAdditionalProperty("status", Map.of(
                "addresses", List.of(Map.of("type", "IPAddress", "value", "192.0.2.7")),
                "conditions", List.of(
                        condition("Accepted", "True"), condition("Programmed", "False"))));
        gateways.resource(live).updateStatus();

        String base = server.clusterUrl("gw-disco");
        JsonNode resources = get(base + "/apis/gateway.networking.k8s.io/v1", "application/json");
        List<String> names = new ArrayList<>();
        resources.path("resources").forEach(r -> names.add(r.path("name").asText() + ":"
                + r.path("namespaced").asBoolean()));
        assertThat(names).contains("gateways:true", "gateways/status:true");

        JsonNode table = get(base + "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        List<String> columns = new ArrayList<>();
        table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
        assertThat(columns).containsExactly("Name", "Class", "Address", "Programmed", "Age");
        JsonNode cells = table.path("rows").path(0).path("cells");
        assertThat(List.of(cells.path(0).asText(), cells.path(1).asText(), cells.path(2).asText(),
                cells.path(3).asText())).containsExactly("istio-eastwest", "istio-eastwest", "192.0.2.7", "False");
    }

    static Map<String, Object> condition(String type, String status) {
        return Map.of("type", type, "status", status, "reason", type, "message", "",
                "lastTransitionTime", "2026-01-01T00:00:00Z", "observedGeneration", 1);
    }

    static JsonNode get(String url, String accept) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
