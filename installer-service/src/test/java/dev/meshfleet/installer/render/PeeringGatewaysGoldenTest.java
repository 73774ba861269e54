package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.meshfleet.installer.model.ChartSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Meshfleet's {@code peering-gateways} chart (seed 003, ADR 0046) rendered as the installer renders it, against golden
 * files written from the seed: {@code src/test/resources/peering-gateways/<case>/values.yaml} in,
 * {@code expected.yaml} out. {@code -Dpeering.golden.update=true} rewrites the expected files; review the diff.
 */
class PeeringGatewaysGoldenTest {
    static final Path CHARTS = Path.of("..", "charts");
    static final Path DIR = Path.of("src", "test", "resources", "peering-gateways");
    static final String NAMESPACE = "istio-eastwest";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final ChartRenderer renderer = new ChartRenderer(CHARTS);

    @Test
    void aClusterWithoutPeersGetsOnlyItsEastWestGatewayWithTheSeedsClassLabelsAndListeners() throws IOException {
        List<JsonNode> objects = golden("no-peers");

        assertThat(names(objects)).containsExactly("istio-eastwest");
        JsonNode ew = objects.get(0);
        assertThat(ew.at("/spec/gatewayClassName").asText()).isEqualTo("istio-eastwest");
        assertThat(ew.at("/metadata/namespace").asText()).isEqualTo("istio-eastwest");
        assertThat(ew.at("/metadata/labels/topology.istio.io~1network").asText()).isEqualTo("network1");
        assertThat(ew.at("/metadata/labels/topology.istio.io~1cluster").asText()).isEqualTo("cluster1");
    }

    @Test
    void eachPeerGetsAnIstioRemoteGatewayNamedAfterItsClusterAtItsAddress() throws IOException {
        List<JsonNode> objects = golden("two-peers");

        assertThat(names(objects)).containsExactly("istio-eastwest", "istio-remote-peer-cluster2",
                "istio-remote-peer-cluster3");
        assertThat(objects.get(1).at("/spec/gatewayClassName").asText()).isEqualTo("istio-remote");
        assertThat(objects.get(1).at("/spec/addresses/0/value").asText()).isEqualTo("192.0.2.12");
        assertThat(objects.get(2).at("/spec/addresses/0/type").asText()).isEqualTo("Hostname");
    }

    @Test
    void nodePortPeeringIsTheSeedsDataPlaneServiceTypeAnnotationOnTheEastWestGateway() throws IOException {
        List<JsonNode> objects = golden("node-port");

        assertThat(objects.get(0).at("/metadata/annotations/peering.solo.io~1data-plane-service-type").asText())
                .isEqualTo("nodeport");
    }

    @Test
    void aPeerWithoutAnAddressOrWithAnUnknownAddressTypeOrListedTwiceFailsTheRenderNamingIt() {
        assertThatThrownBy(() -> render("{\"cluster\":\"c1\",\"peers\":[{\"cluster\":\"c2\"}]}"))
                .hasMessageContaining("peers[0].address is required");
        assertThatThrownBy(() -> render("{\"cluster\":\"c1\",\"peers\":[{\"cluster\":\"c2\",\"address\":\"x\","
                + "\"addressType\":\"NamedAddress\"}]}"))
                .hasMessageContaining("peers[0].addressType \"NamedAddress\": write IPAddress or Hostname");
        assertThatThrownBy(() -> render("{\"cluster\":\"c1\",\"peers\":[{\"cluster\":\"c2\",\"address\":\"192.0.2.1\"},"
                + "{\"cluster\":\"c2\",\"address\":\"192.0.2.2\"}]}"))
                .hasMessageContaining("peers[1].cluster \"c2\" is listed twice");
        assertThatThrownBy(() -> render("{}")).hasMessageContaining("cluster is required");
    }

    /** The case's objects, compared with (or, with the flag, written to) its expected.yaml. */
    private List<JsonNode> golden(String name) throws IOException {
        Path dir = DIR.resolve(name);
        String valuesJson = YAML.readTree(dir.resolve("values.yaml").toFile()).toString();
        List<JsonNode> objects = render(valuesJson);
        Path expected = dir.resolve("expected.yaml");
        if (Boolean.getBoolean("peering.golden.update")) {
            StringBuilder out = new StringBuilder();
            for (JsonNode o : objects) {
                out.append(out.length() == 0 ? "" : "---\n").append(YAML.writeValueAsString(o));
            }
            Files.writeString(expected, out.toString());
        }
        List<JsonNode> want = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(expected.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(want::add);
        }
        assertThat(objects).as("%s: rendered objects against %s", name, expected).isEqualTo(want);
        return objects;
    }

    List<JsonNode> render(String valuesJson) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (HasMetadata o : renderer.render(new ChartSpec("peering-gateways", "peering", NAMESPACE, valuesJson))) {
            out.add(YAML.readTree(Manifests.serialization().asJson(o)));
        }
        return out;
    }

    static List<String> names(List<JsonNode> objects) {
        return objects.stream().map(o -> ((ObjectNode) o).at("/metadata/name").asText()).toList();
    }
}
