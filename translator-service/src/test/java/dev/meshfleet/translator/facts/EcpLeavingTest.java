package dev.meshfleet.translator.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.meshfleet.translation.EcpFacts.Leaving;

/** Which remote clusters a spec change leaves leaving (ADR 0031, "Removal in order"); cases from the rule itself. */
class EcpLeavingTest {
    static final YAMLMapper YAML = new YAMLMapper();

    static JsonNode spec(String remotes) throws Exception {
        return YAML.readTree("external: {cluster: cluster1, address: istiod.example.com, tlsSecretName: t}\n"
                + "meshID: mesh1\nremoteClusters: " + remotes);
    }

    @Test
    void aDroppedRemoteIsLeavingWithItsApiServerAddressAndTheOthersAreNot() throws Exception {
        assertThat(EcpLeaving.after(List.of(),
                spec("[{name: cluster2, configCluster: true}, {name: cluster3, apiServerAddress: 'https://c3:6443'},"
                        + " {name: cluster4}]"),
                spec("[{name: cluster2, configCluster: true}, {name: cluster4}]")))
                .containsExactly(new Leaving("cluster3", "https://c3:6443"));
    }

    @Test
    void theConfigClusterIsNotHeldForItsSuccessorTakesTheSecretName() throws Exception {
        assertThat(EcpLeaving.after(List.of(), spec("[{name: cluster2}, {name: cluster3}]"),
                spec("[{name: cluster3}]"))).isEmpty();
    }

    @Test
    void aLeavingRemoteStaysUntilReportedUninstalledOrBackInTheSpec() throws Exception {
        List<Leaving> leaving = List.of(new Leaving("cluster3", ""), new Leaving("cluster4", ""));
        JsonNode same = spec("[{name: cluster2, configCluster: true}]");

        assertThat(EcpLeaving.after(leaving, same, same)).containsExactlyElementsOf(leaving);
        assertThat(EcpLeaving.after(leaving, same, spec("[{name: cluster2, configCluster: true}, {name: cluster4}]")))
                .as("added back").containsExactly(new Leaving("cluster3", ""));
        assertThat(EcpLeaving.uninstalled(leaving, "cluster3")).containsExactly(new Leaving("cluster4", ""));
        assertThat(EcpLeaving.uninstalled(leaving, "cluster9")).containsExactlyElementsOf(leaving);
    }

    @Test
    void aRemoteThatBecomesTheExternalClusterIsNotLeavingAndNothingIsWithoutAnEarlierSpec() throws Exception {
        JsonNode before = spec("[{name: cluster2, configCluster: true}, {name: cluster5}]");
        JsonNode after = YAML.readTree("external: {cluster: cluster5, address: istiod.example.com, tlsSecretName: t}\n"
                + "meshID: mesh1\nremoteClusters: [{name: cluster2, configCluster: true}]");
        assertThat(EcpLeaving.after(List.of(), before, after)).isEmpty();
        assertThat(EcpLeaving.after(List.of(), null, after)).isEmpty();
    }
}
