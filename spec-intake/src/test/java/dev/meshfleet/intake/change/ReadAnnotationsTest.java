package dev.meshfleet.intake.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.schemas.v1.ResourceKind;

/** Which annotations reach SpecChange.annotations (ADR 0046): a ServiceMeshController's peering.solo.io/ ones only. */
class ReadAnnotationsTest {

    static Stream<Arguments> table() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("peering.solo.io/data-plane-service-type", null);
        return Stream.of(
                Arguments.of("the NodePort annotation", ResourceKind.ServiceMeshController,
                        Map.of("peering.solo.io/data-plane-service-type", "nodeport"),
                        Map.of("peering.solo.io/data-plane-service-type", "nodeport")),
                Arguments.of("the user's others are left out", ResourceKind.ServiceMeshController,
                        Map.of("peering.solo.io/data-plane-service-type", "NodePort", "team.example.com/owner", "mesh",
                                "kubectl.kubernetes.io/last-applied-configuration", "{}"),
                        Map.of("peering.solo.io/data-plane-service-type", "NodePort")),
                Arguments.of("a look-alike prefix is not the prefix", ResourceKind.ServiceMeshController,
                        Map.of("peering.solo.io.example/x", "y", "solo.io/data-plane-service-type", "nodeport"),
                        Map.of()),
                Arguments.of("no annotations", ResourceKind.ServiceMeshController, Map.of(), Map.of()),
                Arguments.of("metadata.annotations absent", ResourceKind.ServiceMeshController, null, Map.of()),
                Arguments.of("an annotation without value", ResourceKind.ServiceMeshController, withNull,
                        Map.of("peering.solo.io/data-plane-service-type", "")),
                Arguments.of("an ILM acts on none", ResourceKind.IstioLifecycleManager,
                        Map.of("peering.solo.io/data-plane-service-type", "nodeport"), Map.of()),
                Arguments.of("a GLM acts on none", ResourceKind.GatewayLifecycleManager,
                        Map.of("peering.solo.io/data-plane-service-type", "nodeport"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void onlyAControllersPeeringAnnotationsAreRead(String row, ResourceKind kind, Map<String, String> annotations,
            Map<String, String> read) {
        assertThat(ReadAnnotations.of(kind, annotations)).isEqualTo(read);
    }
}
