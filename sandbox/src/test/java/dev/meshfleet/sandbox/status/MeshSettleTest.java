package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The settle rule of a peered controller's links (docs/adr/0046), one row per case, read as the aggregator writes it. */
class MeshSettleTest {

    static final ResourceKind SMC = ResourceKind.ServiceMeshController;

    /**
     * A controller of cluster {@code name} in {@code namespace}, at generation 1, its status of that generation:
     * {@code phase}, and when {@code peers} is not null, {@code peers} with {@code down} as {@code cluster=Reason}.
     */
    static ResourceView smc(String namespace, String name, String phase, String peers, String... down) {
        return smc(namespace, name, false, phase, peers, down);
    }

    static ResourceView smc(String namespace, String name, boolean deleting, String phase, String peers,
            String... down) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", name, "namespace", namespace, "generation", 1));
        if (deleting) {
            metadata.put("deletionTimestamp", "2026-12-01T00:00:00Z");
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", 1);
        status.put("phase", phase);
        if (peers != null) {
            status.put("peers", peers);
        }
        if (down.length > 0) {
            List<Map<String, Object>> links = new ArrayList<>();
            for (String d : down) {
                links.add(Map.of("cluster", d.substring(0, d.indexOf('=')), "reason", d.substring(d.indexOf('=') + 1)));
            }
            status.put("peering", Map.of("down", links));
        }
        return ResourceView.of(SMC, metadata, Map.of("cluster", name), status);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("three peered controllers, every link up",
                        List.of(smc("m", "c1", "SUCCEEDED", "2/2"), smc("m", "c2", "SUCCEEDED", "2/2"),
                                smc("m", "c3", "SUCCEEDED", "2/2")),
                        "c1", null),
                Arguments.of("a fourth SUCCEEDED controller joined: the others' plans have not caught up",
                        List.of(smc("m", "c1", "SUCCEEDED", "2/2"), smc("m", "c2", "SUCCEEDED", "2/2"),
                                smc("m", "c3", "SUCCEEDED", "2/2"), smc("m", "c4", "SUCCEEDED", "3/3")),
                        "c1", "(peers 2/2: 3 other controllers of m are SUCCEEDED)"),
                Arguments.of("the fourth, SUCCEEDED with its first plan (no peer yet)",
                        List.of(smc("m", "c1", "SUCCEEDED", "3/3"), smc("m", "c2", "SUCCEEDED", "3/3"),
                                smc("m", "c3", "SUCCEEDED", "3/3"), smc("m", "c4", "SUCCEEDED", "0/0")),
                        "c4", "(peers 0/0: 3 other controllers of m are SUCCEEDED)"),
                Arguments.of("the fourth still installing is no peer to wait for: its phase holds the step",
                        List.of(smc("m", "c1", "SUCCEEDED", "2/2"), smc("m", "c2", "SUCCEEDED", "2/2"),
                                smc("m", "c3", "SUCCEEDED", "2/2"), smc("m", "c4", "INSTALLING", null)),
                        "c1", null),
                Arguments.of("a new link not reported on by Istio yet is Pending",
                        List.of(smc("m", "c1", "SUCCEEDED", "2/3", "c4=Pending"), smc("m", "c2", "SUCCEEDED", "3/3"),
                                smc("m", "c3", "SUCCEEDED", "3/3"), smc("m", "c4", "SUCCEEDED", "3/3")),
                        "c1", "(peers 2/3, pending: c4)"),
                Arguments.of("a link down for a reason that does not change by itself is settled",
                        List.of(smc("m", "c1", "SUCCEEDED", "1/2", "c2=AddressMismatch"),
                                smc("m", "c2", "SUCCEEDED", "2/2"), smc("m", "c3", "SUCCEEDED", "2/2")),
                        "c1", null),
                Arguments.of("a deleted controller gone, its remote peer not pruned yet",
                        List.of(smc("m", "c1", "SUCCEEDED", "3/3"), smc("m", "c2", "SUCCEEDED", "2/2"),
                                smc("m", "c3", "SUCCEEDED", "2/2"), ResourceView.gone(new ResourceRef(SMC, "m", "c4"))),
                        "c1", "(peers 3/3: 2 other controllers of m remain)"),
                Arguments.of("a controller being deleted may still be a peer",
                        List.of(smc("m", "c1", "SUCCEEDED", "3/3"), smc("m", "c2", "SUCCEEDED", "3/3"),
                                smc("m", "c3", "SUCCEEDED", "3/3"), smc("m", "c4", true, "UNINSTALLING", null)),
                        "c1", null),
                Arguments.of("nor must it be one any more",
                        List.of(smc("m", "c1", "SUCCEEDED", "2/2"), smc("m", "c2", "SUCCEEDED", "3/3"),
                                smc("m", "c3", "SUCCEEDED", "2/2"), smc("m", "c4", true, "SUCCEEDED", "3/3")),
                        "c1", null),
                Arguments.of("a controller that is not SUCCEEDED is left to its phase (an unreachable cluster's stale"
                                + " peers cannot hold the step)",
                        List.of(smc("m", "c1", "UNKNOWN", "3/3", "c4=Pending"), smc("m", "c2", "SUCCEEDED", "2/2"),
                                smc("m", "c3", "SUCCEEDED", "2/2")),
                        "c1", null),
                Arguments.of("a FAILED peer is not waited for",
                        List.of(smc("m", "c1", "SUCCEEDED", "1/1"), smc("m", "c2", "SUCCEEDED", "1/1"),
                                smc("m", "c3", "FAILED", "0/2", "c1=Pending", "c2=Pending")),
                        "c1", null),
                Arguments.of("controllers of another namespace are another mesh",
                        List.of(smc("m", "c1", "SUCCEEDED", "1/1"), smc("m", "c2", "SUCCEEDED", "1/1"),
                                smc("other", "c3", "SUCCEEDED", "0/0"), smc("other", "c4", "SUCCEEDED", "0/0")),
                        "c1", null),
                Arguments.of("a controller that is not peered has no links to wait for",
                        List.of(smc("m", "c1", "SUCCEEDED", null), smc("m", "c2", "SUCCEEDED", "0/0")),
                        "c1", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aPeeredControllerSettlesOnceItsLinksFollowedItsMesh(String why, List<ResourceView> views, String controller,
            String moving) {
        ResourceView v = views.stream().filter(x -> x.ref().name().equals(controller)).findFirst().orElseThrow();
        assertThat(MeshSettle.whyPeersMoving(v, views)).isEqualTo(moving);
    }

    @org.junit.jupiter.api.Test
    void aStepIsNotDoneWhileAPeerIsBelowWhatItsMeshWillReach() {
        List<ResourceView> views = List.of(smc("m", "c1", "SUCCEEDED", "2/2"), smc("m", "c2", "SUCCEEDED", "2/2"),
                smc("m", "c3", "SUCCEEDED", "2/2"), smc("m", "c4", "SUCCEEDED", "3/3"));

        Settle.Progress p = Settle.evaluate(views);

        assertThat(p.done()).isFalse();
        assertThat(p.settled()).isEqualTo(1);
        assertThat(p.moving()).containsExactly(
                "smc/m/c1 (peers 2/2: 3 other controllers of m are SUCCEEDED)",
                "smc/m/c2 (peers 2/2: 3 other controllers of m are SUCCEEDED)",
                "smc/m/c3 (peers 2/2: 3 other controllers of m are SUCCEEDED)");
    }
}
