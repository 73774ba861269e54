package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 003's reference table, rule by rule; the expected values are the seed's, written out here. */
class SmcTranslatorTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final SmcTranslator TRANSLATOR = new SmcTranslator(TranslatorSettings.defaults());

    static SmcTranslation translate(String specYaml) throws Exception {
        return TRANSLATOR.translate("gloo-mesh", "managed-istio", 1, YAML.readTree(specYaml));
    }

    static JsonNode values(SmcTranslation t, String chart) {
        return t.plan().charts().stream().filter(c -> c.chart().equals(chart)).findFirst()
                .map(c -> Canonical.parse(c.valuesJson())).orElseThrow(() -> new AssertionError("no " + chart + " release"));
    }

    static JsonNode pilot(String profile) throws Exception {
        return values(translate("{cluster: cluster1, version: 1.28.1-patch0, scalingProfile: " + profile + "}"), "istiod")
                .get("pilot");
    }

    @Test
    void theDefaultProfileRequestsOneCpuAndOneGibiLimitsTwoAndAutoscalesTwoToTwentyFiveAtEighty() throws Exception {
        assertThat(pilot("Default")).isEqualTo(YAML.readTree("""
                resources: {requests: {cpu: 1000m, memory: 1Gi}, limits: {cpu: 2000m, memory: 2Gi}}
                autoscaleEnabled: true
                autoscaleMin: 2
                autoscaleMax: 25
                cpu: {targetAverageUtilization: 80}
                """));
        assertThat(values(translate("{cluster: cluster1, version: 1.28.1-patch0}"), "istiod").get("pilot"))
                .as("no scalingProfile is Default").isEqualTo(pilot("Default"));
    }

    @Test
    void theDemoProfileTurnsAutoscaleOffAndRequestsAQuarterCpuAndNothingElse() throws Exception {
        assertThat(pilot("Demo")).isEqualTo(YAML.readTree("""
                autoscaleEnabled: false
                resources: {requests: {cpu: 250m}}
                """));
    }

    @Test
    void theLargeProfileRequestsAndLimitsFourCpusAndFourGibiAndAutoscalesFourToFiftyAtSeventyFive() throws Exception {
        assertThat(pilot("Large")).isEqualTo(YAML.readTree("""
                resources: {requests: {cpu: 4000m, memory: 4Gi}, limits: {cpu: 4000m, memory: 4Gi}}
                autoscaleEnabled: true
                autoscaleMin: 4
                autoscaleMax: 50
                cpu: {targetAverageUtilization: 75}
                """));
    }

    static List<String> releases(SmcTranslation t) {
        return t.plan().charts().stream().map(c -> c.chart() + ":" + c.releaseName() + "@" + c.namespace()).toList();
    }

    @Test
    void ambientInstallsIstiodCniAndZtunnelOverTheCrdsInTheInstallNamespace() throws Exception {
        SmcTranslation t = translate("{cluster: cluster1, version: 1.28.1-patch0}");
        assertThat(releases(t)).containsExactly("base:istio-base@istio-system", "istiod:istiod@istio-system",
                "cni:istio-cni@istio-system", "ztunnel:ztunnel@istio-system");
        assertThat(values(t, "cni").path("ambient").path("enabled").asBoolean()).isTrue();
        assertThat(values(t, "istiod").path("profile").asText()).isEqualTo("ambient");
        assertThat(t.plan().revision()).as("revisionless, as the seed's operator installs").isEmpty();
    }

    @Test
    void sidecarInstallsTheCniOnlyWhenTheCniCaptures() throws Exception {
        SmcTranslation auto = translate("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: Sidecar,"
                + " installNamespace: mesh-system}");
        assertThat(releases(auto)).containsExactly("base:istio-base@mesh-system", "istiod:istiod@mesh-system",
                "cni:istio-cni@mesh-system");
        assertThat(values(auto, "cni").path("ambient").path("enabled").asBoolean()).isFalse();
        assertThat(values(auto, "istiod").path("pilot").path("cni").path("enabled").asBoolean()).isTrue();
        assertThat(values(auto, "istiod").has("profile")).isFalse();

        SmcTranslation init = translate("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: Sidecar,"
                + " trafficCaptureMode: InitContainer}");
        assertThat(releases(init)).containsExactly("base:istio-base@istio-system", "istiod:istiod@istio-system");
        assertThat(values(init, "istiod").path("pilot").path("cni").path("enabled").asBoolean()).isFalse();
    }

    @Test
    void theTrustDomainIsTheFieldElseTheCluster() throws Exception {
        assertThat(values(translate("{cluster: cluster7, version: 1.28.1-patch0}"), "istiod")
                .path("meshConfig").path("trustDomain").asText()).isEqualTo("cluster7");
        assertThat(values(translate("{cluster: cluster7, version: 1.28.1-patch0, trustDomain: corp.example}"), "istiod")
                .path("meshConfig").path("trustDomain").asText()).isEqualTo("corp.example");
    }

    @Test
    void aSpecWithoutClusterTrustsClusterLocal() {
        SmcSpec noCluster = SmcValidatorTest.spec("", SmcSpec.DataplaneMode.Ambient, SmcSpec.TrafficCaptureMode.Auto,
                SmcSpec.Distribution.Standard, "1.28.1-patch0", "istio-system");
        assertThat(noCluster.effectiveTrustDomain()).isEqualTo("cluster.local");
    }

    @Test
    void imagesComeFromTheRepositoryWithTheSoloTagAndFipsAddsItsSuffix() throws Exception {
        SmcTranslation t = translate("""
                {cluster: cluster1, version: 1.28.1-patch0, distribution: FIPS,
                 image: {repository: registry.example/private/istio, secrets: [{name: regcred}]}}
                """);
        JsonNode global = values(t, "istiod").get("global");
        assertThat(global.path("hub").asText()).isEqualTo("registry.example/private/istio");
        assertThat(global.path("tag").asText()).isEqualTo("1.28.1-patch0-solo-fips");
        assertThat(global.path("imagePullSecrets")).isEqualTo(YAML.readTree("[regcred]"));
        for (String chart : List.of("base", "cni", "ztunnel")) {
            assertThat(values(t, chart).path("global").path("imagePullSecrets")).as(chart)
                    .isEqualTo(YAML.readTree("[regcred]"));
        }
        assertThat(t.plan().tag()).isEqualTo("1.28.1-patch0-solo-fips");
        assertThat(translate("{cluster: cluster1, version: 1.24.3-solo}").plan().tag()).isEqualTo("1.24.3-solo");
        assertThat(translate("{cluster: cluster1, version: 1.28.1-patch0}").plan().tag()).isEqualTo("1.28.1-patch0-solo");
    }

    @Test
    void theClusterAndNetworkReachIstiodAndZtunnel() throws Exception {
        SmcTranslation t = translate("{cluster: cluster1, network: net1, version: 1.28.1-patch0}");
        for (String chart : List.of("istiod", "ztunnel")) {
            assertThat(values(t, chart).path("global").path("multiCluster").path("clusterName").asText()).as(chart)
                    .isEqualTo("cluster1");
            assertThat(values(t, chart).path("global").path("network").asText()).as(chart).isEqualTo("net1");
        }
        assertThat(t.plan().cluster()).isEqualTo("cluster1");
        assertThat(t.plan().claims()).extracting(Claim::name).containsExactly("control-plane/default");
    }

    @Test
    void aBadDataplaneModeIsRefusedNamingTheFieldUnderItsCluster() throws Exception {
        SmcTranslation t = translate("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: Hybrid}");
        assertThat(t.plan()).isNull();
        assertThat(t.errors()).extracting(TranslationError::cluster, TranslationError::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cluster1", "spec.dataplaneMode"));
        assertThat(t.errors().get(0).message()).isEqualTo("must be one of Ambient, Sidecar, got the string 'Hybrid'");
        assertThat(translate("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: sidecar}").errors().get(0)
                .message()).endsWith("(values are case-sensitive: write Sidecar)");
    }

    @Test
    void initContainerWithAmbientIsRefusedNamingTheField() throws Exception {
        SmcTranslation t = translate("{cluster: cluster1, version: 1.28.1-patch0, trafficCaptureMode: InitContainer}");
        assertThat(t.plan()).isNull();
        assertThat(t.errors()).extracting(TranslationError::path).containsExactly("spec.trafficCaptureMode");
    }

    @Test
    void anErrorWithoutAUsableClusterIsShownUnderTheWholeResourceKey() throws Exception {
        SmcTranslation t = translate("{version: 1.28.1-patch0}");
        assertThat(t.errors()).extracting(TranslationError::cluster, TranslationError::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("*", "spec.cluster"));
        assertThat(translate("{cluster: 7, version: 1.28.1-patch0}").errors()).extracting(TranslationError::cluster,
                TranslationError::path).containsExactly(org.assertj.core.groups.Tuple.tuple("*", "spec.cluster"));
    }

    @Test
    void aNewGenerationIsANewPlanHashAndTheUidIsNotPartOfIt() throws Exception {
        JsonNode spec = YAML.readTree("{cluster: cluster1, version: 1.28.1-patch0}");
        String one = TRANSLATOR.translate("gloo-mesh", "m", 1, spec).plan().planHash();
        assertThat(TRANSLATOR.translate("gloo-mesh", "m", 2, spec).plan().planHash()).isNotEqualTo(one);
        assertThat(TRANSLATOR.translate("gloo-mesh", "m", 1, spec).plan().planHash()).isEqualTo(one);
        assertThat(TRANSLATOR.translate("gloo-mesh", "m", 1, spec).key()).isEqualTo("ServiceMeshController/gloo-mesh/m");
    }

    @Test
    void onConflictForceTakesOverAnUnmanagedIstioAndAbortTheDefaultDoesNot() throws Exception {
        assertThat(translate("{cluster: cluster1, version: 1.28.1-patch0}").plan().takeOverUnmanaged()).isFalse();
        assertThat(translate("{cluster: cluster1, version: 1.28.1-patch0, onConflict: Abort}").plan().takeOverUnmanaged())
                .isFalse();
        assertThat(translate("{cluster: cluster1, version: 1.28.1-patch0, onConflict: Force}").plan().takeOverUnmanaged())
                .isTrue();
    }

    @Test
    void theTranslatorHandsAServiceMeshControllerToTheseRulesByItsKind() throws Exception {
        JsonNode spec = YAML.readTree("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: Sidecar}");
        Translation t = new Translator(TranslatorSettings.defaults()).translate(new Owner(
                dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "u1"), 1, spec);

        assertThat(t.errors()).isEmpty();
        assertThat(t.plansByCluster()).containsOnlyKeys("cluster1");
        assertThat(t.plans("cluster1")).singleElement().satisfies(p -> {
            assertThat(p.revision()).isEmpty();
            assertThat(p.charts()).extracting(ChartRelease::releaseName).containsExactly("istio-base", "istiod", "istio-cni");
            assertThat(p.planHash()).isEqualTo(translate("{cluster: cluster1, version: 1.28.1-patch0, dataplaneMode: Sidecar}")
                    .plan().planHash());
        });
    }
}
