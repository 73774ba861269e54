package dev.meshfleet.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class PeeringSpecsTest {

    static final String EXAMPLE = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: gloo-extensions-config, namespace: gloo-mesh}
            data:
              beta: |
                serviceMeshController:
                  multiClusterMode: Peering
            ---
            apiVersion: operator.gloo.solo.io/v1
            kind: ServiceMeshController
            metadata: {name: managed-istio-cluster1, namespace: gloo-mesh}
            spec: {cluster: cluster1, network: cluster1, dataplaneMode: Ambient, version: 1.28.1-patch0}
            ---
            apiVersion: operator.gloo.solo.io/v1
            kind: ServiceMeshController
            metadata: {name: managed-istio-cluster2, namespace: gloo-mesh}
            spec: {cluster: cluster2, network: cluster2, dataplaneMode: Sidecar, version: 1.27.0}
            """;

    static List<JsonNode> docs(String yaml) throws Exception {
        ObjectMapper m = new ObjectMapper(new YAMLFactory());
        return m.readValues(m.createParser(yaml), JsonNode.class).readAll();
    }

    @Test
    void theConfigMapThenAControllerPerClusterShapedLikeTheExamplesFirst() throws Exception {
        List<JsonNode> docs = docs(PeeringSpecs.controllers(EXAMPLE, List.of("cluster7", "cluster8", "cluster9"), true));

        assertThat(docs).extracting(d -> d.path("kind").asText() + " " + d.path("metadata").path("name").asText())
                .containsExactly("ConfigMap gloo-extensions-config", "ServiceMeshController managed-istio-cluster7",
                        "ServiceMeshController managed-istio-cluster8", "ServiceMeshController managed-istio-cluster9");
        assertThat(docs.get(0).path("data").path("beta").asText()).contains("multiClusterMode: Peering");
        JsonNode eighth = docs.get(2);
        assertThat(eighth.path("metadata").path("namespace").asText()).isEqualTo("gloo-mesh");
        assertThat(eighth.path("spec").path("cluster").asText()).isEqualTo("cluster8");
        assertThat(eighth.path("spec").path("network").asText()).isEqualTo("cluster8");
        assertThat(eighth.path("spec").path("dataplaneMode").asText()).isEqualTo("Ambient");
        assertThat(eighth.path("spec").path("version").asText()).isEqualTo("1.28.1-patch0");
    }

    @Test
    void withoutTheConfigMapOnlyTheControllers() throws Exception {
        assertThat(docs(PeeringSpecs.controllers(EXAMPLE, List.of("cluster4"), false)))
                .extracting(d -> d.path("metadata").path("name").asText()).containsExactly("managed-istio-cluster4");
    }
}
