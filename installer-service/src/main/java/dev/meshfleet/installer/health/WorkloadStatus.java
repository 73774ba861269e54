package dev.meshfleet.installer.health;

/**
 * The readiness-relevant fields of one Deployment or DaemonSet, read at the edge. {@code found}
 * is false when the object the inventory lists is not in the cluster. Deployment fields:
 * {@code specReplicas} (spec.replicas) and status {@code replicas}, {@code readyReplicas},
 * {@code availableReplicas}, {@code updatedReplicas}; DaemonSet fields: status
 * {@code desiredNumberScheduled}, {@code updatedNumberScheduled}, {@code numberAvailable},
 * {@code numberReady}. The other kind's fields are 0.
 */
public record WorkloadStatus(String kind, String namespace, String name, boolean found, long generation,
        long observedGeneration, int specReplicas, int replicas, int readyReplicas, int availableReplicas,
        int updatedReplicas, int desiredNumberScheduled, int updatedNumberScheduled, int numberAvailable,
        int numberReady) {

    public static WorkloadStatus missing(String kind, String namespace, String name) {
        return new WorkloadStatus(kind, namespace, name, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static WorkloadStatus deployment(String namespace, String name, long generation, long observedGeneration,
            int specReplicas, int replicas, int readyReplicas, int availableReplicas, int updatedReplicas) {
        return new WorkloadStatus("Deployment", namespace, name, true, generation, observedGeneration, specReplicas,
                replicas, readyReplicas, availableReplicas, updatedReplicas, 0, 0, 0, 0);
    }

    public static WorkloadStatus daemonSet(String namespace, String name, long generation, long observedGeneration,
            int desiredNumberScheduled, int updatedNumberScheduled, int numberAvailable, int numberReady) {
        return new WorkloadStatus("DaemonSet", namespace, name, true, generation, observedGeneration, 0, 0, 0, 0, 0,
                desiredNumberScheduled, updatedNumberScheduled, numberAvailable, numberReady);
    }

    String display() {
        return kind + " " + namespace + "/" + name;
    }
}
