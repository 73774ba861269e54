package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslatorTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "cp", "uid-1");
    final Translator translator = new Translator(TranslatorSettings.defaults());

    static JsonNode spec(String yaml) throws Exception {
        return YAML.readTree(yaml);
    }

    static final String TWO_CLUSTERS = """
            installations:
              - revision: 1-24
                clusters: [{name: cluster1}, {name: cluster2}]
                istioOperatorSpec: {hub: h, tag: 1.24.2-solo, meshConfig: {b: 1, a: 2}}
            """;

    @Test
    void planHashIgnoresTheOwnerUidSoARecreatedResourcePlansTheSame() throws Exception {
        Plan a = translator.translate(ILM, 1, spec(TWO_CLUSTERS)).plans("cluster1").get(0);
        Plan b = translator.translate(new Owner(ILM.kind(), ILM.namespace(), ILM.name(), "uid-2"), 1, spec(TWO_CLUSTERS))
                .plans("cluster1").get(0);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void keyOrderInTheSpecDoesNotChangeValuesOrHash() throws Exception {
        String reordered = TWO_CLUSTERS.replace("{hub: h, tag: 1.24.2-solo, meshConfig: {b: 1, a: 2}}",
                "{meshConfig: {a: 2, b: 1}, tag: 1.24.2-solo, hub: h}");
        assertThat(translator.translate(ILM, 1, spec(reordered)).plans("cluster1"))
                .isEqualTo(translator.translate(ILM, 1, spec(TWO_CLUSTERS)).plans("cluster1"));
    }

    @Test
    void aChangedValueChangesThePlanHashOfEveryClusterItReaches() throws Exception {
        Translation before = translator.translate(ILM, 1, spec(TWO_CLUSTERS));
        Translation after = translator.translate(ILM, 1, spec(TWO_CLUSTERS.replace("1.24.2-solo", "1.24.3-solo")));
        for (String cluster : before.clusters()) {
            assertThat(after.plans(cluster).get(0).planHash()).isNotEqualTo(before.plans(cluster).get(0).planHash());
        }
    }

    @Test
    void valuesAreCanonicalJsonWithSortedKeys() throws Exception {
        ChartRelease istiod = translator.translate(ILM, 1, spec(TWO_CLUSTERS)).plans("cluster1").get(0).charts().get(1);
        assertThat(istiod.valuesJson()).contains("\"meshConfig\":{\"a\":2,\"b\":1,\"trustDomain\":\"cluster1\"}")
                .doesNotContain(" ").doesNotContain("\n");
    }

    @Test
    void anInvalidInstallationFailsOnlyItsOwnClusters() throws Exception {
        Translation t = translator.translate(ILM, 1, spec(TWO_CLUSTERS + """
                  - revision: "bad/rev"
                    clusters: [{name: cluster3}]
                    istioOperatorSpec: {tag: 1.24.2-solo}
                """));
        assertThat(t.clusters()).containsExactly("cluster1", "cluster2");
        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.cluster()).isEqualTo("cluster3");
            assertThat(e.path()).isEqualTo("spec.installations[1].revision");
        });
    }

    @Test
    void aRevisionNamedDefaultIsRefusedBecauseStatusUsesThatKeyForRevisionlessInstallations() throws Exception {
        Translation t = translator.translate(ILM, 1, spec("""
                installations:
                  - revision: default
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {tag: 1.24.2-solo}
                """));
        assertThat(t.plansByCluster()).isEmpty();
        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.installations[0].revision");
            assertThat(e.message()).contains("leave revision empty");
        });
    }

    @Test
    void aResourceWithoutInstallationsPlansNothingAndIsNotAnError() throws Exception {
        Translation t = translator.translate(ILM, 1, spec("installations: []"));
        assertThat(t.plansByCluster()).isEmpty();
        assertThat(t.errors()).isEmpty();
    }

    @Test
    void twoDefaultRevisionsInOneClusterFailTheSecond() throws Exception {
        Translation t = translator.translate(ILM, 1, spec("""
                installations:
                  - revision: 1-23
                    clusters: [{name: cluster1, defaultRevision: true}]
                    istioOperatorSpec: {tag: 1.23.3-solo}
                  - revision: 1-24
                    clusters: [{name: cluster1, defaultRevision: true}]
                    istioOperatorSpec: {tag: 1.24.2-solo}
                """));
        assertThat(t.plans("cluster1")).extracting(Plan::revision).containsExactly("1-23");
        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.revision()).isEqualTo("1-24");
            assertThat(e.path()).isEqualTo("spec.installations[1].clusters[0].defaultRevision");
        });
    }

    @Test
    void autoRevisionsResolveToTheConfiguredDefaultRevision() throws Exception {
        Translator custom = new Translator(new TranslatorSettings("1-26", "hub.example", "1.26.0-solo", null));
        Plan ilm = custom.translate(ILM, 1, spec("""
                installations:
                  - revision: auto
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {profile: minimal}
                """)).plans("cluster1").get(0);
        Owner glmOwner = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-g");
        Plan glm = custom.translate(glmOwner, 1, spec("""
                installations:
                  - gatewayRevision: auto
                    controlPlaneRevision: auto
                    clusters: [{name: cluster1, activeGateway: true}]
                    istioOperatorSpec: {components: {ingressGateways: [{name: istio-ingressgateway}]}}
                """)).plans("cluster1").get(0);

        assertThat(ilm.revision()).isEqualTo("1-26");
        assertThat(ilm.tag()).isEqualTo("1.26.0-solo");
        assertThat(glm.revision()).isEqualTo("1-26");
        assertThat(glm.controlPlaneRevision()).isEqualTo("1-26");
        assertThat(glm.charts().get(0).releaseName()).isEqualTo("istio-ingressgateway-1-26");
    }

    @Test
    void aGatewaysOverlaysTravelWithItsReleasesAndThoseOnTheActiveServiceWithTheServiceRelease() throws Exception {
        Owner glmOwner = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-g");
        Plan glm = translator.translate(glmOwner, 1, spec("""
                installations:
                  - gatewayRevision: 1-24
                    clusters: [{name: cluster1, activeGateway: true}]
                    istioOperatorSpec:
                      tag: 1.24.2-solo
                      components:
                        ingressGateways:
                          - name: istio-ingressgateway
                            k8s:
                              overlays:
                                - {kind: Deployment, name: istio-ingressgateway-1-24,
                                   patches: [{path: spec.template.spec.hostNetwork, value: true}]}
                                - {kind: Service, name: istio-ingressgateway,
                                   patches: [{path: "spec.ports[name:status-port]"}]}
                """)).plans("cluster1").get(0);

        ChartRelease gateway = glm.charts().get(0);
        ChartRelease service = glm.charts().get(1);
        assertThat(gateway.chart()).isEqualTo("gateway");
        assertThat(YAML.readTree(gateway.overlaysJson())).isEqualTo(YAML.readTree("""
                - field: spec.installations[0].istioOperatorSpec.components.ingressGateways[0].k8s.overlays[0]
                  kind: Deployment
                  name: istio-ingressgateway-1-24
                  patches: [{path: spec.template.spec.hostNetwork, value: true}]
                """));
        assertThat(service.chart()).isEqualTo(GatewayPlans.SERVICE_CHART);
        assertThat(YAML.readTree(service.overlaysJson())).isEqualTo(YAML.readTree("""
                - field: spec.installations[0].istioOperatorSpec.components.ingressGateways[0].k8s.overlays[1]
                  kind: Service
                  name: istio-ingressgateway
                  patches: [{path: "spec.ports[name:status-port]"}]
                """));
    }

    @Test
    void thePlanOnTheWireCarriesTheOverlays() throws Exception {
        Plan plan = translator.translate(ILM, 1, spec("""
                installations:
                  - clusters: [{name: cluster1}]
                    istioOperatorSpec:
                      tag: 1.24.2-solo
                      components:
                        pilot:
                          k8s:
                            overlays: [{kind: Deployment, name: istiod, patches: [{path: spec.replicas, value: 3}]}]
                """)).plans("cluster1").get(0);

        var avro = dev.meshfleet.translator.stream.AvroPlans.toAvro(ILM, 1, plan);

        assertThat(avro.getCharts().get(0).getOverlaysJson()).isEqualTo("[]");
        assertThat(YAML.readTree(avro.getCharts().get(1).getOverlaysJson())).isEqualTo(YAML.readTree("""
                - {field: "spec.installations[0].istioOperatorSpec.components.pilot.k8s.overlays[0]", kind: Deployment,
                   name: istiod, patches: [{path: spec.replicas, value: 3}]}
                """));
    }

    @Test
    void helmGlobalRepoIsReadAtTheTopOfTheSpecNotPerInstallation() throws Exception {
        Owner glmOwner = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-g");
        Translation t = new Translator(TranslatorSettings.defaults().allowing(List.of("https://charts.example/istio")))
                .translate(glmOwner, 1, spec("""
                helmGlobal: {repo: "https://charts.example/istio"}
                installations:
                  - gatewayRevision: 1-24
                    helmGlobal: {repo: "oci://elsewhere.example/ignored"}
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {components: {ingressGateways: [{name: istio-ingressgateway}]}}
                """));
        assertThat(t.plans("cluster1").get(0).charts()).extracting(ChartRelease::chartSource)
                .containsOnly("https://charts.example/istio");
        Translation none = translator.translate(ILM, 1, spec(TWO_CLUSTERS));
        assertThat(none.allPlans()).flatExtracting(Plan::charts).extracting(ChartRelease::chartSource).containsOnlyNulls();
    }

    @Test
    void aRepoOffTheAllowListFailsEveryClusterNamingTheFieldAndTheSetting() throws Exception {
        Translator allowing = new Translator(TranslatorSettings.defaults().allowing(List.of("https://charts.example.com/istio")));
        Owner glmOwner = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-g");
        for (String repo : List.of("https://charts.example.com.evil.io/istio", "https://charts.example.com/istio/../evil",
                "https://charts.example.com/istio-evil", "http://charts.example.com/istio")) {
            Translation t = allowing.translate(glmOwner, 1, spec("""
                    helmGlobal: {repo: "%s"}
                    installations:
                      - gatewayRevision: 1-24
                        clusters: [{name: cluster1}, {name: cluster2}]
                        istioOperatorSpec: {components: {ingressGateways: [{name: istio-ingressgateway}]}}
                    """.formatted(repo)));
            assertThat(t.allPlans()).as(repo).isEmpty();
            assertThat(t.errors()).as(repo).extracting(TranslationError::cluster).containsExactlyInAnyOrder("cluster1", "cluster2");
            assertThat(t.errors().get(0).path()).isEqualTo("spec.helmGlobal.repo");
            assertThat(t.errors().get(0).message()).contains("'" + repo + "' is not on the allow-list"
                    + " meshfleet.translator.allowed-chart-sources (allowed: https://charts.example.com/istio)");
        }
        Translation inside = allowing.translate(glmOwner, 1, spec("""
                helmGlobal: {repo: "https://charts.example.com/istio/stable"}
                installations:
                  - gatewayRevision: 1-24
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {components: {ingressGateways: [{name: istio-ingressgateway}]}}
                """));
        assertThat(inside.errors()).isEmpty();
    }

    @Test
    void byDefaultOnlyTheDefaultChartSourceIsAllowedAndAUrlWithCredentialsIsRefusedWithoutEchoingThem() throws Exception {
        Translator withDefault = new Translator(new TranslatorSettings("1-24", "registry.example/istio", "1.24.2-solo",
                "https://charts.example.com/istio"));
        Owner glmOwner = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-g");
        String body = """
                installations:
                  - gatewayRevision: 1-24
                    clusters: [{name: cluster1}]
                    istioOperatorSpec: {components: {ingressGateways: [{name: istio-ingressgateway}]}}
                """;
        assertThat(withDefault.translate(glmOwner, 1, spec("helmGlobal: {repo: \"https://charts.example.com/istio\"}\n" + body))
                .errors()).isEmpty();
        assertThat(withDefault.translate(glmOwner, 1, spec("helmGlobal: {repo: \"https://other.example/istio\"}\n" + body))
                .errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("not on the allow-list"));
        assertThat(translator.translate(glmOwner, 1, spec("helmGlobal: {repo: \"https://charts.example.com/istio\"}\n" + body))
                .errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("(empty)"));
        TranslationError withUser = withDefault.translate(glmOwner, 1,
                spec("helmGlobal: {repo: \"https://bob:s3cret@charts.example.com/istio\"}\n" + body)).errors().get(0);
        assertThat(withUser.path()).isEqualTo("spec.helmGlobal.repo");
        assertThat(withUser.message()).contains("must not carry credentials").doesNotContain("s3cret").doesNotContain("bob");
    }
}
