package dev.meshfleet.installer.health;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure readiness rules, exactly those of {@code kubectl rollout status}
 * (kubectl's {@code polymorphichelpers/rollout_status.go}):
 * <ul>
 * <li>Deployment: the controller has seen the latest spec (observedGeneration >= generation);
 * updatedReplicas >= spec.replicas; no old replica is left (status.replicas <= updatedReplicas,
 * else "old replicas are pending termination"); availableReplicas >= updatedReplicas.</li>
 * <li>DaemonSet: observedGeneration >= generation; updatedNumberScheduled >= desiredNumberScheduled
 * (every node runs the new pod: an in-place upgrade of istio-cni or ztunnel rolls node by node);
 * numberAvailable >= desiredNumberScheduled. As for kubectl, a DaemonSet scheduled on no node is
 * rolled out.</li>
 * </ul>
 * kubectl also fails a Deployment whose Progressing condition says ProgressDeadlineExceeded and
 * refuses a DaemonSet whose strategy is OnDelete; the installer times out on its own
 * waitForResourcesTimeout instead, and Istio's DaemonSets roll.
 */
public final class HealthEvaluation {
    private HealthEvaluation() {
    }

    public static Health evaluate(List<WorkloadStatus> workloads) {
        List<String> reasons = new ArrayList<>();
        for (WorkloadStatus w : workloads) {
            String reason = reason(w);
            if (reason != null) {
                reasons.add(w.display() + ": " + reason);
            }
        }
        return reasons.isEmpty() ? new Health.Ready() : new Health.NotReady(reasons);
    }

    private static String reason(WorkloadStatus w) {
        if (!w.found()) {
            return "not found in the cluster";
        }
        String counts;
        boolean ready;
        if ("DaemonSet".equals(w.kind())) {
            int want = w.desiredNumberScheduled();
            counts = w.numberReady() + "/" + want + " pods ready, available " + w.numberAvailable() + "/" + want
                    + ", updated " + w.updatedNumberScheduled() + "/" + want;
            ready = w.updatedNumberScheduled() >= want && w.numberAvailable() >= want;
        } else {
            int want = w.specReplicas();
            int old = w.replicas() - w.updatedReplicas();
            counts = "replicas ready " + w.readyReplicas() + "/" + want + ", available " + w.availableReplicas() + "/"
                    + want + ", updated " + w.updatedReplicas() + "/" + want
                    + (old > 0 ? ", " + old + " old pending termination" : "");
            ready = w.updatedReplicas() >= want && old <= 0 && w.availableReplicas() >= w.updatedReplicas();
        }
        if (w.observedGeneration() < w.generation()) {
            // The counts may describe the previous spec; they are still what a person wants to see.
            return "generation " + w.generation() + " not yet observed by its controller (observed "
                    + w.observedGeneration() + "), " + counts;
        }
        return ready ? null : counts;
    }
}
