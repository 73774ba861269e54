package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.v1.ResourceKind;

class SettleTest {

    static final ResourceKind ILM = ResourceKind.IstioLifecycleManager;
    static final ResourceKind GLM = ResourceKind.GatewayLifecycleManager;

    static Map<String, Object> metadata(long generation) {
        return Map.of("name", "istiod", "namespace", "gloo-mesh", "generation", generation);
    }

    static Map<String, Object> spec(String... clusters) {
        return Map.of("installations", List.of(Map.of("revision", "1-24",
                "clusters", java.util.Arrays.stream(clusters).map(c -> Map.of("name", c)).toList())));
    }

    /** status with observedGeneration and, per cluster, revision 1-24 in the given state. */
    static Map<String, Object> status(long observed, String... clusterStates) {
        Map<String, Object> clusters = new LinkedHashMap<>();
        for (int i = 0; i < clusterStates.length; i += 2) {
            clusters.put(clusterStates[i], Map.of("installations", Map.of("1-24",
                    Map.of("state", clusterStates[i + 1], "message", "", "observedRevision", "1-24"))));
        }
        return Map.of("observedGeneration", observed, "clusters", clusters);
    }

    @Test
    void aResourceWithoutStatusHasNotSettled() {
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec("cluster1"), null)));
        assertThat(p.done()).isFalse();
        assertThat(p.moving()).singleElement().asString().contains("no status yet");
    }

    @Test
    void everyInstallationHealthyForTheCurrentGenerationIsSettledAndHealthy() {
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(2), spec("cluster1", "cluster2"),
                status(2, "cluster1", "HEALTHY", "cluster2", "HEALTHY"))));
        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isTrue();
        assertThat(p.settled()).isEqualTo(1);
    }

    @Test
    void aStatusOfAnOlderGenerationHasNotSettledEvenIfHealthy() {
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(3), spec("cluster1"),
                status(2, "cluster1", "HEALTHY"))));
        assertThat(p.done()).isFalse();
        assertThat(p.moving()).singleElement().asString().contains("generation 2");
    }

    @Test
    void aClusterEntryWithoutANameSettlesOnTheWholeResourceFailureTheAggregatorWrites() {
        Map<String, Object> spec = Map.of("installations", List.of(Map.of("revision", "1-24",
                "clusters", List.of(Map.of("name", ""), Map.of("name", "cluster2")))));
        // As the aggregator writes it: one FAILED under "*" naming the field; no entry for "" or cluster2.
        Map<String, Object> status = Map.of("observedGeneration", 1, "clusters", Map.of("*", Map.of("installations",
                Map.of("1-24", Map.of("state", "FAILED", "message",
                        "spec.installations[0].clusters[0].name: is missing or empty")))));

        var before = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec, null)));
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec, status)));

        assertThat(before.done()).isFalse();
        assertThat(p.moving()).isEmpty();
        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isFalse();
    }

    @Test
    void aClusterNameIsWaitedForAsTheTranslatorReadsItTrimmed() {
        Map<String, Object> spec = Map.of("installations", List.of(Map.of("revision", "1-24",
                "clusters", List.of(Map.of("name", " cluster1 ")))));

        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec, status(1, "cluster1", "HEALTHY"))));

        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isTrue();
    }

    @Test
    void aClusterOfTheSpecMissingFromTheStatusHasNotSettled() {
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec("cluster1", "cluster2"),
                status(1, "cluster1", "HEALTHY"))));
        assertThat(p.done()).isFalse();
        assertThat(p.moving()).singleElement().asString().contains("cluster2");
    }

    @Test
    void installingIsMovingWhileFailedUnknownAndPendingHaveSettledButAreNotHealthy() {
        var installing = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec("cluster1"),
                status(1, "cluster1", "INSTALLING_CONTROL_PLANE"))));
        assertThat(installing.done()).isFalse();
        assertThat(installing.moving()).singleElement().asString().contains("cluster1/1-24:INSTALLING_CONTROL_PLANE");

        for (String state : List.of("FAILED", "UNKNOWN", "PENDING", "ACTION_REQUIRED", "UNHEALTHY")) {
            var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec("cluster1"),
                    status(1, "cluster1", state))));
            assertThat(p.done()).as(state).isTrue();
            assertThat(p.allHealthy()).as(state).isFalse();
        }
    }

    @Test
    void gatewayStatesAreReadInTheGatewayVocabulary() {
        var moving = Settle.evaluate(List.of(ResourceView.of(GLM, metadata(1), spec("cluster1"),
                status(1, "cluster1", "INSTALLING_GATEWAY"))));
        assertThat(moving.done()).isFalse();
        var waiting = Settle.evaluate(List.of(ResourceView.of(GLM, metadata(1), spec("cluster1"),
                status(1, "cluster1", "NO_CONTROL_PLANE_AVAILABLE"))));
        assertThat(waiting.done()).isTrue();
        assertThat(waiting.allHealthy()).isFalse();
    }

    @Test
    void aResourceBeingDeletedHasSettledOnlyOnceItIsGone() {
        Map<String, Object> meta = new LinkedHashMap<>(metadata(1));
        meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
        var deleting = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1"),
                status(1, "cluster1", "UNINSTALLING_CONTROL_PLANE"))));
        assertThat(deleting.done()).isFalse();
        assertThat(deleting.moving()).singleElement().asString().contains("deleting");

        var gone = Settle.evaluate(List.of(ResourceView.gone(
                new ResourceRef(ILM, "gloo-mesh", "istiod"))));
        assertThat(gone.done()).isTrue();
        assertThat(gone.allHealthy()).isTrue();
    }

    @Test
    void aDeletionBlockedByAnUnreachableClusterSettlesUnhealthyInsteadOfWaitingOutTheTimeout() {
        Map<String, Object> meta = new LinkedHashMap<>(metadata(1));
        meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
        var blocked = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1", "cluster2"),
                status(1, "cluster1", "UNINSTALLED_CONTROL_PLANE", "cluster2", "UNKNOWN"))));
        assertThat(blocked.done()).isTrue();
        assertThat(blocked.allHealthy()).isFalse();
    }

    @Test
    void aDeletionNotYetStartedOrOnlyWaitingForTheFinalizerHasNotSettled() {
        Map<String, Object> meta = new LinkedHashMap<>(metadata(1));
        meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
        var notStarted = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1", "cluster2"),
                status(1, "cluster1", "HEALTHY", "cluster2", "UNKNOWN"))));
        assertThat(notStarted.done()).isFalse();
        var allUninstalled = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1", "cluster2"),
                status(1, "cluster1", "UNINSTALLED_CONTROL_PLANE", "cluster2", "UNINSTALLED_CONTROL_PLANE"))));
        assertThat(allUninstalled.done()).isFalse();
    }

    @Test
    void aDeletionOfAResourceThatWasFailedOrActionRequiredWaitsForItsRemoval() {
        Map<String, Object> meta = new LinkedHashMap<>(metadata(2));
        meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
        var refused = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1", "cluster2"),
                status(2, "cluster1", "ACTION_REQUIRED", "cluster2", "UNINSTALLED_CONTROL_PLANE"))));
        assertThat(refused.done()).isFalse();
        assertThat(refused.moving()).singleElement().asString().contains("deleting").contains("ACTION_REQUIRED");
        var failed = Settle.evaluate(List.of(ResourceView.of(ILM, meta, spec("cluster1"),
                status(2, "cluster1", "FAILED"))));
        assertThat(failed.done()).isFalse();
    }

    @Test
    void aRevisionOrClusterTheSpecNoLongerNamesHasNotSettledWhileStillHealthyEvenIfTheStatusIsOfTheNewGeneration() {
        Map<String, Object> v125 = Map.of("installations", List.of(Map.of("revision", "1-25",
                "clusters", List.of(Map.of("name", "cluster1")))));
        Map<String, Object> status = Map.of("observedGeneration", 3L, "clusters", Map.of("cluster1",
                Map.of("installations", Map.of(
                        "1-24", Map.of("state", "HEALTHY", "message", ""),
                        "1-25", Map.of("state", "HEALTHY", "message", "")))));
        var removalPending = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(3), v125, status)));
        assertThat(removalPending.done()).isFalse();
        assertThat(removalPending.moving()).containsExactly("ilm/gloo-mesh/istiod cluster1/1-24:HEALTHY");

        Map<String, Object> removed = Map.of("observedGeneration", 3L, "clusters", Map.of("cluster1",
                Map.of("installations", Map.of(
                        "1-24", Map.of("state", "UNINSTALLED_CONTROL_PLANE", "message", ""),
                        "1-25", Map.of("state", "HEALTHY", "message", "")))));
        assertThat(Settle.evaluate(List.of(ResourceView.of(ILM, metadata(3), v125, removed))).done()).isTrue();

        var clusterDropped = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(2), spec("cluster1"),
                status(2, "cluster1", "HEALTHY", "cluster2", "HEALTHY"))));
        assertThat(clusterDropped.moving()).containsExactly("ilm/gloo-mesh/istiod cluster2/1-24:HEALTHY");

        Map<String, Object> revisionless = Map.of("installations", List.of(Map.of(
                "clusters", List.of(Map.of("name", "cluster1")))));
        assertThat(Settle.evaluate(List.of(ResourceView.of(ILM, metadata(2), revisionless,
                status(2, "cluster1", "HEALTHY")))).done()).as("no revision in the spec: its key is not ours to tell")
                .isTrue();
        Map<String, Object> auto = Map.of("installations", List.of(Map.of("revision", "auto",
                "clusters", List.of(Map.of("name", "cluster1")))));
        assertThat(Settle.evaluate(List.of(ResourceView.of(ILM, metadata(2), auto,
                status(2, "cluster1", "HEALTHY")))).done()).as("auto is resolved by the translator").isTrue();
    }

    @Test
    void oneUnhealthyResourceMakesTheOutcomeUnhealthy() {
        var p = Settle.evaluate(List.of(
                ResourceView.of(ILM, metadata(1), spec("cluster1"), status(1, "cluster1", "HEALTHY")),
                ResourceView.of(GLM, metadata(1), spec("cluster1"), status(1, "cluster1", "FAILED"))));
        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isFalse();
    }

    @Test
    void aResourceAcrossManyClustersIsOneShortProgressLineCountingByState() {
        String[] states = new String[2 * 8];
        for (int i = 0; i < 8; i++) {
            states[2 * i] = "cluster" + (i + 1);
            states[2 * i + 1] = i < 5 ? "INSTALL_PENDING" : i < 7 ? "INSTALLING_CONTROL_PLANE" : "HEALTHY";
        }
        String[] clusters = new String[8];
        for (int i = 0; i < 8; i++) {
            clusters[i] = "cluster" + (i + 1);
        }
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec(clusters), status(1, states))));

        // 7 moving (5 pending, 2 installing) of 8: counted by state, the first five named (clusters sort by name).
        assertThat(p.moving()).containsExactly("ilm/gloo-mesh/istiod 5 INSTALL_PENDING, 2 INSTALLING_CONTROL_PLANE"
                + " (cluster1/1-24:INSTALL_PENDING cluster2/1-24:INSTALL_PENDING cluster3/1-24:INSTALL_PENDING"
                + " cluster4/1-24:INSTALL_PENDING cluster5/1-24:INSTALL_PENDING and 2 more)");
    }

    @Test
    void manyClustersWithoutStatusAreCountedNotAllListed() {
        String[] clusters = new String[7];
        for (int i = 0; i < 7; i++) {
            clusters[i] = "cluster" + (i + 1);
        }
        var p = Settle.evaluate(List.of(ResourceView.of(ILM, metadata(1), spec(clusters), status(1, "cluster1",
                "HEALTHY"))));

        assertThat(p.moving()).containsExactly("ilm/gloo-mesh/istiod (no status yet for 6 clusters: cluster2, cluster3,"
                + " cluster4, cluster5, cluster6 and 1 more)");
    }

    /** A ServiceMeshController of gloo-mesh for {@code cluster}: its phase, status.peers and the reasons of its down links. */
    static ResourceView controller(String cluster, String phase, String peers, String... downReasons) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", 1L);
        status.put("phase", phase);
        status.put("conditions", List.of());
        if (peers != null) {
            status.put("peers", peers);
        }
        if (downReasons.length > 0) {
            status.put("peering", Map.of("down", java.util.Arrays.stream(downReasons)
                    .map(r -> Map.of("cluster", "x", "reason", r)).toList()));
        }
        return ResourceView.of(ResourceKind.ServiceMeshController, Map.of("name", "managed-istio-" + cluster,
                "namespace", "gloo-mesh", "generation", 1L), Map.of("cluster", cluster), status);
    }

    /**
     * ADR 0046: a peered controller is SUCCEEDED before its peers' addresses reach its plan; the step waits for a link
     * to every other SUCCEEDED peered controller of the namespace, and for no link to be Pending.
     */
    @Test
    void aPeeredControllerSettlesOnceItKnowsALinkToEveryOtherAddressedPeer() {
        record Row(String rule, List<ResourceView> views, List<String> moving) {
        }
        List<Row> rows = List.of(
                new Row("three SUCCEEDED, none planned its peers yet", List.of(controller("cluster1", "SUCCEEDED", "0/0"),
                        controller("cluster2", "SUCCEEDED", "0/0"), controller("cluster3", "SUCCEEDED", "2/2")),
                        List.of("smc/gloo-mesh/managed-istio-cluster1 (peers 0/0 of 2 peered)",
                                "smc/gloo-mesh/managed-istio-cluster2 (peers 0/0 of 2 peered)")),
                new Row("every link up", List.of(controller("cluster1", "SUCCEEDED", "2/2"),
                        controller("cluster2", "SUCCEEDED", "2/2"), controller("cluster3", "SUCCEEDED", "2/2")),
                        List.of()),
                new Row("a link down for a reason is known", List.of(controller("cluster1", "SUCCEEDED", "0/1",
                        "AddressMismatch"), controller("cluster2", "SUCCEEDED", "1/1")), List.of()),
                new Row("a link pending", List.of(controller("cluster1", "SUCCEEDED", "0/1", "Pending"),
                        controller("cluster2", "SUCCEEDED", "1/1")),
                        List.of("smc/gloo-mesh/managed-istio-cluster1 (peers 0/1, a link pending)")),
                new Row("a peer that never gets an address is not waited for", List.of(
                        controller("cluster1", "SUCCEEDED", "0/0"),
                        controller("cluster2", "INSTALLING", "0/0")),
                        List.of("smc/gloo-mesh/managed-istio-cluster2 cluster2/default:INSTALLING_CONTROL_PLANE")),
                new Row("a controller that is not peered", List.of(controller("cluster1", "SUCCEEDED", null),
                        controller("cluster2", "SUCCEEDED", null)), List.of()));
        for (Row row : rows) {
            assertThat(Settle.evaluate(row.views()).moving()).as(row.rule()).isEqualTo(row.moving());
        }
    }
}
