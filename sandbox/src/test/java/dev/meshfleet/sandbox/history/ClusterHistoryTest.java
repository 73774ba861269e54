package dev.meshfleet.sandbox.history;

import static dev.meshfleet.sandbox.history.HistoryTest.V1;
import static dev.meshfleet.sandbox.history.HistoryTest.V2;
import static dev.meshfleet.sandbox.history.HistoryTest.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.history.History.Change;
import dev.meshfleet.sandbox.history.History.Transition;

/** history --cluster: every change that touched one cluster, across resources, with only that cluster's transitions. */
class ClusterHistoryTest {

    @Test
    void theChangesOfEveryResourceThatCausedATransitionOnTheClusterAndNoOther() {
        var ilm = History.of(List.of(new Change("u1", 1, false, "m", t(1), V1), new Change("u1", 2, false, "m", t(20), V2)),
                List.of(), List.of(new Transition(1, "cluster1", "1-24", "HEALTHY", t(4)),
                        new Transition(1, "cluster2", "1-24", "HEALTHY", t(5)),
                        new Transition(2, "cluster2", "1-24", "HEALTHY", t(24))));
        var glm = History.of(List.of(new Change("u2", 1, false, "m", t(2), V1)), List.of(),
                List.of(new Transition(1, "cluster1", "1-24", "HEALTHY", t(6))));
        var other = History.of(List.of(new Change("u3", 1, false, "m", t(3), V1)), List.of(),
                List.of(new Transition(1, "cluster3", "1-24", "HEALTHY", t(6))));
        Map<String, List<History.Entry>> touching = ClusterHistory.of(Map.of("IstioLifecycleManager/a/ilm", ilm,
                "GatewayLifecycleManager/a/glm", glm, "IstioLifecycleManager/a/other", other), "cluster1");
        assertThat(touching.keySet()).containsExactly("GatewayLifecycleManager/a/glm", "IstioLifecycleManager/a/ilm");
        assertThat(touching.get("IstioLifecycleManager/a/ilm")).extracting(History.Entry::generation).containsExactly(1L);
        assertThat(touching.get("IstioLifecycleManager/a/ilm").get(0).transitions()).containsOnlyKeys("cluster1/1-24");
        assertThat(touching.get("GatewayLifecycleManager/a/glm")).extracting(History.Entry::generation).containsExactly(1L);
        assertThat(ClusterHistory.of(Map.of("IstioLifecycleManager/a/ilm", ilm), "cluster9")).isEmpty();
    }
}
