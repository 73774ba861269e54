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
        String counts;
        boolean ready;
        if ("DaemonSet".equals(w.kind())) {
            counts = w.desiredNumberScheduled() <= 0 ? "scheduled on no node"
                    : w.numberReady() + "/" + w.desiredNumberScheduled() + " pods ready";
            ready = w.desiredNumberScheduled() > 0 && w.numberReady() == w.desiredNumberScheduled();
        } else {
            int want = w.specReplicas();
            counts = "replicas ready " + w.readyReplicas() + "/" + want + ", available " + w.availableReplicas() + "/"
                    + want + ", updated " + w.updatedReplicas() + "/" + want;
            ready = w.updatedReplicas() == want && w.readyReplicas() == want && w.availableReplicas() == want;
        }
        if (w.observedGeneration() < w.generation()) {
            // The counts may describe the previous spec; they are still what a person wants to see.
            return "generation " + w.generation() + " not yet observed by its controller (observed "
                    + w.observedGeneration() + "), " + counts;
        }
        return ready ? null : counts;
    }
}
