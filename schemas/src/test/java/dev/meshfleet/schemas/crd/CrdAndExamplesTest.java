package dev.meshfleet.schemas.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

class CrdAndExamplesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void bothCrdsAreNamespacedWithShortNamesStatusSubresourceAndPrinterColumns() throws IOException {
        for (String resource : Crds.LIFECYCLE_CRD_RESOURCES) {
            CustomResourceDefinition crd = crd(resource);
            assertThat(crd.getSpec().getGroup()).isEqualTo("admin.gloo.solo.io");
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getNames().getShortNames()).hasSize(1).first().isIn("ilm", "glm");
            var version = crd.getSpec().getVersions().get(0);
            assertThat(version.getName()).isEqualTo("v2");
            assertThat(version.getSubresources().getStatus()).isNotNull();
            assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName() + "=" + c.getJsonPath())
                    .containsExactly("State=.status.summary.state", "Healthy=.status.summary.healthy",
                            "Age=.metadata.creationTimestamp");
        }
    }

    @Test
    void everyExampleBindsToItsJavaTypeWithoutUnknownFields() throws IOException {
        ObjectMapper strict = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (Path example : examples) {
          for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(example.toFile()).readAll()) {
            JsonNode spec = doc.get("spec");
            switch (doc.get("kind").asText()) {
                case "ConfigMap" -> {
                    // Seed 003's gloo-extensions-config (ADR 0045), the one ConfigMap an example may hold.
                    assertThat(doc.path("metadata").path("name").asText()).as(example.toString())
                            .isEqualTo("gloo-extensions-config");
                    assertThat(doc.get("apiVersion").asText()).isEqualTo("v1");
                    doc.path("data").fieldNames().forEachRemaining(k -> assertThat(k).as("%s: data.%s", example, k)
                            .isIn("stable", "beta", "values.istiod"));
                    continue;
                }
                case "ServiceMeshController" -> {
                    // No Java type: the CRD's structural schema is the contract, so every field must be one of its.
                    var fields = ServiceMeshControllerCrdTest.spec().getProperties();
                    spec.fieldNames().forEachRemaining(f -> assertThat(fields).as("%s: spec.%s", example, f).containsKey(f));
                    assertThat(spec.path("cluster").asText()).as(example.toString()).isNotEmpty();
                    assertThat(doc.get("apiVersion").asText()).isEqualTo(Crds.SMC_API_VERSION);
                    continue;
                }
                case "IstioLifecycleManager" -> {
                    IstioLifecycleManagerSpec parsed = strict.treeToValue(spec, IstioLifecycleManagerSpec.class);
                    assertThat(parsed.installations()).as(example.toString()).isNotEmpty();
                    assertThat(parsed.installations().get(0).clusters()).isNotEmpty();
                }
                case "GatewayLifecycleManager" -> {
                    GatewayLifecycleManagerSpec parsed = strict.treeToValue(spec, GatewayLifecycleManagerSpec.class);
                    assertThat(parsed.installations()).as(example.toString()).isNotEmpty();
                    assertThat(parsed.installations().get(0).istioOperatorSpec().path("components").isObject()).isTrue();
                }
                case "ExternalControlPlane" -> {
                    // No Java type yet (not wired, ADR 0031): its apiVersion is Meshfleet's own group.
                    assertThat(doc.get("apiVersion").asText()).as(example.toString()).isEqualTo(Crds.ECP_API_VERSION);
                    assertThat(spec.path("remoteClusters").isArray()).as(example.toString()).isTrue();
                    continue;
                }
                default -> throw new AssertionError("unexpected kind in " + example);
            }
            assertThat(doc.get("apiVersion").asText()).isEqualTo(Crds.API_VERSION);
          }
        }
    }

    static CustomResourceDefinition crd(String resource) throws IOException {
        try (InputStream in = CrdAndExamplesTest.class.getClassLoader().getResourceAsStream(resource)) {
            return YAML.readValue(in, CustomResourceDefinition.class);
        }
    }

    static List<Path> examples() throws IOException {
        Path dir = Path.of("..", "examples");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        return files;
    }
}
