package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartSourcesTest {
    private static final ChartSourceAllowList ALLOWED = ChartSourceAllowList.of("meshfleet.translator.allowed-chart-sources",
            List.of("https://charts.example", "http://10.0.0.1:8080", "oci://registry.example", "/opt/meshfleet"));

    @ParameterizedTest
    @ValueSource(strings = {"https://charts.example/istio", "http://10.0.0.1:8080/charts", "oci://registry.example/istio-charts",
            "/opt/meshfleet/charts", "file:///opt/meshfleet/charts"})
    void aHelmRepositoryAnOciReferenceOrAnAbsoluteDirectoryIsAChartSource(String source) {
        assertThat(ChartSources.check(source, ALLOWED)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"charts/istio", "ftp://charts.example/istio", "oci://", "oci://registry.example", "https:///charts",
            "file:charts", "http://bad host/"})
    void anythingElseIsRefusedSayingWhatToUseInstead(String source) {
        assertThat(ChartSources.check(source, ALLOWED)).startsWith("'" + source + "'").contains("oci://", "https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://charts.example.evil.io/istio", "http://charts.example/istio", "oci://registry.example.evil/x",
            "/opt/meshfleet-evil/charts", "file:///opt/meshfleet/../etc", "http://10.0.0.1:8081/charts"})
    void aWellFormedSourceOffTheAllowListIsRefusedNamingTheSetting(String source) {
        assertThat(ChartSources.check(source, ALLOWED)).startsWith("'" + source + "' is not on the allow-list"
                + " meshfleet.translator.allowed-chart-sources").contains("nothing is fetched");
    }
}
