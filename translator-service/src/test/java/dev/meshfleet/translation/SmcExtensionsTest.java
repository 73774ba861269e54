package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.translation.SmcSpec.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seed 003's gloo-extensions-config, rule by rule (docs/adr/0045): where each setting lands in the chart values, and
 * what is refused, naming the ConfigMap's key and the field. The expected values are the seed's, written out here.
 */
class SmcExtensionsTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final SmcTranslator TRANSLATOR = new SmcTranslator(TranslatorSettings.defaults());
    static final String SPEC = "{cluster: cluster1, network: cluster1, version: 1.28.1-patch0}";

    static ObjectNode data(String key, String yaml) {
        return Canonical.NODES.objectNode().put(key, yaml);
    }

    static SmcTranslation translate(JsonNode data) throws Exception {
        return TRANSLATOR.translate("gloo-mesh", "managed-istio", 1, YAML.readTree(SPEC), data);
    }

    static JsonNode values(SmcTranslation t, String chart) {
        assertThat(t.errors()).as("errors").isEmpty();
        return SmcTranslatorTest.values(t, chart);
    }

    @Test
    void stableIstiodSettingsBecomeIstiodsPilotValuesAndDiscoverySelectorsItsMeshConfig() throws Exception {
        JsonNode istiod = values(translate(data("stable", """
                serviceMeshController:
                  istiod:
                    discoverySelectors:
                      - matchLabels: {foo: bar}
                    topology:
                      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: []}}
                      nodeSelector: {foo: bar}
                      tolerations: [{key: t1, operator: Equal, value: v1}]
                    deployment:
                      podAnnotations: {a: b}
                    serviceAnnotations: {c: d}
                """)), "istiod");
        assertThat(istiod.at("/meshConfig/discoverySelectors")).isEqualTo(YAML.readTree("[{matchLabels: {foo: bar}}]"));
        assertThat(istiod.at("/meshConfig/trustDomain").asText()).as("what Meshfleet derives stays").isEqualTo("cluster1");
        assertThat(istiod.at("/pilot/affinity")).isEqualTo(
                YAML.readTree("{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: []}}"));
        assertThat(istiod.at("/pilot/nodeSelector")).isEqualTo(YAML.readTree("{foo: bar}"));
        assertThat(istiod.at("/pilot/tolerations")).isEqualTo(YAML.readTree("[{key: t1, operator: Equal, value: v1}]"));
        assertThat(istiod.at("/pilot/podAnnotations")).isEqualTo(YAML.readTree("{a: b}"));
        assertThat(istiod.at("/pilot/serviceAnnotations")).isEqualTo(YAML.readTree("{c: d}"));
        assertThat(istiod.at("/pilot/autoscaleMin").asInt()).as("the scaling profile stays").isEqualTo(2);
    }

    @Test
    void betaCniDirectoriesBecomeTheCniChartsDirectories() throws Exception {
        JsonNode cni = values(translate(data("beta", """
                serviceMeshController:
                  cni: {confDir: /foo/conf, binDir: /foo/bin}
                """)), "cni");
        assertThat(cni.path("cniConfDir").asText()).isEqualTo("/foo/conf");
        assertThat(cni.path("cniBinDir").asText()).isEqualTo("/foo/bin");
    }

    @Test
    void valuesIstiodAreMergedLastOverWhatMeshfleetDerives() throws Exception {
        JsonNode istiod = values(translate(data("values.istiod", """
                env: {PEERING_AUTOMATIC_LOCAL_GATEWAY: "true"}
                pilot: {autoscaleMax: 7}
                meshConfig: {trustDomain: mesh.example}
                """)), "istiod");
        assertThat(istiod.at("/env/PEERING_AUTOMATIC_LOCAL_GATEWAY").asText()).isEqualTo("true");
        assertThat(istiod.at("/pilot/autoscaleMax").asInt()).isEqualTo(7);
        assertThat(istiod.at("/pilot/autoscaleMin").asInt()).as("merged, not replaced").isEqualTo(2);
        assertThat(istiod.at("/meshConfig/trustDomain").asText()).isEqualTo("mesh.example");
    }

    @Test
    void multiClusterModePeeringShowsInTheObservedSpecAndChangesThePlan() throws Exception {
        SmcTranslation without = translate(null);
        SmcTranslation peering = translate(data("beta", "serviceMeshController: {multiClusterMode: Peering}"));
        assertThat(Canonical.parse(peering.plan().observedOperatorJson()).path("multiClusterMode").asText()).isEqualTo("Peering");
        assertThat(Canonical.parse(without.plan().observedOperatorJson()).has("multiClusterMode")).isFalse();
        assertThat(peering.plan().planHash()).isNotEqualTo(without.plan().planHash());
    }

    @Test
    void noConfigMapAndAnEmptyOneTranslateAsWithoutExtensions() throws Exception {
        SmcTranslation none = TRANSLATOR.translate("gloo-mesh", "managed-istio", 1, YAML.readTree(SPEC));
        assertThat(translate(null).plan().planHash()).isEqualTo(none.plan().planHash());
        assertThat(translate(Canonical.NODES.objectNode()).plan().planHash()).isEqualTo(none.plan().planHash());
    }

    @Test
    void aChangedSettingChangesThePlanHashSoTheChangeRollsOut() throws Exception {
        String a = translate(data("stable", "serviceMeshController: {istiod: {deployment: {podAnnotations: {v: '1'}}}}"))
                .plan().planHash();
        String b = translate(data("stable", "serviceMeshController: {istiod: {deployment: {podAnnotations: {v: '2'}}}}"))
                .plan().planHash();
        assertThat(a).isNotEqualTo(b);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            stable        | serviceMeshController: {istiod: {nodeSelect: {a: b}}}         | gloo-extensions-config[stable].serviceMeshController.istiod.nodeSelect | is not a setting
            stable        | serviceMeshController: {pilot: {}}                             | gloo-extensions-config[stable].serviceMeshController.pilot             | is not a setting
            stable        | serviceMeshController: {istiod: {topology: {nodeSelector: [a]}}} | gloo-extensions-config[stable].serviceMeshController.istiod.topology.nodeSelector | must be a map
            stable        | serviceMeshController: {istiod: {deployment: {podAnnotations: {n: 3}}}} | gloo-extensions-config[stable].serviceMeshController.istiod.deployment.podAnnotations.n | must be a string
            stable        | serviceMeshController: {istiod: {discoverySelectors: {a: b}}}  | gloo-extensions-config[stable].serviceMeshController.istiod.discoverySelectors | must be a list
            stable        | '- a list'                                                     | gloo-extensions-config[stable]                                         | must be a YAML map
            stable        | 'a: [unclosed'                                                 | gloo-extensions-config[stable]                                         | is not YAML
            beta          | serviceMeshController: {multiClusterMode: Mesh}                | gloo-extensions-config[beta].serviceMeshController.multiClusterMode   | must be Peering
            beta          | serviceMeshController: {cni: {binDir: opt/cni}}                | gloo-extensions-config[beta].serviceMeshController.cni.binDir         | must be an absolute path
            values.istiod | '- a list'                                                     | gloo-extensions-config[values.istiod]                                  | must be a YAML map
            values.cni    | 'a: b'                                                         | gloo-extensions-config[values.cni]                                     | is not a setting
            """)
    void aSettingTheSeedDoesNotDocumentOrOfTheWrongShapeIsRefusedNamingKeyAndField(String key, String yaml, String path,
            String message) throws Exception {
        SmcTranslation t = translate(data(key, yaml));
        assertThat(t.plan()).isNull();
        assertThat(t.errors()).extracting(TranslationError::path).contains(path);
        assertThat(t.errors()).filteredOn(e -> e.path().equals(path)).extracting(TranslationError::message)
                .allSatisfy(m -> assertThat(m).startsWith(message)).isNotEmpty();
        assertThat(t.errors()).extracting(TranslationError::cluster).as("shown under the controller's cluster")
                .containsOnly("cluster1");
    }

    @Test
    void readingCollectsEveryProblemOfTheConfigMapAtOnce() throws Exception {
        List<Problem> problems = new ArrayList<>();
        ObjectNode data = data("stable", "serviceMeshController: {istiod: {nodeSelect: {}}}");
        data.put("beta", "serviceMeshController: {multiClusterMode: Mesh}");
        assertThat(SmcExtensions.read(data, problems)).isNull();
        assertThat(problems).extracting(Problem::path).containsExactly(
                "gloo-extensions-config[stable].serviceMeshController.istiod.nodeSelect",
                "gloo-extensions-config[beta].serviceMeshController.multiClusterMode");
    }
}
