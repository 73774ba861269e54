package dev.meshfleet.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in charts in ../charts accept what the translator produces: every chart release of every
 * golden case renders through helm-java (as the installer renders it), and the objects that the
 * translated values control carry them.
 */
class ChartRenderTest {
    static final Path CHARTS = Path.of("../charts");
    static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    static Path tmp;

    static List<JsonNode> render(ChartRelease release) throws Exception {
        Path values = Files.createTempFile(tmp, release.releaseName(), ".json");
        Files.writeString(values, release.valuesJson());
        String out = new Helm(CHARTS.resolve(release.chart())).template().withName(release.releaseName())
                .withNamespace(release.namespace()).withValuesFile(values).call();
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && doc.has("kind")) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    static List<JsonNode> renderAll(String goldenCase, String cluster, String revision) throws Exception {
        Golden.Case c = Golden.cases().stream().filter(g -> g.name().equals(goldenCase)).findFirst().orElseThrow();
        List<JsonNode> objects = new ArrayList<>();
        for (Translation t : Golden.translate(c.input())) {
            for (Plan p : t.plans(cluster)) {
                if (p.revision().equals(revision)) {
                    for (ChartRelease r : p.charts()) {
                        objects.addAll(render(r));
                    }
                }
            }
        }
        assertThat(objects).as("objects rendered for %s %s %s", goldenCase, cluster, revision).isNotEmpty();
        return objects;
    }

