package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules of seed 004 a user relies on, each checked against the guide's own values (the expected strings are the
 * guide's, written out; not computed by the translator): webhook URLs, the external istiod's settings, the gateway's
 * ports, the order by facts, and which clusters a change re-plans.
 */
class EcpTranslatorTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final EcpTranslator TRANSLATOR = new EcpTranslator(TranslatorSettings.defaults());

    static EcpTranslation translate(String yaml, EcpFacts facts) throws Exception {
        return TRANSLATOR.translate("gloo-mesh", "mesh1", 1, YAML.readTree(yaml), facts);
    }

    static EcpTranslation guide(EcpFacts facts) throws Exception {
        return translate(EcpValidatorTest.GUIDE, facts);
    }

    static JsonNode values(EcpTranslation t, String cluster, String release) {
        Plan plan = t.plansByCluster().get(cluster).get(0);
        return Canonical.parse(plan.charts().stream().filter(c -> c.releaseName().equals(release)).findFirst()
                .orElseThrow(() -> new AssertionError(release + " not in " + plan.charts())).valuesJson());
    }

    static Map<String, String> hashes(EcpTranslation t) {
        Map<String, String> out = new TreeMap<>();
        t.plansByCluster().forEach((cluster, plans) -> out.put(cluster, plans.get(0).planHash()));
        return out;
    }

    @Test
    void eachRemoteClustersInjectionWebhookCallsTheExternalIstiodWithItsClusterAndNetwork() throws Exception {
        EcpTranslation t = guide(EcpFacts.SETTLED);
        assertThat(values(t, "cluster2", "istiod").at("/istiodRemote/injectionURL").asText())
                .isEqualTo("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster2:ENV:net=network1");
        assertThat(values(t, "cluster3", "istiod").at("/istiodRemote/injectionURL").asText())
                .isEqualTo("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster3:ENV:net=network2");
        assertThat(values(t, "cluster2", "istio-base").at("/base/validationURL").asText())
                .isEqualTo("https://istiod.mesh1.example.com:15017/validate");
    }

    @Test
    void onlyTheConfigClusterGetsTheCrdsAndTheMeshConfigMap() throws Exception {
        EcpTranslation t = guide(EcpFacts.SETTLED);
        assertThat(t.roles()).containsExactlyEntriesOf(new TreeMap<>(Map.of("cluster1", EcpTranslation.Role.external,
                "cluster2", EcpTranslation.Role.config, "cluster3", EcpTranslation.Role.remote)));
        assertThat(t.plansByCluster().get("cluster2").get(0).charts()).extracting(ChartRelease::chart)
                .containsExactly("base", "remote-reader", "istiod");
        assertThat(values(t, "cluster2", "istiod").at("/pilot/configMap").asBoolean()).isTrue();
        assertThat(values(t, "cluster2", "istiod").at("/global/configCluster").asBoolean()).isTrue();
        assertThat(t.plansByCluster().get("cluster3").get(0).charts()).extracting(ChartRelease::chart)
                .containsExactly("remote-reader", "istiod");
        assertThat(values(t, "cluster3", "istiod").at("/pilot/configMap").asBoolean()).isFalse();
        assertThat(values(t, "cluster3", "istiod").at("/global/configCluster").asBoolean()).isFalse();
    }

    @Test
    void theExternalIstiodRunsWithTheGuidesSettings() throws Exception {
        JsonNode v = values(guide(EcpFacts.SETTLED), "cluster1", "external-istiod");
        assertThat(v.at("/pilot/env")).isEqualTo(YAML.readTree("{INJECTION_WEBHOOK_CONFIG_NAME: '',"
                + " VALIDATION_WEBHOOK_CONFIG_NAME: '', EXTERNAL_ISTIOD: 'true', SHARED_MESH_CONFIG: istio}"));
        assertThat(v.at("/global/multiCluster/clusterName").asText()).as("CLUSTER_ID").isEqualTo("cluster2");
        assertThat(v.at("/global/caAddress").asText()).isEqualTo("istiod.mesh1.example.com:15012");
        assertThat(v.at("/global/istioNamespace").asText()).isEqualTo("external-istiod");
        assertThat(v.at("/global/operatorManageWebhooks").asBoolean()).isTrue();
        assertThat(v.at("/global/meshID").asText()).isEqualTo("mesh1");
        assertThat(v.at("/meshConfig/rootNamespace").asText()).isEqualTo("external-istiod");
        assertThat(v.at("/meshConfig/defaultConfig/discoveryAddress").asText()).isEqualTo("istiod.mesh1.example.com:15012");
        assertThat(v.at("/meshConfig/defaultConfig/proxyMetadata")).isEqualTo(YAML.readTree(
                "{XDS_ROOT_CA: /etc/ssl/certs/ca-certificates.crt, CA_ROOT_CA: /etc/ssl/certs/ca-certificates.crt}"));
        assertThat(v.at("/pilot/volumes")).isEqualTo(YAML.readTree("[{name: config-volume, configMap: {name: istio}},"
                + " {name: inject-volume, configMap: {name: istio-sidecar-injector}}]"));
        assertThat(v.at("/pilot/volumeMounts")).isEqualTo(YAML.readTree("[{name: config-volume, mountPath:"
                + " /etc/istio/config}, {name: inject-volume, mountPath: /var/lib/istio/inject}]"));
    }

    @Test
    void theIngressGatewayExposesStatusXdsAndWebhookPortsAndTheRoutingNamesTheAddressAndSecret() throws Exception {
        EcpTranslation t = guide(EcpFacts.SETTLED);
        JsonNode gw = values(t, "cluster1", "istio-ingressgateway");
        assertThat(gw.at("/service/ports")).isEqualTo(YAML.readTree("[{name: status-port, port: 15021, targetPort: 15021},"
                + " {name: tls-xds, port: 15012, targetPort: 15012}, {name: tls-webhook, port: 15017, targetPort: 15017}]"));
        JsonNode routing = values(t, "cluster1", "external-istiod-gateway");
        assertThat(routing.get("address").asText()).isEqualTo("istiod.mesh1.example.com");
        assertThat(routing.get("tlsSecretName").asText()).isEqualTo("istiod-tls");
        assertThat(routing.get("serviceAccount").asText()).isEqualTo("istiod-service-account");
        assertThat(t.plansByCluster().get("cluster1").get(0).charts())
                .extracting(c -> c.chart() + " " + c.releaseName() + " " + c.namespace()).containsExactly(
                        "base istio-base istio-system", "istiod istiod istio-system",
                        "gateway istio-ingressgateway istio-system", "remote-secrets remote-secrets external-istiod",
                        "istiod external-istiod external-istiod",
                        "external-istiod-gateway external-istiod-gateway external-istiod");
    }

    @Test
    void noRemoteClusterGetsAWebhookBeforeTheExternalIstiodIsHealthy() throws Exception {
        EcpTranslation before = guide(EcpFacts.NONE);
        EcpTranslation after = guide(EcpFacts.SETTLED);
        for (String remote : List.of("cluster2", "cluster3")) {
            assertThat(values(before, remote, "istiod").at("/global/operatorManageWebhooks").asBoolean()).as(remote).isTrue();
            assertThat(values(after, remote, "istiod").at("/global/operatorManageWebhooks").asBoolean()).as(remote).isFalse();
        }
        assertThat(values(before, "cluster2", "istio-base").get("defaultRevision").asText()).isEmpty();
        assertThat(values(after, "cluster2", "istio-base").get("defaultRevision").asText()).isEqualTo("default");
        // The external cluster does not depend on the fact: its plan is the same before and after.
        assertThat(hashes(before).get("cluster1")).isEqualTo(hashes(after).get("cluster1"));
    }

    @Test
    void addingARemoteClusterReplansOnlyThatClusterAndTheExternalCluster() throws Exception {
        Map<String, String> two = hashes(guide(EcpFacts.SETTLED));
        Map<String, String> three = hashes(translate(EcpValidatorTest.GUIDE.replace("{name: cluster3, network: network2}]",
                "{name: cluster3, network: network2}, {name: cluster4}]"), EcpFacts.SETTLED));
        assertThat(three).containsKey("cluster4");
        assertThat(three.get("cluster2")).isEqualTo(two.get("cluster2"));
        assertThat(three.get("cluster3")).isEqualTo(two.get("cluster3"));
        assertThat(three.get("cluster1")).isNotEqualTo(two.get("cluster1"));
    }

    @Test
    void changingTheAddressReplansEveryClustersWebhooks() throws Exception {
        Map<String, String> before = hashes(guide(EcpFacts.SETTLED));
        EcpTranslation moved = translate(EcpValidatorTest.GUIDE.replace("istiod.mesh1.example.com", "cp.example.net"),
                EcpFacts.SETTLED);
        Map<String, String> after = hashes(moved);
        for (String cluster : List.of("cluster1", "cluster2", "cluster3")) {
            assertThat(after.get(cluster)).as(cluster).isNotEqualTo(before.get(cluster));
        }
        assertThat(values(moved, "cluster3", "istiod").at("/istiodRemote/injectionURL").asText())
                .startsWith("https://cp.example.net:15017/inject/");
    }

    @Test
    void theExternalClusterHoldsAConfigSecretForTheConfigClusterAndARemoteSecretForEachOther() throws Exception {
        assertThat(guide(EcpFacts.SETTLED).remoteSecrets())
                .extracting(s -> s.cluster() + " " + s.type() + " " + s.namespace() + "/" + s.secretName())
                .containsExactly("cluster2 config external-istiod/istio-kubeconfig",
                        "cluster3 remote external-istiod/istio-remote-secret-cluster3");
    }

    @Test
    void aRefusedSpecPlansNoClusterAndNamesEachField() throws Exception {
        EcpTranslation t = translate(EcpValidatorTest.GUIDE.replace("[{name: cluster2}", "[{name: cluster2,"
                + " configCluster: true}").replace("{name: cluster3,", "{name: cluster3, configCluster: true,"),
                EcpFacts.SETTLED);
        assertThat(t.ok()).isFalse();
        assertThat(t.plansByCluster()).isEmpty();
        assertThat(t.remoteSecrets()).isEmpty();
        assertThat(t.errors()).extracting(e -> e.cluster() + " " + e.path())
                .containsExactly("* spec.remoteClusters[1].configCluster");
    }
}
