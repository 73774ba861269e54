package dev.meshfleet.translation;

import static dev.meshfleet.translation.ChartRenderTest.env;
import static dev.meshfleet.translation.ChartRenderTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in charts take upstream's value names for seed 004 ({@code istiodRemote.injectionURL},
 * {@code base.validationURL}, {@code global.externalIstiod}, {@code global.configCluster}, {@code pilot.configMap},
 * {@code global.operatorManageWebhooks}, {@code global.multiCluster.clusterName}, {@code pilot.volumes}) and render
 * the objects the guide names, with the guide's values: every release of the {@code ecp-guide} golden case rendered
 * through helm-java as the installer renders it.
 */
class EcpChartRenderTest {
    static final String ADDRESS = "istiod.mesh1.example.com";

    @TempDir
    static Path tmp;

    static List<JsonNode> render(String goldenCase, String cluster, String release) throws Exception {
        List<JsonNode> objects = renderAny(goldenCase, cluster, release);
        assertThat(objects).as("objects of %s %s %s", goldenCase, cluster, release).isNotEmpty();
        return objects;
    }

    /** Every object of the cluster's releases (or of one release), possibly none. */
    static List<JsonNode> renderAny(String goldenCase, String cluster, String release) throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        for (EcpTranslation t : EcpGoldenTest.translate(Path.of("src/test/resources/golden-ecp", goldenCase))) {
            for (ChartRelease r : t.plansByCluster().get(cluster).get(0).charts()) {
                if (release == null || r.releaseName().equals(release)) {
                    objects.addAll(ChartRenderTest.render(r, tmp));
                }
            }
        }
        return objects;
    }

    static List<String> kinds(List<JsonNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText() + " " + o.at("/metadata/name").asText()).toList();
    }

    @Test
    void theExternalIstiodRunsWithTheGuidesEnvironmentAndMountsTheIstioAndInjectorConfigMaps() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster1", "external-istiod");
        JsonNode istiod = find(objects, "Deployment", "istiod");
        assertThat(istiod.at("/metadata/namespace").asText()).isEqualTo("external-istiod");
        assertThat(env(istiod, "EXTERNAL_ISTIOD")).isEqualTo("true");
        assertThat(env(istiod, "CLUSTER_ID")).isEqualTo("cluster2");
        assertThat(env(istiod, "SHARED_MESH_CONFIG")).isEqualTo("istio");
        assertThat(env(istiod, "INJECTION_WEBHOOK_CONFIG_NAME")).isEmpty();
        assertThat(env(istiod, "VALIDATION_WEBHOOK_CONFIG_NAME")).isEmpty();
        JsonNode discovery = istiod.at("/spec/template/spec/containers/0");
        List<String> names = new ArrayList<>();
        discovery.path("env").forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).as("EXTERNAL_ISTIOD once, though both global.externalIstiod and pilot.env set it")
                .containsOnlyOnce("EXTERNAL_ISTIOD", "CLUSTER_ID");
        List<String> mounts = new ArrayList<>();
        discovery.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asText() + "@" + m.path("mountPath").asText()));
        assertThat(mounts).contains("config-volume@/etc/istio/config", "inject-volume@/var/lib/istio/inject");
        List<String> volumes = new ArrayList<>();
        istiod.at("/spec/template/spec/volumes").forEach(v -> volumes.add(v.path("name").asText() + ":"
                + v.at("/configMap/name").asText()));
        assertThat(volumes).contains("config-volume:istio", "inject-volume:istio-sidecar-injector");
        // What the volumes mount is rendered beside it; webhooks are not: operatorManageWebhooks.
        assertThat(kinds(objects)).contains("ConfigMap istio", "ConfigMap istio-sidecar-injector", "Service istiod");
        assertThat(kinds(objects)).noneMatch(k -> k.startsWith("MutatingWebhookConfiguration"));
        String mesh = find(objects, "ConfigMap", "istio").at("/data/mesh").asText();
        assertThat(mesh).contains("rootNamespace: external-istiod", "discoveryAddress: " + ADDRESS + ":15012",
                "XDS_ROOT_CA: /etc/ssl/certs/ca-certificates.crt");
    }

    @Test
    void theIngressGatewayServesStatusXdsAndWebhookPortsBesideTheLocalIstiodInIstioSystem() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster1", "istio-ingressgateway");
        JsonNode service = find(objects, "Service", "istio-ingressgateway");
        List<String> ports = new ArrayList<>();
        service.at("/spec/ports").forEach(p -> ports.add(p.path("name").asText() + ":" + p.path("port").asInt() + "->"
                + p.path("targetPort").asInt()));
        assertThat(ports).containsExactly("status-port:15021->15021", "tls-xds:15012->15012", "tls-webhook:15017->15017");
        assertThat(service.at("/spec/selector/istio").asText()).isEqualTo("ingressgateway");
        assertThat(find(render("ecp-guide", "cluster1", "istiod"), "Deployment", "istiod").at("/metadata/namespace")
                .asText()).isEqualTo("istio-system");
        assertThat(kinds(render("ecp-guide", "cluster1", "istio-base"))).contains(
                "CustomResourceDefinition gateways.networking.istio.io",
                "CustomResourceDefinition virtualservices.networking.istio.io",
                "CustomResourceDefinition destinationrules.networking.istio.io");
    }

    @Test
    void theGatewayVirtualServiceAndDestinationRuleRoute15012And15017ToTheExternalIstiod() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster1", "external-istiod-gateway");
        assertThat(kinds(objects)).containsExactlyInAnyOrder("ServiceAccount istiod-service-account",
                "Gateway external-istiod-gw", "VirtualService external-istiod-vs", "DestinationRule external-istiod-dr");
        JsonNode gw = find(objects, "Gateway", "external-istiod-gw");
        assertThat(gw.at("/spec/selector/istio").asText()).isEqualTo("ingressgateway");
        List<String> servers = new ArrayList<>();
        gw.at("/spec/servers").forEach(s -> servers.add(s.at("/port/number").asInt() + " " + s.at("/port/name").asText()
                + " " + s.at("/tls/mode").asText() + " " + s.at("/tls/credentialName").asText() + " "
                + s.at("/hosts/0").asText()));
        assertThat(servers).containsExactly("15012 https-XDS SIMPLE istiod-mesh1-tls " + ADDRESS,
                "15017 https-WEBHOOK SIMPLE istiod-mesh1-tls " + ADDRESS);
        JsonNode vs = find(objects, "VirtualService", "external-istiod-vs");
        assertThat(vs.at("/spec/hosts/0").asText()).isEqualTo(ADDRESS);
        List<String> routes = new ArrayList<>();
        vs.at("/spec/http").forEach(h -> routes.add(h.at("/match/0/port").asInt() + "->"
                + h.at("/route/0/destination/host").asText() + ":" + h.at("/route/0/destination/port/number").asInt()));
        assertThat(routes).containsExactly("15012->istiod.external-istiod.svc.cluster.local:15012",
                "15017->istiod.external-istiod.svc.cluster.local:443");
        JsonNode dr = find(objects, "DestinationRule", "external-istiod-dr");
        assertThat(dr.at("/spec/host").asText()).isEqualTo("istiod.external-istiod.svc.cluster.local");
        assertThat(dr.at("/spec/trafficPolicy/portLevelSettings/0/connectionPool/http/h2UpgradePolicy").asText())
                .isEqualTo("UPGRADE");
        assertThat(dr.at("/spec/trafficPolicy/portLevelSettings/1/port/number").asInt()).isEqualTo(443);
    }

    @Test
    void theConfigClusterGetsTheExternalInjectorTheValidatorByUrlTheMeshConfigMapAndNoIstiod() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster2", null);
        JsonNode injector = find(objects, "MutatingWebhookConfiguration", "istio-sidecar-injector-external-istiod");
        assertThat(injector.at("/webhooks/0/clientConfig/url").asText())
                .isEqualTo("https://" + ADDRESS + ":15017/inject/:ENV:cluster=cluster2:ENV:net=network1");
        assertThat(injector.at("/webhooks/0/clientConfig/service").isMissingNode()).isTrue();
        JsonNode validator = find(objects, "ValidatingWebhookConfiguration", "istiod-default-validator");
        assertThat(validator.at("/webhooks/0/clientConfig/url").asText()).isEqualTo("https://" + ADDRESS + ":15017/validate");
        assertThat(kinds(objects)).contains("ConfigMap istio", "ServiceAccount istiod",
                "CustomResourceDefinition virtualservices.networking.istio.io");
        assertThat(kinds(objects)).noneMatch(k -> k.startsWith("Deployment") || k.startsWith("Service ")
                || k.equals("ConfigMap istio-sidecar-injector"));
    }

    @Test
    void aFurtherRemoteGetsOnlyItsInjectorAndTheReaderNoConfigMapNoCrds() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster3", null);
        assertThat(kinds(objects)).containsExactlyInAnyOrder(
                "MutatingWebhookConfiguration istio-sidecar-injector-external-istiod",
                "ServiceAccount istio-reader-service-account", "ClusterRole istio-reader-clusterrole-external-istiod",
                "ClusterRoleBinding istio-reader-clusterrole-external-istiod",
                "Secret istio-reader-service-account-istio-remote-secret-token");
        assertThat(find(objects, "MutatingWebhookConfiguration", "istio-sidecar-injector-external-istiod")
                .at("/webhooks/0/clientConfig/url").asText())
                .isEqualTo("https://" + ADDRESS + ":15017/inject/:ENV:cluster=cluster3:ENV:net=network2");
    }

    @Test
    void everyRemoteClusterGetsTheReadersTokenSecretAsIstioctlCreatesItAndTheConfigClusterItsReaderFromBase()
            throws Exception {
        for (String cluster : List.of("cluster2", "cluster3")) {
            JsonNode token = find(render("ecp-guide", cluster, "remote-reader"), "Secret",
                    "istio-reader-service-account-istio-remote-secret-token");
            assertThat(token.at("/type").asText()).as(cluster).isEqualTo("kubernetes.io/service-account-token");
            assertThat(token.at("/metadata/namespace").asText()).as(cluster).isEqualTo("external-istiod");
            assertThat(token.at("/metadata/annotations/kubernetes.io~1service-account.name").asText()).as(cluster)
                    .isEqualTo("istio-reader-service-account");
            assertThat(token.at("/data").isMissingNode()).as("%s: the token controller fills it", cluster).isTrue();
        }
        // One ServiceAccount per cluster: base renders the config cluster's.
        assertThat(kinds(render("ecp-guide", "cluster2", null)))
                .filteredOn(k -> k.equals("ServiceAccount istio-reader-service-account")).hasSize(1);
    }

    @Test
    void theExternalClusterGetsAKubeconfigSecretShellPerRemoteClusterTheConfigClustersOfConfigType() throws Exception {
        List<JsonNode> objects = render("ecp-guide", "cluster1", "remote-secrets");
        assertThat(kinds(objects)).containsExactly("Secret istio-kubeconfig", "Secret istio-remote-secret-cluster3");
        for (JsonNode secret : objects) {
            assertThat(secret.at("/metadata/namespace").asText()).isEqualTo("external-istiod");
            assertThat(secret.at("/metadata/labels/istio~1multiCluster").asText()).isEqualTo("true");
            assertThat(secret.at("/data").isMissingNode()).as("no credential in a plan").isTrue();
            assertThat(secret.at("/metadata/annotations/meshfleet.dev~1reader-token").asText())
                    .isEqualTo("external-istiod/istio-reader-service-account-istio-remote-secret-token");
        }
        assertThat(objects.get(0).at("/metadata/annotations/networking.istio.io~1cluster").asText()).isEqualTo("cluster2");
        assertThat(objects.get(0).at("/metadata/annotations/meshfleet.dev~1kubeconfig-key").asText()).isEqualTo("config");
        assertThat(objects.get(1).at("/metadata/annotations/networking.istio.io~1cluster").asText()).isEqualTo("cluster3");
        assertThat(objects.get(1).at("/metadata/annotations/meshfleet.dev~1kubeconfig-key").asText()).isEqualTo("cluster3");
    }

    @Test
    void beforeTheExternalIstiodIsHealthyNoRemoteClusterRendersAWebhook() throws Exception {
        for (String cluster : List.of("cluster2", "cluster3")) {
            assertThat(kinds(renderAny("ecp-guide-before-istiod-healthy", cluster, null))).as(cluster)
                    .noneMatch(k -> k.contains("WebhookConfiguration"));
        }
        assertThat(kinds(render("ecp-guide-before-istiod-healthy", "cluster2", null))).contains("ConfigMap istio",
                "CustomResourceDefinition gateways.networking.istio.io");
    }
}
