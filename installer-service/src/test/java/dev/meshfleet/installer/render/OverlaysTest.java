package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per path form of istioctl's overlays: the patch, and the Deployment it must leave. */
class OverlaysTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String DEPLOYMENT = """
            kind: Deployment
            metadata: {name: istiod, namespace: istio-system, annotations: {a: b}}
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: discovery
                    args: [discovery, --monitoringAddr=:15014, --log_output_level=default:info]
                    env:
                    - {name: REVISION, value: default}
                    - {name: PILOT_TRACE_SAMPLING, value: "1"}
                  volumes:
                  - {name: local-certs, emptyDir: {}}
            """;

    static Stream<Arguments> patches() {
        return Stream.of(
                Arguments.of("a dotted path sets a scalar", "spec.replicas", "3", "spec.replicas", "3"),
                Arguments.of("missing keys on the way are created", "spec.template.metadata.labels.x", "y",
                        "spec.template.metadata.labels", "{x: y}"),
                Arguments.of("an escaped dot stays in the key", "metadata.annotations.sidecar\\.istio\\.io/inject",
                        "\"false\"", "metadata.annotations", "{a: b, sidecar.istio.io/inject: \"false\"}"),
                Arguments.of("an index replaces that item", "spec.template.spec.containers[0].env[1].value", "\"0.5\"",
                        "spec.template.spec.containers[0].env",
                        "[{name: REVISION, value: default}, {name: PILOT_TRACE_SAMPLING, value: \"0.5\"}]"),
                Arguments.of("an index past the end appends", "spec.template.spec.volumes[100]",
                        "{name: config-volume, configMap: {name: istio}}", "spec.template.spec.volumes",
                        "[{name: local-certs, emptyDir: {}}, {name: config-volume, configMap: {name: istio}}]"),
                Arguments.of("index -1 appends", "spec.template.spec.volumes[-1]", "{name: x, emptyDir: {}}",
                        "spec.template.spec.volumes", "[{name: local-certs, emptyDir: {}}, {name: x, emptyDir: {}}]"),
                Arguments.of("a string that reads as a YAML map is that map", "spec.template.spec.volumes[100]",
                        "\"name: inject-volume\\nconfigMap:\\n  name: istio-sidecar-injector\"",
                        "spec.template.spec.volumes", "[{name: local-certs, emptyDir: {}},"
                                + " {name: inject-volume, configMap: {name: istio-sidecar-injector}}]"),
                Arguments.of("a [key:value] selector picks the item", "spec.template.spec.containers[name:discovery]"
                        + ".env[name:REVISION].value", "canary", "spec.template.spec.containers[0].env[0]",
                        "{name: REVISION, value: canary}"),
                Arguments.of("a [key:value] selector as the last element replaces the item",
                        "spec.template.spec.containers[0].env[name:REVISION]", "{name: REVISION, value: x}",
                        "spec.template.spec.containers[0].env[0]", "{name: REVISION, value: x}"),
                Arguments.of("a [value] selector matches a scalar item by regular expression (a dot escaped, as in keys)",
                        "spec.template.spec.containers[0].args[--log_output_level=\\.*]", "--log_output_level=default:debug",
                        "spec.template.spec.containers[0].args",
                        "[discovery, --monitoringAddr=:15014, --log_output_level=default:debug]"),
                Arguments.of("a single value on a key holding a list is appended", "spec.template.spec.containers[0].args",
                        "--keepaliveMaxServerConnectionAge=30m", "spec.template.spec.containers[0].args",
                        "[discovery, --monitoringAddr=:15014, --log_output_level=default:info,"
                                + " --keepaliveMaxServerConnectionAge=30m]"),
                Arguments.of("no value removes a map key", "metadata.annotations.a", null, "metadata.annotations", "{}"),
                Arguments.of("no value removes the item an index names", "spec.template.spec.containers[0].args[1]", null,
                        "spec.template.spec.containers[0].args", "[discovery, --log_output_level=default:info]"),
                Arguments.of("no value removes the item a selector names",
                        "spec.template.spec.containers[0].env[name:PILOT_TRACE_SAMPLING]", "null",
                        "spec.template.spec.containers[0].env", "[{name: REVISION, value: default}]"),
                Arguments.of("removing a missing key leaves the object as it was", "metadata.labels.none", null,
                        "metadata", "{name: istiod, namespace: istio-system, annotations: {a: b}, labels: {}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void eachPathFormPatchesAsIstioctlDoes(String rule, String path, String valueYaml, String at, String expectedYaml)
            throws Exception {
        ObjectNode overlay = overlay("Deployment", "istiod");
        ObjectNode patch = overlay.withArray("patches").addObject().put("path", path);
        if (valueYaml != null) {
            patch.set("value", YAML.readTree(valueYaml));
        }

        List<ObjectNode> out = Overlays.apply(List.of(deployment()), "[" + overlay + "]");

        assertThat(select(out.get(0), at)).isEqualTo(YAML.readTree(expectedYaml));
    }

    @Test
    void theObjectsGivenAreNotChanged() throws Exception {
        ObjectNode original = deployment();
        ObjectNode overlay = overlay("Deployment", "istiod");
        overlay.withArray("patches").addObject().put("path", "spec.replicas").put("value", 5);

        Overlays.apply(List.of(original), "[" + overlay + "]");

        assertThat(original).isEqualTo(deployment());
    }

    @Test
    void onlyTheObjectOfThatKindAndNameIsPatched() throws Exception {
        ObjectNode service = (ObjectNode) YAML.readTree("{kind: Service, metadata: {name: istiod}, spec: {}}");
        ObjectNode overlay = overlay("Service", "istiod");
        overlay.withArray("patches").addObject().put("path", "spec.type").put("value", "NodePort");

        List<ObjectNode> out = Overlays.apply(List.of(deployment(), service), "[" + overlay + "]");

        assertThat(out.get(0)).isEqualTo(deployment());
        assertThat(out.get(1).at("/spec/type").asText()).isEqualTo("NodePort");
    }

    @Test
    void anOverlayNamingNoRenderedObjectFailsNamingTheOverlay() throws Exception {
        ObjectNode overlay = overlay("Deployment", "istio-ingressgateway");
        overlay.put("field", "components.pilot.k8s.overlays[0]");
        overlay.withArray("patches").addObject().put("path", "spec.replicas").put("value", 2);

        assertThatThrownBy(() -> Overlays.apply(List.of(deployment()), "[" + overlay + "]"))
                .isInstanceOf(Overlays.OverlayException.class)
                .hasMessageContaining("components.pilot.k8s.overlays[0] names Deployment istio-ingressgateway")
                .hasMessageContaining("Deployment istiod");
    }

    @Test
    void aSelectorThatFindsNothingFailsNamingThePatch() throws Exception {
        ObjectNode overlay = overlay("Deployment", "istiod");
        overlay.put("field", "components.pilot.k8s.overlays[1]");
        overlay.withArray("patches").addObject().put("path", "spec.replicas").put("value", 2);
        overlay.withArray("patches").addObject().put("path", "spec.template.spec.containers[name:proxy].image")
                .put("value", "x");

        assertThatThrownBy(() -> Overlays.apply(List.of(deployment()), "[" + overlay + "]"))
                .hasMessageContaining("components.pilot.k8s.overlays[1].patches[1] (Deployment istiod, path"
                        + " 'spec.template.spec.containers[name:proxy].image')")
                .hasMessageContaining("no item of the list matches [name:proxy]");
    }

    @Test
    void aPathThroughAScalarFails() throws Exception {
        ObjectNode overlay = overlay("Deployment", "istiod");
        overlay.withArray("patches").addObject().put("path", "spec.replicas.max").put("value", 2);

        assertThatThrownBy(() -> Overlays.apply(List.of(deployment()), "[" + overlay + "]"))
                .hasMessageContaining("'max' is below number 1");
    }

    @Test
    void removingPastTheEndOfAListFails() throws Exception {
        ObjectNode overlay = overlay("Deployment", "istiod");
        overlay.withArray("patches").addObject().put("path", "spec.template.spec.volumes[7]");

        assertThatThrownBy(() -> Overlays.apply(List.of(deployment()), "[" + overlay + "]"))
                .hasMessageContaining("nothing to remove");
    }

    @Test
    void pathsSplitAtUnescapedDotsAndBrackets() {
        assertThat(Overlays.elements("spec.template.spec.containers[0].volumeMounts[100]"))
                .containsExactly("spec", "template", "spec", "containers", "[0]", "volumeMounts", "[100]");
        assertThat(Overlays.elements("metadata.annotations.prometheus\\.io/port"))
                .containsExactly("metadata", "annotations", "prometheus.io/port");
        assertThat(Overlays.elements("spec.ports[name:grpc-xds].port"))
                .containsExactly("spec", "ports", "[name:grpc-xds]", "port");
    }

    private static ObjectNode deployment() throws Exception {
        return (ObjectNode) YAML.readTree(DEPLOYMENT);
    }

    private static ObjectNode overlay(String kind, String name) {
        ObjectNode overlay = new ObjectMapper().createObjectNode();
        overlay.put("kind", kind).put("name", name);
        return overlay;
    }

    /** The node at a path written like the patches' (dots and [N]), read independently of Overlays. */
    private static JsonNode select(JsonNode root, String path) {
        return root.at("/" + path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/'));
    }
}
