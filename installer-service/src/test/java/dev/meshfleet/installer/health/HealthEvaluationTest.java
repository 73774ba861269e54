package dev.meshfleet.installer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** kubectl rollout status's rules (polymorphichelpers/rollout_status.go), one row per rule. */
class HealthEvaluationTest {

    static Stream<Arguments> deployments() {
        // generation, observedGeneration, spec.replicas, status replicas, ready, available, updated, rolled out?
        return Stream.of(
                Arguments.of("all updated and available", 2, 2, 2, 2, 2, 2, 2, true),
                Arguments.of("generation not yet observed", 3, 2, 1, 1, 1, 1, 1, false),
                Arguments.of("observed a newer generation than the cached one", 2, 3, 1, 1, 1, 1, 1, true),
                Arguments.of("fewer updated replicas than spec", 2, 2, 2, 2, 2, 2, 1, false),
                Arguments.of("an old replica pending termination", 2, 2, 2, 3, 3, 3, 2, false),
                Arguments.of("an updated replica not available yet", 2, 2, 2, 2, 1, 1, 2, false),
                Arguments.of("available counts, ready alone does not decide", 2, 2, 1, 1, 0, 1, 1, true),
                Arguments.of("scaled to zero", 2, 2, 0, 0, 0, 0, 0, true));
    }

    @ParameterizedTest(name = "Deployment: {0} -> rolled out {8}")
    @MethodSource("deployments")
    void aDeploymentIsRolledOutAsKubectlRolloutStatusDecides(String why, long generation, long observed,
            int specReplicas, int replicas, int ready, int available, int updated, boolean rolledOut) {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", generation,
                observed, specReplicas, replicas, ready, available, updated)));
        assertThat(h instanceof Health.Ready).as(why).isEqualTo(rolledOut);
    }

    static Stream<Arguments> daemonSets() {
        // generation, observedGeneration, desired, updatedNumberScheduled, numberAvailable, numberReady, rolled out?
        return Stream.of(
                Arguments.of("every node updated and available", 2, 2, 3, 3, 3, 3, true),
                Arguments.of("generation not yet observed", 3, 2, 3, 3, 3, 3, false),
                Arguments.of("ready everywhere but one node still runs the old pod", 2, 2, 3, 2, 3, 3, false),
                Arguments.of("updated everywhere but one pod not available", 2, 2, 3, 3, 2, 3, false),
                Arguments.of("a pod missing", 2, 2, 3, 2, 2, 2, false),
                Arguments.of("scheduled on no node (as kubectl: nothing to wait for)", 1, 1, 0, 0, 0, 0, true));
    }

    @ParameterizedTest(name = "DaemonSet: {0} -> rolled out {7}")
    @MethodSource("daemonSets")
    void aDaemonSetIsRolledOutAsKubectlRolloutStatusDecides(String why, long generation, long observed, int desired,
            int updated, int available, int ready, boolean rolledOut) {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.daemonSet("istio-system", "ztunnel", generation,
                observed, desired, updated, available, ready)));
        assertThat(h instanceof Health.Ready).as(why).isEqualTo(rolledOut);
    }

    @Test
    void noWorkloadsAtAllIsReady() {
        assertThat(HealthEvaluation.evaluate(List.of())).isEqualTo(new Health.Ready());
    }

    @Test
    void aDeploymentItsControllerNeverSawStillSaysHowManyReplicasAreReady() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 1, 0, 1, 0, 0,
                0, 0)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly("Deployment istio-system/istiod: generation 1 not"
                + " yet observed by its controller (observed 0), replicas ready 0/1, available 0/1, updated 0/1");
    }

    @Test
    void aDeploymentWithFewerAvailableReplicasThanUpdatedSaysHowMany() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 1, 1, 2, 2, 1,
                1, 2)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly(
                "Deployment istio-system/istiod: replicas ready 1/2, available 1/2, updated 2/2");
    }

    @Test
    void aDeploymentWithOldReplicasLeftSaysHowManyArePendingTermination() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 2, 2, 1, 2, 2,
                2, 1)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly(
                "Deployment istio-system/istiod: replicas ready 2/1, available 2/1, updated 1/1, 1 old pending termination");
    }

    @Test
    void aDaemonSetStillRollingSaysHowManyNodesRunTheNewPod() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.daemonSet("istio-system", "istio-cni-node", 2, 2, 3,
                1, 3, 3)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly(
                "DaemonSet istio-system/istio-cni-node: 3/3 pods ready, available 3/3, updated 1/3");
    }

    @Test
    void aMissingWorkloadIsNotReadyAndEveryUnreadyOneIsNamed() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.missing("Deployment", "istio-system", "istiod"),
                WorkloadStatus.deployment("istio-system", "ok", 1, 1, 1, 1, 1, 1, 1),
                WorkloadStatus.daemonSet("istio-system", "ztunnel", 1, 1, 2, 2, 0, 0)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly("Deployment istio-system/istiod: not found in the"
                + " cluster", "DaemonSet istio-system/ztunnel: 0/2 pods ready, available 0/2, updated 2/2");
    }
}
