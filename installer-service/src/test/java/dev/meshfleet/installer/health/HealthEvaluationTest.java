package dev.meshfleet.installer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HealthEvaluationTest {

    @Test
    void aDeploymentWithAllReplicasUpdatedReadyAndAvailableIsReady() {
        assertThat(HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 2, 2, 2, 2, 2, 2))))
                .isEqualTo(new Health.Ready());
    }

    @Test
    void noWorkloadsAtAllIsReady() {
        assertThat(HealthEvaluation.evaluate(List.of())).isEqualTo(new Health.Ready());
    }

    @Test
    void aDeploymentWhoseGenerationIsNotObservedYetIsNotReadyEvenWithReadyReplicas() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 3, 2, 1, 1, 1, 1)));
        assertThat(h).isInstanceOf(Health.NotReady.class);
        assertThat(((Health.NotReady) h).summary()).contains("Deployment istio-system/istiod", "generation 3");
    }

    @Test
    void aDeploymentItsControllerNeverSawStillSaysHowManyReplicasAreReady() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 1, 0, 1, 0, 0, 0)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly("Deployment istio-system/istiod: generation 1 not"
                + " yet observed by its controller (observed 0), replicas ready 0/1, available 0/1, updated 0/1");
    }

    @Test
    void aDeploymentWithFewerReadyReplicasThanSpecIsNotReadyAndSaysHowMany() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.deployment("istio-system", "istiod", 1, 1, 2, 1, 1, 2)));
        assertThat(((Health.NotReady) h).reasons()).containsExactly(
                "Deployment istio-system/istiod: replicas ready 1/2, available 1/2, updated 2/2");
    }

    @Test
    void aDaemonSetReadyOnEveryScheduledNodeIsReady() {
        assertThat(HealthEvaluation.evaluate(List.of(WorkloadStatus.daemonSet("istio-system", "ztunnel", 1, 1, 3, 3))))
                .isEqualTo(new Health.Ready());
    }

    @Test
    void aDaemonSetScheduledNowhereIsNotReady() {
        assertThat(HealthEvaluation.evaluate(List.of(WorkloadStatus.daemonSet("istio-system", "ztunnel", 1, 1, 0, 0))))
                .isInstanceOf(Health.NotReady.class);
    }

    @Test
    void aDaemonSetMissingPodsIsNotReady() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.daemonSet("istio-system", "istio-cni-node", 1, 1, 3, 2)));
        assertThat(((Health.NotReady) h).summary()).contains("2/3 pods ready");
    }

    @Test
    void aMissingWorkloadIsNotReadyAndEveryUnreadyOneIsNamed() {
        Health h = HealthEvaluation.evaluate(List.of(WorkloadStatus.missing("Deployment", "istio-system", "istiod"),
                WorkloadStatus.deployment("istio-system", "ok", 1, 1, 1, 1, 1, 1),
                WorkloadStatus.daemonSet("istio-system", "ztunnel", 1, 1, 2, 0)));
        assertThat(((Health.NotReady) h).reasons()).hasSize(2).anyMatch(r -> r.contains("istiod: not found"))
                .anyMatch(r -> r.contains("ztunnel"));
    }
}
