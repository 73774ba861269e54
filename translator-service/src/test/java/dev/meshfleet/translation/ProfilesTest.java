package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every profile of istioctl (Istio 1.24's manifests/profiles, the version of our examples), each as istioctl applies
 * it to an IstioLifecycleManager with no components of its own: the releases it installs, where, and the charts'
 * profile and platform. Expected values are read off the profile files (written down here by hand).
 */
class ProfilesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "cp", "uid-1");
    private static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "gw", "uid-2");
    /** istioctl profile list, Istio 1.24. */
    private static final List<String> ISTIOCTL_PROFILES = List.of("ambient", "default", "demo", "empty", "minimal",
            "openshift", "openshift-ambient", "preview", "remote", "stable");

    private final Translator translator = new Translator(TranslatorSettings.defaults());

    static Stream<Arguments> profiles() {
        return Stream.of(
                // profile, releases (name@namespace) in order, chart profile ("" none), global.platform ("" none)
                Arguments.of("default", List.of("istio-base@istio-system", "istiod@istio-system"), "", ""),
                Arguments.of("demo", List.of("istio-base@istio-system", "istiod@istio-system"), "demo", ""),
                Arguments.of("minimal", List.of("istio-base@istio-system", "istiod@istio-system"), "", ""),
                Arguments.of("remote", List.of("istio-base@istio-system", "istiod@istio-system"), "remote", ""),
                Arguments.of("empty", List.of(), "", ""),
                Arguments.of("preview", List.of("istio-base@istio-system", "istiod@istio-system"), "preview", ""),
                Arguments.of("ambient", List.of("istio-base@istio-system", "istiod@istio-system", "istio-cni@istio-system",
                        "ztunnel@istio-system"), "ambient", ""),
                Arguments.of("stable", List.of("istio-base@istio-system", "istiod@istio-system"), "stable", ""),
                Arguments.of("openshift", List.of("istio-base@istio-system", "istiod@istio-system",
                        "istio-cni@kube-system"), "", "openshift"),
                Arguments.of("openshift-ambient", List.of("istio-base@istio-system", "istiod@istio-system",
                        "istio-cni@kube-system", "ztunnel@kube-system"), "ambient", "openshift"));
    }

    @Test
    void theTableHoldsEveryProfileIstioctlHasAndNoOther() {
        assertThat(profiles().map(a -> (String) a.get()[0]).toList()).containsExactlyInAnyOrderElementsOf(ISTIOCTL_PROFILES);
        assertThat(Profiles.ALL.keySet()).containsExactlyInAnyOrderElementsOf(ISTIOCTL_PROFILES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void eachProfileInstallsWhatIstioctlInstallsWithIt(String profile, List<String> releases, String chartProfile,
            String platform) throws Exception {
        Translation t = translator.translate(ILM, 1, YAML.readTree("""
                installations:
                  - clusters: [{name: cluster1}]
                    istioOperatorSpec: {tag: 1.24.2-solo, profile: %s}
                """.formatted(profile)));

        assertThat(t.errors()).isEmpty();
        List<ChartRelease> charts = t.plans("cluster1").isEmpty() ? List.of() : t.plans("cluster1").get(0).charts();
        assertThat(charts.stream().map(c -> c.releaseName() + "@" + c.namespace()).toList()).isEqualTo(releases);
        for (ChartRelease c : charts) {
            JsonNode values = YAML.readTree(c.valuesJson());
            assertThat(values.path("profile").asText("")).as(c.releaseName() + " profile").isEqualTo(chartProfile);
            assertThat(values.path("global").path("platform").asText("")).as(c.releaseName() + " platform")
                    .isEqualTo(platform);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void aGatewayGetsTheProfilesChartProfileAndPlatform(String profile, List<String> ignoredReleases,
            String chartProfile, String platform) throws Exception {
        Translation t = translator.translate(GLM, 1, YAML.readTree("""
                installations:
                  - gatewayRevision: 1-24
                    clusters: [{name: cluster1, activeGateway: true}]
                    istioOperatorSpec:
                      tag: 1.24.2-solo
                      profile: %s
                      components:
                        ingressGateways: [{name: istio-ingressgateway}]
                """.formatted(profile)));

        assertThat(t.errors()).isEmpty();
        JsonNode gateway = YAML.readTree(t.plans("cluster1").get(0).charts().get(0).valuesJson());
        assertThat(gateway.path("profile").asText("")).isEqualTo(chartProfile);
        assertThat(gateway.path("global").path("platform").asText("")).isEqualTo(platform);
    }

    @Test
    void theSpecsOwnPlatformAndComponentNamespaceWinOverTheProfiles() throws Exception {
        Translation t = translator.translate(ILM, 1, YAML.readTree("""
                installations:
                  - clusters: [{name: cluster1}]
                    istioOperatorSpec:
                      tag: 1.24.2-solo
                      profile: openshift
                      components: {cni: {namespace: istio-cni}}
                      values: {global: {platform: k3s}}
                """));

        List<ChartRelease> charts = t.plans("cluster1").get(0).charts();
        assertThat(charts.get(2).namespace()).isEqualTo("istio-cni");
        assertThat(YAML.readTree(charts.get(1).valuesJson()).at("/global/platform").asText()).isEqualTo("k3s");
    }

    @Test
    void aNameIstioctlDoesNotKnowIsRefusedNamingTheFieldAndTheList() throws Exception {
        Translation t = translator.translate(ILM, 1, YAML.readTree("""
                installations:
                  - clusters: [{name: cluster1}]
                    istioOperatorSpec: {tag: 1.24.2-solo, profile: production}
                """));

        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.installations[0].istioOperatorSpec.profile");
            assertThat(e.message()).contains("'production' is not an Istio profile").contains("openshift-ambient");
        });
    }
}
