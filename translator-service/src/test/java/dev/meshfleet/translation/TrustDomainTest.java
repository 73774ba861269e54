package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ADR 0004 (amended, issue 9): which trust domain a cluster's istiod gets; golden `ilm-trust-domain` end to end. */
class TrustDomainTest {

    @ParameterizedTest(name = "cluster {0}, clusters[].trustDomain ''{1}'', meshConfig.trustDomain ''{2}'' -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            cluster1 | -              | -            | cluster1
            cluster1 | -              | mesh.example | mesh.example
            cluster2 | corp.example   | -            | corp.example
            cluster2 | corp.example   | mesh.example | corp.example
            cluster3 | ''             | mesh.example | mesh.example
            cluster3 | ''             | ''           | cluster3
            """)
    void anExplicitTrustDomainIsKeptAndTheClusterNameIsOnlyTheDefault(String cluster, String perCluster, String inSpec,
            String expected) {
        ObjectNode entry = Json.object().put("name", cluster);
        if (perCluster != null) {
            entry.put("trustDomain", perCluster);
        }
        ObjectNode meshConfig = Json.object();
        if (inSpec != null) {
            meshConfig.put("trustDomain", inSpec);
        }
        assertThat(ControlPlanePlans.trustDomain(new Translator.ClusterEntry(0, cluster, entry), meshConfig))
                .isEqualTo(expected);
    }
}
