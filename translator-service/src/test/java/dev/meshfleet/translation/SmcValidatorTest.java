package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.translation.SmcSpec.DataplaneMode;
import dev.meshfleet.translation.SmcSpec.Distribution;
import dev.meshfleet.translation.SmcSpec.OnConflict;
import dev.meshfleet.translation.SmcSpec.Problem;
import dev.meshfleet.translation.SmcSpec.TrafficCaptureMode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cross-field rules of seed 003, one row each: the spec's fields and the field named, or none when accepted. */
class SmcValidatorTest {

    static SmcSpec spec(String cluster, DataplaneMode mode, TrafficCaptureMode capture, Distribution distribution,
            String version, String namespace) {
        return new SmcSpec(cluster, "", mode, distribution, "", List.of(), namespace, OnConflict.Abort, List.of(), false,
                ScalingProfile.Default, capture, "", version);
    }

    static Arguments row(String cluster, DataplaneMode mode, TrafficCaptureMode capture, Distribution distribution,
            String version, String field, String says) {
        return Arguments.of(cluster, mode, capture, distribution, version, "istio-system", field, says);
    }

    static Stream<Arguments> rows() {
        var A = DataplaneMode.Ambient;
        var S = DataplaneMode.Sidecar;
        var auto = TrafficCaptureMode.Auto;
        var init = TrafficCaptureMode.InitContainer;
        var std = Distribution.Standard;
        var fips = Distribution.FIPS;
        return Stream.of(
                // accepted
                row("cluster1", A, auto, std, "1.28.1-patch0", null, null),
                row("cluster1", S, init, std, "1.28.1-patch0", null, null),
                row("cluster1", S, auto, std, "1.24.3-solo", null, null),
                row("cluster1", A, auto, std, "1.24.3", null, null),
                row("cluster1", A, auto, fips, "1.26.1-patch0", null, null),
                row("cluster1", A, auto, fips, "1.26.2", null, null),
                row("cluster1", A, auto, fips, "1.25.3-patch1", null, null),
                row("cluster1", A, auto, std, "1.26.0", null, null),
                row("cluster1", A, auto, std, "1.26.1", null, null),
                // InitContainer only with Sidecar
                row("cluster1", A, init, std, "1.28.1-patch0", "spec.trafficCaptureMode",
                        "InitContainer can only be used with dataplaneMode Sidecar, and dataplaneMode is Ambient"),
                // multicluster minimum 1.24.3-solo
                row("cluster1", A, auto, std, "1.24.2-solo", "spec.version", "multicluster needs the Solo distribution of"
                        + " Istio 1.24.3 or later (1.24.3-solo), got '1.24.2-solo'"),
                row("cluster1", S, auto, std, "1.23.6", "spec.version", "got '1.23.6'"),
                row("cluster1", S, auto, std, "0.99.9", "spec.version", "got '0.99.9'"),
                // no FIPS images for 1.26.0 and 1.26.1
                row("cluster1", A, auto, fips, "1.26.0", "spec.version", "Istio 1.26.0 has no FIPS images"),
                row("cluster1", A, auto, fips, "1.26.0-patch0", "spec.version", "Istio 1.26.0-patch0 has no FIPS images"),
                row("cluster1", A, auto, fips, "1.26.1", "spec.version", "Istio 1.26.1 has no FIPS images"),
                row("cluster1", A, auto, fips, "1.26.1-solo", "spec.version", "use 1.26.1-patch0 or later, or distribution"
                        + " Standard"),
                // required and well-formed
                row("", A, auto, std, "1.28.1-patch0", "spec.cluster", "is required"),
                row("Cluster_1", A, auto, std, "1.28.1-patch0", "spec.cluster", "'Cluster_1' is not a cluster name"),
                row("cluster1", A, auto, std, "", "spec.version", "is required"),
                row("cluster1", A, auto, std, "latest", "spec.version", "'latest' is not an Istio patch version"),
                row("cluster1", A, auto, std, "1.28", "spec.version", "'1.28' is not an Istio patch version"));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} -> {6}")
    @MethodSource("rows")
    void eachRuleNamesItsField(String cluster, DataplaneMode mode, TrafficCaptureMode capture, Distribution distribution,
            String version, String namespace, String field, String says) {
        List<Problem> problems = SmcValidator.validate(spec(cluster, mode, capture, distribution, version, namespace));
        if (field == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).path()).isEqualTo(field);
            assertThat(problems.get(0).message()).contains(says);
        }
    }

    @ParameterizedTest(name = "installNamespace {0}")
    @MethodSource("badNamespaces")
    void anInstallNamespaceThatIsNoNamespaceNameIsRefused(String namespace) {
        List<Problem> problems = SmcValidator.validate(spec("cluster1", DataplaneMode.Ambient, TrafficCaptureMode.Auto,
                Distribution.Standard, "1.28.1-patch0", namespace));
        assertThat(problems).extracting(Problem::path).containsExactly("spec.installNamespace");
    }

    static Stream<String> badNamespaces() {
        return Stream.of("Istio-System", "istio_system", "-istio", "a".repeat(64));
    }
}
