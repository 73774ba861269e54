package dev.meshfleet.installer.health;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure readiness rules, as kubectl rollout status applies them: the controller has seen the
 * latest spec (observedGeneration >= generation) and every replica is updated, ready and
 * available; a DaemonSet is ready on every node it is scheduled to, and on at least one.
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
        if (w.observedGeneration() < w.generation()) {
            return "generation " + w.generation() + " not yet observed by its controller (observed "
                    + w.observedGeneration() + ")";
        }
        if ("DaemonSet".equals(w.kind())) {
            if (w.desiredNumberScheduled() <= 0) {
                return "scheduled on no node";
            }
            if (w.numberReady() != w.desiredNumberScheduled()) {
                return w.numberReady() + "/" + w.desiredNumberScheduled() + " pods ready";
            }
            return null;
        }
        int want = w.specReplicas();
        if (w.updatedReplicas() != want || w.readyReplicas() != want || w.availableReplicas() != want) {
            return "replicas ready " + w.readyReplicas() + "/" + want + ", available " + w.availableReplicas() + "/"
                    + want + ", updated " + w.updatedReplicas() + "/" + want;
        }
        return null;
    }
}
