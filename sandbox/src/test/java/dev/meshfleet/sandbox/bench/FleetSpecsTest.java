package dev.meshfleet.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class FleetSpecsTest {

    private static final String ILM = """
            apiVersion: admin.gloo.solo.io/v2
            kind: IstioLifecycleManager
            metadata:
              name: istiod-control-plane
              namespace: gloo-mesh
            spec:
              installations:
                - clusters:
                    - defaultRevision: true
                      name: cluster1
                    - defaultRevision: true
                      name: cluster2
                  istioOperatorSpec:
                    tag: 1.24.2-solo
                  revision: 1-24
            """;

    @Test
    @SuppressWarnings("unchecked")
    void theFirstInstallationNamesEveryClusterShapedLikeTheExamplesFirstEntry() throws Exception {
        String yaml = FleetSpecs.naming(ILM, List.of("cluster1", "cluster2", "cluster3"));

        Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
        Map<String, Object> install = ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec"))
                .get("installations")).get(0);
        assertThat((List<Object>) install.get("clusters")).containsExactly(
                Map.of("defaultRevision", true, "name", "cluster1"),
                Map.of("defaultRevision", true, "name", "cluster2"),
                Map.of("defaultRevision", true, "name", "cluster3"));
        assertThat(install.get("revision")).isEqualTo("1-24");
        assertThat(((Map<String, Object>) doc.get("metadata")).get("name")).isEqualTo("istiod-control-plane");
    }

    @Test
    void clusterNamesAreTheSandboxesOneToN() {
        assertThat(FleetSpecs.clusters(3)).containsExactly("cluster1", "cluster2", "cluster3");
    }

    @Test
    void anExampleWithoutClustersIsRefusedSayingWhatIsMissing() {
        assertThatThrownBy(() -> FleetSpecs.naming("spec: {installations: [{revision: x}]}\n", List.of("cluster1")))
                .hasMessageContaining("spec.installations[0].clusters[0]");
    }
}
