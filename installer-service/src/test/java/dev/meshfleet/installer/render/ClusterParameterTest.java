package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterParameterTest {
    private static final String T = ClusterParameter.TOKEN;

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // cluster | values                                                   | shared shape (NONE: not a parameter)
            "cluster1  | {\"meshConfig\":{\"trustDomain\":\"cluster1\"}}          | {\"meshConfig\":{\"trustDomain\":\"" + T + "\"}}",
            "cluster1  | {\"a\":[\"cluster1\",\"x\"],\"b\":\"cluster1\"}           | {\"a\":[\"" + T + "\",\"x\"],\"b\":\"" + T + "\"}",
            "cluster1  | {\"meshConfig\":{\"trustDomain\":\"cluster10\"}}         | NONE",
            "cluster1  | {\"meshConfig\":{\"trustDomain\":\"cluster1.local\"}}    | NONE",
            "cluster1  | {\"global\":{\"hub\":\"docker.io/istio\"}}                | NONE",
            "cluster1  | {\"cluster1\":true}                                        | NONE",
            "true      | {\"meshConfig\":{\"trustDomain\":\"true\"}}              | NONE",
            "no        | {\"meshConfig\":{\"trustDomain\":\"no\"}}                | NONE",
            "123       | {\"meshConfig\":{\"trustDomain\":\"123\"}}               | NONE",
            "Cluster1  | {\"meshConfig\":{\"trustDomain\":\"Cluster1\"}}          | NONE",
            "east-1    | {\"meshConfig\":{\"trustDomain\":\"east-1\"}}            | {\"meshConfig\":{\"trustDomain\":\"" + T + "\"}}",
            "cluster1  | {}                                                         | NONE",
    })
    void theClustersNameBecomesAParameterOnlyWhereItIsAWholeStringThatStaysAString(String cluster, String values,
            String shape) {
        assertThat(ClusterParameter.of(values, cluster).map(ClusterParameter::valuesJson).orElse(null))
                .isEqualTo(shape);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cluster7 | trustDomain: " + T + "\\nname: x-" + T + " | trustDomain: cluster7\\nname: x-cluster7",
            "east-1   | id: \"" + T + "\"                            | id: \"east-1\"",
    })
    void theSharedManifestsBecomeTheClustersOwn(String cluster, String shared, String own) {
        ClusterParameter p = ClusterParameter.of("{\"t\":\"" + cluster + "\"}", cluster).orElseThrow();
        assertThat(p.substitute(shared.replace("\\n", "\n"))).isEqualTo(own.replace("\\n", "\n"));
    }
}
