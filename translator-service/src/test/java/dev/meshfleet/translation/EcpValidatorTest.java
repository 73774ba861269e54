package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.translation.EcpSpec.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seed 004's rules (issue 13 item 1), one row each: a spec as YAML and the one field refused with what the message
 * says, or none when accepted. Each row changes one thing of the guide's topology ({@link #GUIDE}).
 */
class EcpValidatorTest {
    static final YAMLMapper YAML = new YAMLMapper();

    /** The guide's topology: cluster1 external, cluster2 the config cluster, cluster3 a further remote. */
    static final String GUIDE = """
            external: {cluster: cluster1, address: istiod.mesh1.example.com, tlsSecretName: istiod-tls}
            meshID: mesh1
            network: network1
            remoteClusters: [{name: cluster2}, {name: cluster3, network: network2}]
            """;

    static List<Problem> problems(String yaml) throws Exception {
        List<Problem> problems = new ArrayList<>();
        EcpSpec spec = EcpSpec.read(YAML.readTree(yaml), problems);
        if (spec != null) {
            problems.addAll(EcpValidator.validate(spec));
        }
        return problems;
    }

    static String with(String replace, String by) {
        assertThat(GUIDE).contains(replace);
        return GUIDE.replace(replace, by);
    }

    static Arguments row(String name, String yaml, String field, String says) {
        return Arguments.of(name, yaml, field, says);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("the guide's topology", GUIDE, null, null),
                row("the config cluster named on the second entry",
                        with("{name: cluster3, network", "{name: cluster3, configCluster: true, network"), null, null),
                row("the first entry says configCluster true",
                        with("{name: cluster2}", "{name: cluster2, configCluster: true}"), null, null),
                row("a port-less subdomain with digits", with("istiod.mesh1.example.com", "istiod-1.a2.example"), null,
                        null),
                row("the guide's istioOperatorSpec tuning",
                        GUIDE + "istioOperatorSpec: {meshConfig: {accessLogFile: /dev/stdout}, values: {pilot:"
                                + " {env: {PILOT_TRACE_SAMPLING: '1'}}}, components: {pilot: {k8s: {resources: {requests:"
                                + " {cpu: 1}}}}}}\n",
                        null, null),
                // config cluster: none or two
                row("two config clusters",
                        with("[{name: cluster2}, {name: cluster3,",
                                "[{name: cluster2, configCluster: true}, {name: cluster3, configCluster: true,"),
                        "spec.remoteClusters[1].configCluster",
                        "spec.remoteClusters[0].configCluster is already true"),
                row("no config cluster", with("{name: cluster2}", "{name: cluster2, configCluster: false}"),
                        "spec.remoteClusters", "names no config cluster: spec.remoteClusters[0].configCluster is false"),
                // the address is a hostname
                row("an address with a scheme", with("istiod.mesh1.example.com", "https://istiod.mesh1.example.com"),
                        "spec.external.address", "has a scheme"),
                row("an address with a port", with("istiod.mesh1.example.com", "'istiod.mesh1.example.com:15012'"),
                        "spec.external.address", "has a port or a path"),
                row("an address with a path", with("istiod.mesh1.example.com", "istiod.mesh1.example.com/inject"),
                        "spec.external.address", "has a port or a path"),
                row("an IP address", with("istiod.mesh1.example.com", "10.1.2.3"), "spec.external.address",
                        "is an IP address"),
                row("upper case", with("istiod.mesh1.example.com", "Istiod.example.com"), "spec.external.address",
                        "is not a DNS hostname"),
                row("an underscore", with("istiod.mesh1.example.com", "istiod_1.example.com"), "spec.external.address",
                        "is not a DNS hostname"),
                row("a label of 64", with("istiod.mesh1.example.com", "a".repeat(64) + ".example.com"),
                        "spec.external.address", "is not a DNS hostname"),
                row("a trailing dot", with("istiod.mesh1.example.com", "istiod.example.com."), "spec.external.address",
                        "is not a DNS hostname"),
                row("no address", with("address: istiod.mesh1.example.com, ", ""), "spec.external.address",
                        "is required"),
                // a remote cluster is not the external one
                row("the external cluster as a remote", with("{name: cluster3,", "{name: cluster1,"),
                        "spec.remoteClusters[1].name", "'cluster1' is the external cluster (spec.external.cluster)"),
                row("the external cluster as the config cluster", with("{name: cluster2}", "{name: cluster1}"),
                        "spec.remoteClusters[0].name", "is the external cluster"),
                // the rest of the shape
                row("a remote named twice", with("{name: cluster3,", "{name: cluster2,"), "spec.remoteClusters[1].name",
                        "is also spec.remoteClusters[0]"),
                row("no remote cluster", with("[{name: cluster2}, {name: cluster3, network: network2}]", "[]"),
                        "spec.remoteClusters", "at least one remote cluster"),
                row("a remote cluster that is no name", with("{name: cluster2}", "{name: Cluster_2}"),
                        "spec.remoteClusters[0].name", "'Cluster_2' is not a cluster name"),
                row("no external cluster", with("cluster: cluster1, ", ""), "spec.external.cluster", "is required"),
                row("an external namespace that is no namespace",
                        with("cluster: cluster1,", "cluster: cluster1, namespace: External_Istiod,"),
                        "spec.external.namespace", "not a valid namespace name"),
                row("no TLS secret", with(", tlsSecretName: istiod-tls", ""), "spec.external.tlsSecretName",
                        "is required"),
                row("no mesh ID", with("meshID: mesh1\n", ""), "spec.meshID", "is required"),
                row("a version that is none", GUIDE + "version: latest\n", "spec.version",
                        "'latest' is not an Istio patch version"),
                row("configCluster a string", with("{name: cluster2}", "{name: cluster2, configCluster: 'yes'}"),
                        "spec.remoteClusters[0].configCluster", "must be true or false"),
                row("istioOperatorSpec sets the CA address",
                        GUIDE + "istioOperatorSpec: {values: {global: {caAddress: 'other:15012'}}}\n",
                        "spec.istioOperatorSpec.values.global.caAddress", "is set by Meshfleet from spec.external.address"),
                row("istioOperatorSpec sets CLUSTER_ID",
                        GUIDE + "istioOperatorSpec: {values: {pilot: {env: {CLUSTER_ID: cluster3}}}}\n",
                        "spec.istioOperatorSpec.values.pilot.env.CLUSTER_ID", "the config cluster"),
                row("istioOperatorSpec sets the discovery address",
                        GUIDE + "istioOperatorSpec: {meshConfig: {defaultConfig: {discoveryAddress: 'x:15012'}}}\n",
                        "spec.istioOperatorSpec.meshConfig.defaultConfig.discoveryAddress", "spec.external.address"),
                row("istioOperatorSpec sets the tag", GUIDE + "istioOperatorSpec: {tag: 1.24.3}\n",
                        "spec.istioOperatorSpec.tag", "is set by Meshfleet from spec.tag"),
                row("istioOperatorSpec adds a gateway",
                        GUIDE + "istioOperatorSpec: {components: {ingressGateways: [{name: x}]}}\n",
                        "spec.istioOperatorSpec.components.ingressGateways", "is not taken by an ExternalControlPlane"),
                row("istioOperatorSpec with a misspelt pilot k8s field",
                        GUIDE + "istioOperatorSpec: {components: {pilot: {k8s: {replicas: 2}}}}\n",
                        "spec.istioOperatorSpec.components.pilot.k8s.replicas",
                        "is not a field of the IstioOperator k8s settings"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRuleNamesItsField(String name, String yaml, String field, String says) throws Exception {
        List<Problem> problems = problems(yaml);
        if (field == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).extracting(Problem::path).containsExactly(field);
            assertThat(problems.get(0).message()).contains(says);
        }
    }

    @Test
    void theConfigClusterIsTheOneMarkedElseTheFirst() throws Exception {
        List<Problem> none = new ArrayList<>();
        EcpSpec guide = EcpSpec.read(YAML.readTree(GUIDE), none);
        assertThat(EcpValidator.configCluster(guide.remoteClusters()).name()).isEqualTo("cluster2");
        EcpSpec second = EcpSpec.read(YAML.readTree(with("{name: cluster3,", "{name: cluster3, configCluster: true,")),
                none);
        assertThat(EcpValidator.configCluster(second.remoteClusters()).name()).isEqualTo("cluster3");
        assertThat(none).isEmpty();
    }

    @Test
    void theNamespaceDefaultsToExternalIstiod() throws Exception {
        List<Problem> none = new ArrayList<>();
        JsonNode spec = YAML.readTree(GUIDE);
        assertThat(EcpSpec.read(spec, none).externalNamespace()).isEqualTo("external-istiod");
        assertThat(none).isEmpty();
    }
}
