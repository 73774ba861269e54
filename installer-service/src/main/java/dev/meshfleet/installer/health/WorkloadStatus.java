package dev.meshfleet.installer.health;

/**
 * The readiness-relevant fields of one Deployment or DaemonSet, read at the edge. {@code found}
 * is false when the object the inventory lists is not in the cluster.
 */
public record WorkloadStatus(String kind, String namespace, String name, boolean found, long generation,
        long observedGeneration, int specReplicas, int readyReplicas, int availableReplicas, int updatedReplicas,
        int desiredNumberScheduled, int numberReady) {

    public static WorkloadStatus missing(String kind, String namespace, String name) {
        return new WorkloadStatus(kind, namespace, name, false, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static WorkloadStatus deployment(String namespace, String name, long generation, long observedGeneration,
            int specReplicas, int readyReplicas, int availableReplicas, int updatedReplicas) {
        return new WorkloadStatus("Deployment", namespace, name, true, generation, observedGeneration, specReplicas,
                readyReplicas, availableReplicas, updatedReplicas, 0, 0);
    }

    public static WorkloadStatus daemonSet(String namespace, String name, long generation, long observedGeneration,
            int desiredNumberScheduled, int numberReady) {
        return new WorkloadStatus("DaemonSet", namespace, name, true, generation, observedGeneration, 0, 0, 0, 0,
                desiredNumberScheduled, numberReady);
    }

    String display() {
        return kind + " " + namespace + "/" + name;
    }
}
