package dev.meshfleet.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartSourcesTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://charts.example/istio", "http://10.0.0.1:8080/charts", "oci://registry.example/istio-charts",
            "/opt/meshfleet/charts", "file:///opt/meshfleet/charts"})
    void aHelmRepositoryAnOciReferenceOrAnAbsoluteDirectoryIsAChartSource(String source) {
        assertThat(ChartSources.check(source)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"charts/istio", "ftp://charts.example/istio", "oci://", "oci://registry.example", "https:///charts",
            "file:charts", "http://bad host/"})
    void anythingElseIsRefusedSayingWhatToUseInstead(String source) {
        assertThat(ChartSources.check(source)).startsWith("'" + source + "'").contains("oci://", "https://");
    }
}
