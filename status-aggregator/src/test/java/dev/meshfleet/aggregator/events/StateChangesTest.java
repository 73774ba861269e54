package dev.meshfleet.aggregator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.aggregator.fold.ClusterEntry;
import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.schemas.state.IlmState;
import dev.meshfleet.schemas.v1.ResourceKind;

class StateChangesTest {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", "uid-1");

    static Status folded(String... clusterRevisionState) {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        for (int i = 0; i < clusterRevisionState.length; i += 3) {
            TreeMap<String, Installation> installations = new TreeMap<>(clusters.containsKey(clusterRevisionState[i])
                    ? clusters.get(clusterRevisionState[i]).installations() : new TreeMap<>());
            installations.put(clusterRevisionState[i + 1], new Installation(IlmState.valueOf(clusterRevisionState[i + 2]),
                    "m" + i, "", null, 1, "h", "installer/i", 1, 1, 1_000 + i, true));
            clusters.put(clusterRevisionState[i], new ClusterEntry(installations, 1));
        }
        return new Status(ILM, 1, clusters, false);
    }

    @Test
    void onlyInstallationsWhoseStateDiffersFromWhatTheResourceShowsAreTransitionsWithTheKeysTheStatusUses() throws Exception {
        var shown = new ObjectMapper().readTree("""
                {"clusters": {
                  "cluster1": {"installations": {"1-24": {"state": "INSTALLING_CONTROL_PLANE"}}},
                  "cluster2": {"installations": {"1-24": {"state": "HEALTHY"}}}}}
                """);

        var changes = StateChanges.between(shown, folded("cluster1", "1-24", "HEALTHY", "cluster2", "1-24", "HEALTHY",
                "cluster3", "", "INSTALL_PENDING"));

        assertThat(changes).extracting(Transition::installation, Transition::from, Transition::to, Transition::timeMillis)
                .containsExactly(tuple("cluster1/1-24", "INSTALLING_CONTROL_PLANE", IlmState.HEALTHY, 1_000L),
                        tuple("cluster3/default", "", IlmState.INSTALL_PENDING, 1_006L));
    }

    @Test
    void aResourceThatShowsTheFoldedStatesAlreadyHasNoTransitionsAsAfterARestart() throws Exception {
        var shown = new ObjectMapper().readTree("""
                {"clusters": {"cluster1": {"installations": {"1-24": {"state": "HEALTHY"}}}}}
                """);

        assertThat(StateChanges.between(shown, folded("cluster1", "1-24", "HEALTHY"))).isEmpty();
        assertThat(StateChanges.between(null, folded("cluster1", "1-24", "HEALTHY")))
                .extracting(Transition::installation, Transition::from).containsExactly(tuple("cluster1/1-24", ""));
    }

    /** An ExternalControlPlane shows one revisionless installation per cluster as clusters.<cluster>.state. */
    @Test
    void aResourceShowingOneStatePerClusterHasATransitionOnlyWhereThatStateMoves() throws Exception {
        var shown = new ObjectMapper().readTree("""
                {"clusters": {"cluster1": {"role": "external", "state": "HEALTHY"},
                              "cluster2": {"role": "config", "state": "INSTALLING_CONTROL_PLANE"}}}
                """);

        var changes = StateChanges.betweenClusters(shown, folded("cluster1", "", "HEALTHY", "cluster2", "", "HEALTHY",
                "cluster3", "", "INSTALL_PENDING"));

        assertThat(changes).extracting(Transition::installation, Transition::from, Transition::to)
                .containsExactly(tuple("cluster2/default", "INSTALLING_CONTROL_PLANE", IlmState.HEALTHY),
                        tuple("cluster3/default", "", IlmState.INSTALL_PENDING));
        assertThat(StateChanges.between(shown, folded("cluster1", "", "HEALTHY"))).as("an ILM's reading sees no state"
                + " in that shape: every write would be a transition").hasSize(1);
    }
}
