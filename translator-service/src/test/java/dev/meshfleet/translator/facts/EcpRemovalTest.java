package dev.meshfleet.translator.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The order a deleted ExternalControlPlane leaves its clusters (ADR 0031), and which events tell a removal done. */
class EcpRemovalTest {

    @Test
    void theRemoteClustersLeaveFirstAndTheExternalClusterOnceEachIsUninstalled() {
        EcpRemoval start = EcpRemoval.start(List.of("cluster1", "cluster2", "cluster3"), "cluster1");
        assertThat(start).isEqualTo(new EcpRemoval(List.of("cluster2", "cluster3"), "cluster1",
                List.of("cluster2", "cluster3")));

        EcpRemoval one = start.after("cluster3");
        assertThat(one).isEqualTo(new EcpRemoval(List.of(), "cluster1", List.of("cluster2")));
        assertThat(one.after("cluster3")).as("the same report again").isEqualTo(one);
        assertThat(one.after("cluster1")).as("the held cluster's own report").isEqualTo(one);
        assertThat(one.after("cluster9")).as("a cluster it never had").isEqualTo(one);

        EcpRemoval done = one.after("cluster2");
        assertThat(done).isEqualTo(new EcpRemoval(List.of("cluster1"), "", List.of()));
        assertThat(done.after("cluster2")).as("nothing held any more").isEqualTo(done);
    }

    @Test
    void withoutAKnownExternalClusterOrAnyRemoteEverythingLeavesAtOnce() {
        assertThat(EcpRemoval.start(List.of("cluster1", "cluster2"), "")).isEqualTo(
                new EcpRemoval(List.of("cluster1", "cluster2"), "", List.of()));
        assertThat(EcpRemoval.start(List.of("cluster1"), "cluster1")).as("only the external cluster has a plan")
                .isEqualTo(new EcpRemoval(List.of("cluster1"), "", List.of()));
        assertThat(EcpRemoval.start(List.of("cluster2", "cluster3"), "cluster1")).as("the external cluster has no plan")
                .isEqualTo(new EcpRemoval(List.of("cluster2", "cluster3"), "", List.of()));
        assertThat(EcpRemoval.start(List.of(), "cluster1")).isEqualTo(new EcpRemoval(List.of(), "", List.of()));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "ExternalControlPlane  | installer/installer-0 | UNINSTALLED_CONTROL_PLANE  | true",
            "ExternalControlPlane  | installer/installer-0 | UNINSTALLING_CONTROL_PLANE | false",
            "ExternalControlPlane  | installer/installer-0 | HEALTHY                    | false",
            "ExternalControlPlane  | translator            | UNINSTALLED_CONTROL_PLANE  | false",
            "IstioLifecycleManager | installer/installer-0 | UNINSTALLED_CONTROL_PLANE  | false"})
    void anUninstalledFactIsTheInstallersUninstalledOfAnExternalControlPlanesInstallation(ResourceKind kind,
            String source, String state, boolean fact) {
        assertThat(EcpUninstalled.of(EcpFactTest.event(kind, source, state, null)))
                .isEqualTo(fact ? java.util.Optional.of(new EcpUninstalled("ExternalControlPlane/gloo-mesh/mesh1", "u1",
                        "cluster1")) : java.util.Optional.empty());
    }

    @Test
    void theRemovalUnderWayIsKeptWithTheInputsAndReadBack() {
        EcpInputs inputs = new EcpInputs("u1", 2, 5, null, "istiod.example.com")
                .withRemoval(EcpRemoval.start(List.of("a", "b"), "a"));
        assertThat(EcpInputs.fromJson(inputs.toJson())).isEqualTo(inputs);
        assertThat(EcpInputs.fromJson("{\"uid\":\"u1\",\"generation\":1,\"observedAtMillis\":0,\"specJson\":null,"
                + "\"healthyAddress\":\"\"}").removal()).as("kept before removals were").isNull();
    }
}
