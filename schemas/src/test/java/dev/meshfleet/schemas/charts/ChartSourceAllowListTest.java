package dev.meshfleet.schemas.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.schemas.charts.ChartSourceAllowList.Allowed;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Refused;

class ChartSourceAllowListTest {
    private static final ChartSourceAllowList LIST = ChartSourceAllowList.of("meshfleet.test.allowed-chart-sources",
            List.of("https://charts.example.com/istio", "oci://registry.example/istio-charts/", "/opt/charts",
                    "http://127.0.0.1:8080/repo"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://charts.example.com/istio                        | allowed
            https://charts.example.com/istio/                       | allowed
            https://charts.example.com/istio/1.24                   | allowed
            HTTPS://Charts.Example.COM/istio                        | allowed
            https://charts.example.com./istio                       | allowed
            https://charts.example.com:443/istio                    | allowed
            https://charts.example.com//istio//sub                  | allowed
            https://charts.example.com/istio/./sub                  | allowed
            https://charts.example.com/istio/sub/../other           | allowed
            https://charts.example.com.evil.io/istio                | not on the allow-list
            https://evil.io/charts.example.com/istio                | not on the allow-list
            https://charts.example.com/istio-evil                   | not on the allow-list
            https://charts.example.com/istio/../evil                | not on the allow-list
            https://charts.example.com/istio/%2e%2e/evil            | not on the allow-list
            https://charts.example.com/istio%2F..%2Fevil            | encoded slash
            https://charts.example.com/../istio                     | climbs above the root
            http://charts.example.com/istio                         | not on the allow-list
            https://charts.example.com:8443/istio                   | not on the allow-list
            https://charts.example.com/                             | not on the allow-list
            https://user@charts.example.com/istio                   | must not carry credentials
            https://user:s3cret@charts.example.com/istio            | must not carry credentials
            https://charts.example.com@evil.io/istio                | must not carry credentials
            https://charts.example.com/istio?x=1                    | query or fragment
            https://charts.example.com/istio#frag                   | query or fragment
            oci://registry.example/istio-charts                     | allowed
            oci://registry.example/istio-charts/istiod              | allowed
            oci://registry.example/istio                            | not on the allow-list
            /opt/charts                                             | allowed
            /opt/charts/sub                                         | allowed
            file:///opt/charts                                      | allowed
            file://localhost/opt/charts/                            | allowed
            /opt/charts/../etc                                      | not on the allow-list
            /opt/chartsfoo                                          | not on the allow-list
            file://evil.io/opt/charts                               | names a remote host
            opt/charts                                              | relative path
            ftp://charts.example.com/istio                          | unsupported scheme
            http://127.0.0.1:8080/repo                              | allowed
            http://127.0.0.1:8081/repo                              | not on the allow-list
            http://127.0.0.1/repo                                   | not on the allow-list
            """)
    void aSourceIsAllowedOnlyWithinAPrefixAfterNormalisation(String source, String expected) {
        ChartSourceAllowList.Parsed verdict = LIST.check(source);
        if (expected.equals("allowed")) {
            assertThat(verdict).isInstanceOf(Allowed.class);
        } else {
            assertThat(verdict).isInstanceOf(Refused.class);
            assertThat(((Refused) verdict).why()).contains(expected);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTPS://Charts.Example.COM./a/./b/../c/     | https://charts.example.com/a/c
            http://h                                    | http://h/
            oci://r.example/x                           | oci://r.example/x
            file:///opt//charts/                        | /opt/charts
            /opt/charts/./x/..                          | /opt/charts
            https://h/a%20b                             | https://h/a%20b
            https://h:8443/a                            | https://h:8443/a
            """)
    void theNormalisedUrlIsWhatIsFetched(String source, String url) {
        assertThat(((Allowed) ChartSourceAllowList.parse(source)).location().url()).isEqualTo(url);
    }

    @org.junit.jupiter.api.Test
    void aRefusalNamesTheSettingAndTheAllowedPrefixesButNeverTheCredential() {
        Refused off = (Refused) LIST.check("https://other.example/istio");
        assertThat(off.why()).contains("meshfleet.test.allowed-chart-sources")
                .contains("https://charts.example.com/istio");
        Refused secret = (Refused) LIST.check("https://user:s3cret@charts.example.com/istio");
        assertThat(secret.why()).doesNotContain("s3cret");
    }

    @org.junit.jupiter.api.Test
    void anEmptyListAllowsNothingAndABadPrefixIsAStartupError() {
        ChartSourceAllowList empty = ChartSourceAllowList.of("s", List.of("", " "));
        assertThat(empty.check("/opt/charts")).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> ChartSourceAllowList.of("s", List.of("charts")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s: 'charts'");
    }
}
