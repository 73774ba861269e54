package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A peered ServiceMeshController's installation of revision {@code peering} (docs/adr/0046): Meshfleet's chart
 * {@code peering-gateways} with the values its values.yaml names, written out here by hand; and what a controller
 * brings to its mesh, from its spec and its namespace's extensions.
 */
class SmcPeeringTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final String PEERING = "{\"beta\":\"serviceMeshController:\\n  multiClusterMode: Peering\\n\"}";
    static final SmcTranslator TRANSLATOR = new SmcTranslator(TranslatorSettings.defaults());

    @TempDir
    Path tmp;

    static JsonNode spec(String yaml) throws Exception {
        return YAML.readTree(yaml);
    }

    static JsonNode extensions(String json) throws Exception {
        return json == null ? null : YAML.readTree(json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # case                              | spec                                                                | extensions | member
            network and trust domain given      | {cluster: cluster1, network: net1, trustDomain: td1, version: 1.28.1} | peering | cluster1 net1 td1 false
            network defaults to the cluster     | {cluster: cluster2, version: 1.28.1}                                  | peering | cluster2 cluster2 cluster2 false
            trust domain only                   | {cluster: cluster3, trustDomain: corp.example, version: 1.28.1}       | peering | cluster3 cluster3 corp.example false
            no gloo-extensions-config           | {cluster: cluster1, version: 1.28.1}                                  | null    | none
            extensions without multiClusterMode | {cluster: cluster1, version: 1.28.1}                                  | stable  | none
            a spec with an error                | {cluster: cluster1, version: 1.24.2}                                  | peering | none
            extensions with an error            | {cluster: cluster1, version: 1.28.1}                                  | bad     | none
            """)
    void aControllerIsAMemberOfItsMeshOnlyWhenPeeredAndValid(String name, String spec, String extensions, String member)
            throws Exception {
        String data = switch (extensions == null ? "null" : extensions) {
            case "peering" -> PEERING;
            case "stable" -> "{\"stable\":\"serviceMeshController:\\n  istiod:\\n    serviceAnnotations: {a: b}\\n\"}";
            case "bad" -> "{\"beta\":\"serviceMeshController:\\n  multiClusterMode: Mesh\\n\"}";
            default -> null;
        };
        Optional<SmcPeering.Member> m = SmcPeering.memberOf(spec(spec), extensions(data), false);
        assertThat(m.map(x -> x.cluster() + " " + x.network() + " " + x.trustDomain() + " " + x.nodePort()).orElse("none"))
                .isEqualTo(member);
    }

    @Test
    void theNodePortAnnotationIsReadInAnyCase() {
        assertThat(SmcPeering.nodePort("nodeport")).isTrue();
        assertThat(SmcPeering.nodePort("NodePort")).isTrue();
        assertThat(SmcPeering.nodePort("loadbalancer")).isFalse();
        assertThat(SmcPeering.nodePort(null)).isFalse();
    }

    @Test
    void withoutPeeringAControllerHasOnlyItsControlPlane() throws Exception {
        SmcTranslation t = TRANSLATOR.translate("gloo-mesh", "c1", 1, spec("{cluster: cluster1, version: 1.28.1}"), null,
                new SmcPeering.Inputs(false, List.of(new SmcPeering.Peer("cluster2", "cluster2", "192.0.2.2",
                        "IPAddress", "cluster2", false))));
        assertThat(t.peeringPlan()).isNull();
        assertThat(t.member()).isNull();
        assertThat(t.plansByCluster().get("cluster1")).extracting(Plan::revision).containsExactly("");
    }

    @Test
    void aPeeredControllerWithNoPeerKnownYetStillGetsItsEastWestGateway() throws Exception {
        SmcTranslation t = TRANSLATOR.translate("gloo-mesh", "c1", 3, spec("{cluster: cluster1, version: 1.28.1}"),
                extensions(PEERING), SmcPeering.Inputs.NONE);

        assertThat(t.plansByCluster().get("cluster1")).extracting(Plan::revision).containsExactly("", "peering");
        Plan p = t.peeringPlan();
        assertThat(p.charts()).hasSize(1);
        ChartRelease r = p.charts().get(0);
        assertThat(r.chart() + " " + r.releaseName() + " " + r.namespace())
                .isEqualTo("peering-gateways peering-gateways istio-eastwest");
        assertThat(r.chartSource()).as("the configured default, as the ECP's own charts").isNull();
        assertThat(r.valuesJson()).isEqualTo("{\"cluster\":\"cluster1\",\"eastwest\":{\"nodePort\":false},"
                + "\"network\":\"cluster1\",\"peers\":[],\"revision\":\"\"}");
        assertThat(p.tag()).isEqualTo("1.28.1-solo");
        assertThat(p.claims()).extracting(Claim::name).containsExactly("peering/east-west-gateway");
    }

    @Test
    void thePeersAreTheChartsPeersSortedByClusterWithEveryField() throws Exception {
        SmcTranslation t = TRANSLATOR.translate("gloo-mesh", "c1", 1,
                spec("{cluster: cluster1, network: east, version: 1.28.1}"), extensions(PEERING),
                new SmcPeering.Inputs(true, List.of(
                        new SmcPeering.Peer("cluster3", "west", "cluster3.eastwest.example", "Hostname", "corp.example", true),
                        new SmcPeering.Peer("cluster2", "cluster2", "192.0.2.2", "IPAddress", "cluster2", false))));

        assertThat(t.peeringPlan().charts().get(0).valuesJson()).isEqualTo("{\"cluster\":\"cluster1\","
                + "\"eastwest\":{\"nodePort\":true},\"network\":\"east\",\"peers\":["
                + "{\"address\":\"192.0.2.2\",\"addressType\":\"IPAddress\",\"cluster\":\"cluster2\",\"network\":\"cluster2\","
                + "\"nodePort\":false,\"trustDomain\":\"cluster2\"},"
                + "{\"address\":\"cluster3.eastwest.example\",\"addressType\":\"Hostname\",\"cluster\":\"cluster3\","
                + "\"network\":\"west\",\"nodePort\":true,\"trustDomain\":\"corp.example\"}],\"revision\":\"\"}");
        assertThat(t.peeringPlan().observedOperatorJson()).isEqualTo("{\"cluster\":\"cluster1\","
                + "\"multiClusterMode\":\"Peering\",\"network\":\"east\",\"nodePort\":true,\"peers\":[\"cluster2\",\"cluster3\"]}");
    }

    @Test
    void aNewPeerChangesThePeeringPlanOnlyNotTheControlPlane() throws Exception {
        JsonNode spec = spec("{cluster: cluster1, version: 1.28.1}");
        SmcTranslation alone = TRANSLATOR.translate("gloo-mesh", "c1", 1, spec, extensions(PEERING), SmcPeering.Inputs.NONE);
        SmcTranslation peered = TRANSLATOR.translate("gloo-mesh", "c1", 1, spec, extensions(PEERING),
                new SmcPeering.Inputs(false, List.of(new SmcPeering.Peer("cluster2", "cluster2", "192.0.2.2",
                        "IPAddress", "cluster2", false))));
        assertThat(peered.plan().planHash()).isEqualTo(alone.plan().planHash());
        assertThat(peered.peeringPlan().planHash()).isNotEqualTo(alone.peeringPlan().planHash());
    }

    @Test
    void thePeeringReleaseRendersTheEastWestGatewayAndOneRemotePeerPerPeer() throws Exception {
        SmcTranslation t = TRANSLATOR.translate("gloo-mesh", "c1", 1, spec("{cluster: cluster1, version: 1.28.1}"),
                extensions(PEERING), new SmcPeering.Inputs(false, List.of(
                        new SmcPeering.Peer("cluster2", "cluster2", "192.0.2.2", "IPAddress", "cluster2", false),
                        new SmcPeering.Peer("cluster3", "cluster3", "cluster3.eastwest.example", "Hostname", "cluster3", true))));

        List<JsonNode> objects = ChartRenderTest.render(t.peeringPlan().charts().get(0), tmp);

        assertThat(objects).extracting(o -> o.path("kind").asText() + " " + o.at("/metadata/namespace").asText() + "/"
                + o.at("/metadata/name").asText() + " " + o.at("/spec/gatewayClassName").asText())
                .containsExactly("Gateway istio-eastwest/istio-eastwest istio-eastwest",
                        "Gateway istio-eastwest/istio-remote-peer-cluster2 istio-remote",
                        "Gateway istio-eastwest/istio-remote-peer-cluster3 istio-remote");
        assertThat(objects.get(2).at("/spec/addresses/0/type").asText()).isEqualTo("Hostname");
        assertThat(objects.get(2).at("/spec/addresses/0/value").asText()).isEqualTo("cluster3.eastwest.example");
        assertThat(objects.get(2).at("/metadata/annotations/peering.solo.io~1preferred-data-plane-service-type").asText())
                .isEqualTo("nodeport");
    }
}
