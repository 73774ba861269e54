package dev.meshfleet.sandbox.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

class SoakSpecsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static SoakSpecs specs() throws IOException {
        return new SoakSpecs(Files.readString(Path.of("../examples/ilm-minimal.yaml")),
                Files.readString(Path.of("../examples/glm-ingress.yaml")));
    }

    @Test
    void theIlmHasRevision124AtTheTagAsDefaultAndTheCanary125BesideItNotDefault() throws IOException {
        SoakState s = new SoakState(List.of("cluster1", "cluster3"), List.of("cluster1"), "1.25.2-solo", true, true, true);

        JsonNode ilm = YAML.readTree(specs().ilm(s));

        assertThat(ilm.at("/metadata/name").asText()).isEqualTo("istiod-control-plane");
        JsonNode main = ilm.at("/spec/installations/0");
        assertThat(main.at("/revision").asText()).isEqualTo("1-24");
        assertThat(main.at("/istioOperatorSpec/tag").asText()).isEqualTo("1.25.2-solo");
        assertThat(main.at("/istioOperatorSpec/profile").asText()).as("from the example").isEqualTo("minimal");
        assertThat(main.at("/skipUpgradeValidation").asBoolean()).isTrue();
        assertThat(main.at("/clusters").toString())
                .isEqualTo("[{\"name\":\"cluster1\",\"defaultRevision\":true},{\"name\":\"cluster3\",\"defaultRevision\":true}]");
        JsonNode canary = ilm.at("/spec/installations/1");
        assertThat(canary.at("/revision").asText()).isEqualTo("1-25");
        assertThat(canary.at("/istioOperatorSpec/tag").asText()).isEqualTo("1.25.1-solo");
        assertThat(canary.has("skipUpgradeValidation")).isFalse();
        assertThat(canary.at("/clusters").toString()).isEqualTo("[{\"name\":\"cluster1\"},{\"name\":\"cluster3\"}]");
        assertThat(ilm.at("/spec/installations").size()).isEqualTo(2);
    }

    @Test
    void withoutCanaryTheIlmHasOneInstallationAndNoSkipUntilAMinorChange() throws IOException {
        JsonNode ilm = YAML.readTree(specs().ilm(SoakState.initial(List.of("cluster1"))));

        assertThat(ilm.at("/spec/installations").size()).isEqualTo(1);
        assertThat(ilm.at("/spec/installations/0/istioOperatorSpec/tag").asText()).isEqualTo("1.24.2-solo");
        assertThat(ilm.at("/spec/installations/0").has("skipUpgradeValidation")).isFalse();
    }

    @Test
    void theGlmHasBothGatewayRevisionsWithExactlyOneActivePerCluster() throws IOException {
        SoakState s = new SoakState(List.of("cluster1", "cluster2"), List.of("cluster2"), "1.24.2-solo", false, false,
                false);

        JsonNode glm = YAML.readTree(specs().glm(s));

        JsonNode first = glm.at("/spec/installations/0");
        JsonNode second = glm.at("/spec/installations/1");
        assertThat(first.at("/gatewayRevision").asText()).isEqualTo("1-24");
        assertThat(first.at("/clusters").toString()).isEqualTo("[{\"name\":\"cluster2\",\"activeGateway\":false}]");
        assertThat(second.at("/gatewayRevision").asText()).isEqualTo("1-25");
        assertThat(second.at("/controlPlaneRevision").asText()).isEqualTo("1-24");
        assertThat(second.at("/clusters").toString()).isEqualTo("[{\"name\":\"cluster2\",\"activeGateway\":true}]");
        assertThat(second.at("/istioOperatorSpec/components/ingressGateways/0/name").asText())
                .isEqualTo("istio-ingressgateway");
    }

    @Test
    void theExpectedInstallationsAreEachNamedClusterAndRevision() throws IOException {
        SoakState s = new SoakState(List.of("cluster1", "cluster2"), List.of("cluster2"), "1.24.2-solo", false, true,
                true);

        SoakSpecs.Expected expected = specs().expected(s);

        assertThat(expected.healthy()).isEqualTo(Map.of(
                new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane"),
                java.util.Set.of(new SoakSpecs.Installation("cluster1", "1-24"),
                        new SoakSpecs.Installation("cluster1", "1-25"), new SoakSpecs.Installation("cluster2", "1-24"),
                        new SoakSpecs.Installation("cluster2", "1-25")),
                new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "istio-ingressgateway"),
                java.util.Set.of(new SoakSpecs.Installation("cluster2", "1-24"),
                        new SoakSpecs.Installation("cluster2", "1-25"))));
    }
}
