package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.meshfleet.schemas.charts.StrategicMerge;
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
        return render(release, tmp);
    }

    /** The objects helm-java renders for a release, its values written to a file under {@code dir}. */
    static List<JsonNode> render(ChartRelease release, Path dir) throws Exception {
        Path values = Files.createTempFile(dir, release.releaseName(), ".json");
        Files.writeString(values, release.valuesJson());
        String out = new Helm(CHARTS.resolve(release.chart())).template().withName(release.releaseName())
                .withNamespace(release.namespace()).withValuesFile(values).call();
        List<JsonNode> objects = new ArrayList<>();
        if (out == null) {
            return objects; // helm-java gives no text for a release that renders no object
        }
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && doc.has("kind")) {
                    objects.add(doc);
                }
            }
        }
        // The k8s fields the charts have no value for are strategic merge patches the installer applies after
        // rendering (its render.Overlays, with the same shared StrategicMerge); each must find its object.
        for (JsonNode overlay : YAML.readTree(release.overlaysJson() == null ? "[]" : release.overlaysJson())) {
            if (overlay.has("strategicMerge")) {
                StrategicMerge.apply((ObjectNode) find(objects, overlay.path("kind").asText(),
                        overlay.path("name").asText()), overlay.get("strategicMerge"));
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
                            // A gateway's pods are its control plane's to inject (ADR 0035); the rest carry their own.
                            String own = r.chart().equals("gateway") ? p.controlPlaneRevision() : p.revision();
                            String rev = own.isEmpty() ? "default" : own;
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
    void pilotHpaMetricsPdbAndStrategyReachTheIstiodObjects() throws Exception {
        List<JsonNode> objects = renderAll("ilm-values-mapping", "cluster1", "1-24");
        JsonNode hpa = find(objects, "HorizontalPodAutoscaler", "istiod-1-24");
        assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(60);
        assertThat(hpa.at("/spec/metrics/1/resource/name").asText()).isEqualTo("memory");
        assertThat(hpa.at("/spec/metrics/1/resource/target/averageUtilization").asInt()).isEqualTo(70);
        assertThat(hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isEqualTo(300);
        JsonNode pdb = find(objects, "PodDisruptionBudget", "istiod-1-24");
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec").has("minAvailable")).isFalse();
        assertThat(pdb.at("/spec/unhealthyPodEvictionPolicy").asText()).isEqualTo("AlwaysAllow");
        JsonNode istiod = find(objects, "Deployment", "istiod-1-24");
        assertThat(istiod.at("/metadata/namespace").isMissingNode() ? "" : istiod.at("/metadata/namespace").asText())
                .isEqualTo("istio-control");
        assertThat(istiod.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        assertThat(istiod.at("/spec/template/spec/containers/0/image").asText()).startsWith("registry.example/pilot-hub/pilot:");
        assertThat(find(objects, "Service", "istiod-1-24").at("/metadata/annotations/networking.example~1internal").asText())
                .isEqualTo("true");
    }

    @Test
    void gatewayK8sSettingsReachTheGatewayObjectsAndTheSharedService() throws Exception {
        List<JsonNode> objects = renderAll("glm-gateway-k8s", "cluster1", "1-24");
        JsonNode deployment = find(objects, "Deployment", "edge-gateway-1-24");
        assertThat(deployment.at("/spec/selector/matchLabels/app").asText()).isEqualTo("istio-ingressgateway");
        assertThat(deployment.at("/spec/template/metadata/labels/istio").asText()).isEqualTo("ingressgateway");
        assertThat(deployment.at("/spec/template/spec/containers/0/readinessProbe/periodSeconds").asInt()).isEqualTo(5);
        assertThat(deployment.at("/spec/template/spec/securityContext/fsGroup").asInt()).isEqualTo(1337);
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("100%");
        JsonNode hpa = find(objects, "HorizontalPodAutoscaler", "edge-gateway-1-24");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(6);
        assertThat(hpa.at("/spec/metrics/1/resource/target/averageUtilization").asInt()).isEqualTo(85);
        JsonNode pdb = find(objects, "PodDisruptionBudget", "edge-gateway-1-24");
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/selector/matchLabels/app").asText()).isEqualTo("istio-ingressgateway");
        JsonNode svc = find(objects, "Service", "edge-gateway");
        assertThat(svc.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Local");
        assertThat(svc.at("/spec/loadBalancerSourceRanges/0").asText()).isEqualTo("10.0.0.0/8");
        assertThat(svc.at("/metadata/annotations/service.beta.kubernetes.io~1aws-load-balancer-type").asText()).isEqualTo("nlb");
        assertThat(svc.at("/spec/selector/meshfleet.dev~1gateway-revision").asText()).isEqualTo("1-24");
        assertThat(objects.stream().filter(o -> o.path("kind").asText().equals("Service")).map(o -> o.at("/metadata/name").asText()))
                .as("the gateway chart's own Service is off; only the shared ones").containsExactlyInAnyOrder("edge-gateway",
                        "istio-egressgateway");
        JsonNode egress = find(objects, "Deployment", "istio-egressgateway-1-24");
        assertThat(egress.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(egress.at("/spec/template/metadata/labels/app").asText()).isEqualTo("istio-egressgateway");
    }

    @Test
    void componentK8sOfCniAndZtunnelReachTheirDaemonSets() throws Exception {
        List<JsonNode> objects = renderAll("ilm-component-k8s", "cluster1", "");
        JsonNode cni = find(objects, "DaemonSet", "istio-cni-node");
        assertThat(cni.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("50m");
        assertThat(env(cni, "REPAIR_ENABLED")).isEqualTo("false");
        assertThat(cni.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(2);
        assertThat(cni.at("/spec/template/spec/affinity/nodeAffinity").isObject()).isTrue();
        JsonNode ztunnel = find(objects, "DaemonSet", "ztunnel");
        assertThat(ztunnel.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("1Gi");
        assertThat(ztunnel.at("/spec/template/metadata/annotations/example.com~1team").asText()).isEqualTo("mesh");
        assertThat(env(ztunnel, "L7_ENABLED")).isEqualTo("true");
        assertThat(ztunnel.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(ztunnel.at("/spec/template/spec/containers/0/image").asText()).startsWith("registry.example/ztunnel-hub/");
    }

    @Test
    void aGatewayOnAnotherControlPlaneRevisionIsInjectedByItAndTheActiveServiceSelectsOnlyItsOwnRevisionsPods()
            throws Exception {
        // glm-gateways, cluster1: istio-ingressgateway 1-24 (active) and 1-25 beside it, whose controlPlaneRevision is 1-24.
        List<JsonNode> objects = new ArrayList<>(renderAll("glm-gateways", "cluster1", "1-24"));
        objects.addAll(renderAll("glm-gateways", "cluster1", "1-25"));
        JsonNode canary = find(objects, "Deployment", "istio-ingressgateway-1-25");
        assertThat(canary.at("/spec/template/metadata/labels/istio.io~1rev").asText())
                .as("the injector of the control plane it uses (seed 001), as istioctl's spec.revision").isEqualTo("1-24");
        assertThat(canary.at("/spec/template/metadata/labels/meshfleet.dev~1gateway-revision").asText()).isEqualTo("1-25");
        JsonNode service = find(objects, "Service", "istio-ingressgateway");
        List<String> selected = objects.stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                .filter(d -> selects(service, d)).map(d -> d.at("/metadata/name").asText()).toList();
        assertThat(selected).as("Deployments whose pods the Service %s selects", service.at("/spec/selector"))
                .containsExactly("istio-ingressgateway-1-24");
    }

    /** Whether every entry of the Service's selector is a label of the Deployment's pods. */
    private static boolean selects(JsonNode service, JsonNode deployment) {
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        var entries = service.at("/spec/selector").fields();
        boolean all = entries.hasNext();
        while (entries.hasNext()) {
            var e = entries.next();
            all &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
        }
        return all;
    }

    @Test
    void activeGatewayServiceSelectsItsRevisionAndInactiveRevisionRendersNoService() throws Exception {
        List<JsonNode> active = renderAll("example-glm-ingress", "cluster1", "1-24");
        JsonNode svc = find(active, "Service", "istio-ingressgateway");
        assertThat(svc.at("/spec/selector/meshfleet.dev~1gateway-revision").asText()).isEqualTo("1-24");
        assertThat(svc.at("/spec/selector").has("istio.io/rev")).as("istio.io/rev is the injector's, not the gateway's")
                .isFalse();
        assertThat(svc.at("/spec/selector/istio").asText()).isEqualTo("ingressgateway");
        assertThat(svc.at("/spec/type").asText()).isEqualTo("LoadBalancer");
        assertThat(svc.at("/spec/ports").size()).isEqualTo(4);
        JsonNode deploy = find(active, "Deployment", "istio-ingressgateway-1-24");
        assertThat(deploy.at("/spec/template/metadata/labels/istio.io~1rev").asText()).isEqualTo("1-24");
        assertThat(deploy.at("/spec/template/metadata/labels/meshfleet.dev~1gateway-revision").asText()).isEqualTo("1-24");
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

    @Test
    void k8sFieldsTheChartsHaveNoValueForArePatchedOnTheRenderedWorkloadAsIstioctlPatchesThem() throws Exception {
        List<JsonNode> objects = renderAll("ilm-k8s-patches", "cluster1", "1-24");
        JsonNode istiod = find(objects, "Deployment", "istiod-1-24");
        JsonNode discovery = istiod.at("/spec/template/spec/containers/0");
        List<JsonNode> podName = new ArrayList<>();
        discovery.path("env").forEach(e -> {
            if (e.path("name").asText().equals("POD_NAME")) {
                podName.add(e);
            }
        });
        assertThat(podName).as("the chart's own POD_NAME entry replaced by the spec's, not a second one").hasSize(1);
        assertThat(podName.get(0).at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
        assertThat(podName.get(0).has("value")).isFalse();
        assertThat(env(istiod, "PILOT_TRACE_SAMPLING")).isEqualTo("0.5");
        // readinessProbe merged into the chart's: the spec's period, the chart's initial delay kept.
        assertThat(discovery.at("/readinessProbe/periodSeconds").asInt()).isEqualTo(10);
        assertThat(discovery.at("/readinessProbe/initialDelaySeconds").asInt()).isEqualTo(1);
        assertThat(discovery.at("/imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(istiod.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(istiod.at("/spec/template/spec/securityContext/fsGroup").asInt()).isEqualTo(1337);
        assertThat(istiod.at("/spec/template/spec/priorityClassName").asText()).isEqualTo("system-cluster-critical");
        assertThat(find(objects, "Service", "istiod-1-24").at("/spec/sessionAffinity").asText()).isEqualTo("ClientIP");

        JsonNode cni = find(objects, "DaemonSet", "istio-cni-node");
        assertThat(cni.at("/spec/template/spec/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
        assertThat(cni.at("/spec/template/spec/tolerations")).as("tolerations are replaced, as a strategic merge does")
                .isEqualTo(YAML.readTree("[{key: dedicated, operator: Exists}]"));
        assertThat(cni.at("/spec/template/spec/containers/0/env").toString()).contains("\"name\":\"NODE\"")
                .contains("\"fieldPath\":\"spec.nodeName\"");
    }
}