    static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects.stream()
                        .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList()));
    }

    static String env(JsonNode workload, String name) {
        for (JsonNode e : workload.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> everyChartReleaseOfEveryGoldenCaseRenders() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.Case c : Golden.cases()) {
            for (Translation t : Golden.translate(c.input())) {
                for (Plan p : t.allPlans()) {
                    for (ChartRelease r : p.charts()) {
                        tests.add(DynamicTest.dynamicTest(c.name() + " " + p.cluster() + " " + r.releaseName(), () -> {
                            List<JsonNode> objects = render(r);
                            assertThat(objects).isNotEmpty();
                            String rev = p.revision().isEmpty() ? "default" : p.revision();
                            objects.stream().filter(o -> o.path("kind").asText().matches("Deployment|DaemonSet"))
                                    .forEach(o -> assertThat(o.path("metadata").path("labels").path("istio.io/rev").asText())
                                            .as("istio.io/rev of %s", o.path("metadata").path("name")).isEqualTo(rev));
                        }));
                    }
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    @Test
    void istiodDeploymentCarriesPilotEnvHubTagAndTheDefaultRevisionTag() throws Exception {
        List<JsonNode> objects = renderAll("example-ilm-minimal", "cluster1", "1-24");
        JsonNode istiod = find(objects, "Deployment", "istiod-1-24");
        assertThat(env(istiod, "PILOT_SKIP_VALIDATE_TRUST_DOMAIN")).isEqualTo("true");
        assertThat(istiod.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example/istio/pilot:1.24.2-solo");
        assertThat(istiod.at("/metadata/labels/app").asText()).isEqualTo("istiod");
        JsonNode tag = find(objects, "MutatingWebhookConfiguration", "istio-revision-tag-default");
        assertThat(tag.at("/webhooks/0/clientConfig/service/name").asText()).isEqualTo("istiod-1-24");
        find(objects, "MutatingWebhookConfiguration", "istio-sidecar-injector-1-24");
        JsonNode validator = find(objects, "ValidatingWebhookConfiguration", "istiod-default-validator");
        assertThat(validator.at("/webhooks/0/clientConfig/service/name").asText()).isEqualTo("istiod-1-24");
        JsonNode mesh = YAML.readTree(find(objects, "ConfigMap", "istio-1-24").at("/data/mesh").asText());
        assertThat(mesh.path("trustDomain").asText()).isEqualTo("cluster1");
        assertThat(mesh.at("/outboundTrafficPolicy/mode").asText()).isEqualTo("ALLOW_ANY");
        find(objects, "ServiceAccount", "istio-reader-service-account");
    }

    @Test
    void pilotK8sSchedulingAndAutoscalingReachTheIstiodObjects() throws Exception {
        List<JsonNode> objects = renderAll("ilm-values-mapping", "cluster1", "1-24");
        JsonNode istiod = find(objects, "Deployment", "istiod-1-24");
        assertThat(istiod.at("/spec/template/spec/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
        assertThat(istiod.at("/spec/template/spec/tolerations/0/key").asText()).isEqualTo("dedicated");
        assertThat(istiod.at("/spec/template/metadata/annotations").has("cluster-autoscaler.kubernetes.io/safe-to-evict")).isTrue();
        assertThat(istiod.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("250m");
        assertThat(env(istiod, "FROM_VALUES")).isEqualTo("yes");
        JsonNode hpa = find(objects, "HorizontalPodAutoscaler", "istiod-1-24");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(4);
    }

    @Test
    void activeGatewayServiceSelectsItsRevisionAndInactiveRevisionRendersNoService() throws Exception {
        List<JsonNode> active = renderAll("example-glm-ingress", "cluster1", "1-24");
        JsonNode svc = find(active, "Service", "istio-ingressgateway");
        assertThat(svc.at("/spec/selector/istio.io~1rev").asText()).isEqualTo("1-24");
        assertThat(svc.at("/spec/selector/istio").asText()).isEqualTo("ingressgateway");
        assertThat(svc.at("/spec/type").asText()).isEqualTo("LoadBalancer");
        assertThat(svc.at("/spec/ports").size()).isEqualTo(4);
        JsonNode deploy = find(active, "Deployment", "istio-ingressgateway-1-24");
        assertThat(deploy.at("/spec/template/metadata/labels/istio.io~1rev").asText()).isEqualTo("1-24");
        assertThat(deploy.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example/istio/proxyv2:1.24.2-solo");

        List<JsonNode> inactive = renderAll("glm-gateways", "cluster2", "1-24");
        assertThat(inactive).noneMatch(o -> o.path("kind").asText().equals("Service"));
        find(inactive, "Deployment", "istio-ingressgateway-1-24");
    }

    @Test
    void egressGatewayCarriesEnvAffinityAndPodAnnotations() throws Exception {
        JsonNode deploy = find(renderAll("example-glm-egress", "cluster2", "1-24"), "Deployment", "istio-egressgateway-1-24");
        assertThat(env(deploy, "AUTO_RELOAD_PLUGIN_CERTS")).isEqualTo("true");
        assertThat(deploy.at("/spec/template/spec/affinity/nodeAffinity").isObject()).isTrue();
        assertThat(deploy.at("/spec/template/metadata/annotations/proxy.istio.io~1config").asText()).contains("ext_authz");
        assertThat(deploy.at("/metadata/labels/traffic").asText()).isEqualTo("egress");
    }

    @Test
    void ambientRendersCniAndZtunnelDaemonSetsWithTheirEnv() throws Exception {
        List<JsonNode> objects = renderAll("example-ilm-ambient", "cluster1", "");
        JsonNode ztunnel = find(objects, "DaemonSet", "ztunnel");
        assertThat(env(ztunnel, "L7_ENABLED")).isEqualTo("true");
        assertThat(ztunnel.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example/istio/ztunnel:1.23.3-solo");
        find(objects, "DaemonSet", "istio-cni-node");
        find(objects, "Deployment", "istiod");
        List<JsonNode> old = renderAll("ilm-ambient", "cluster1", "");
        assertThat(env(find(old, "Deployment", "istiod"), "ISTIO_DELTA_XDS")).isEqualTo("false");
        assertThat(find(old, "DaemonSet", "istio-cni-node").at("/metadata/namespace").asText()).isEqualTo("kube-system");
    }
}
