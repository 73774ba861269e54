package dev.meshfleet.sandbox.soak;

import java.util.List;

/**
 * What the soak's specs say at one moment: the clusters of the ILM's revision {@code 1-24} (default revision) and
 * its tag, whether the canary revision {@code 1-25} is installed beside it on the same clusters, the clusters of
 * the GLM (two ingress gateway revisions, {@code 1-24} and {@code 1-25}, on each; always a subset of the ILM's,
 * since a gateway needs its control plane), and which of the two gateways is active.
 */
public record SoakState(List<String> ilmClusters, List<String> glmClusters, String tag, boolean skipUpgradeValidation,
        boolean canary, boolean gatewayOn124) {

    public static final String MAIN_REVISION = "1-24";
    public static final String CANARY_REVISION = "1-25";
    public static final String CANARY_TAG = "1.25.1-solo";

    public SoakState {
        ilmClusters = List.copyOf(ilmClusters);
        glmClusters = List.copyOf(glmClusters);
        if (!ilmClusters.containsAll(glmClusters)) {
            throw new IllegalArgumentException("every GLM cluster needs its control plane: " + glmClusters
                    + " is not within " + ilmClusters);
        }
    }

    /** The soak's start: both resources on every cluster, tag 1.24.2-solo, no canary, gateway 1-24 active. */
    public static SoakState initial(List<String> clusters) {
        return new SoakState(clusters, clusters, "1.24.2-solo", false, false, true);
    }

    SoakState withIlmClusters(List<String> ilm, List<String> glm) {
        return new SoakState(ilm, glm, tag, skipUpgradeValidation, canary, gatewayOn124);
    }

    SoakState withTag(String newTag, boolean skip) {
        return new SoakState(ilmClusters, glmClusters, newTag, skip, canary, gatewayOn124);
    }

    SoakState withCanary(boolean on) {
        return new SoakState(ilmClusters, glmClusters, tag, skipUpgradeValidation, on, gatewayOn124);
    }

    SoakState withGatewayOn124(boolean on124) {
        return new SoakState(ilmClusters, glmClusters, tag, skipUpgradeValidation, canary, on124);
    }
}
