package dev.meshfleet.schemas.crd;

import java.util.List;

import dev.meshfleet.schemas.v1.ResourceKind;

/** Names shared by every service that touches the lifecycle resources or the cluster registry. */
public final class Crds {
    public static final String GROUP = "admin.gloo.solo.io";
    public static final String VERSION = "v2";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** Held by spec-intake on every lifecycle resource until status-aggregator sees it uninstalled. */
    public static final String FINALIZER = "meshfleet.dev/uninstall";
    /**
     * Status key (under {@code status.clusters}) of a translation error that no cluster name can carry:
     * the spec names no usable cluster (empty, not a string, not a list) or the error concerns the
     * whole resource. No cluster can be named {@code *} (names are DNS labels), so a reader never
     * takes it for one. Translator, aggregator and sandbox all use this key (docs/adr/0006).
     */
    public static final String WHOLE_RESOURCE_CLUSTER = "*";
    /** Label on a kubeconfig Secret in the management cluster: its value is the workload cluster's name. */
    public static final String CLUSTER_LABEL = "meshfleet.dev/cluster";
    /** Key of the kubeconfig inside a cluster registration Secret. */
    public static final String KUBECONFIG_KEY = "kubeconfig";
    /** Class path resources of the CRD manifests. */
    public static final List<String> CRD_RESOURCES = List.of("crds/istiolifecyclemanagers.yaml",
            "crds/gatewaylifecyclemanagers.yaml");

    private Crds() {
    }

    public static String plural(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager -> "istiolifecyclemanagers";
            case GatewayLifecycleManager -> "gatewaylifecyclemanagers";
        };
    }

    public static String shortName(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager -> "ilm";
            case GatewayLifecycleManager -> "glm";
        };
    }

    /** Kind from an apiVersion/kind pair, or null when it is not one of ours. */
    public static ResourceKind kindOf(String apiVersion, String kind) {
        if (!API_VERSION.equals(apiVersion) || kind == null) {
            return null;
        }
        for (ResourceKind k : ResourceKind.values()) {
            if (k.name().equals(kind)) {
                return k;
            }
        }
        return null;
    }
}
