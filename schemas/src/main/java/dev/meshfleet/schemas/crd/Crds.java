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
    /** Class path resources of the ILM and GLM CRD manifests (group {@link #GROUP}). */
    public static final List<String> LIFECYCLE_CRD_RESOURCES = List.of("crds/istiolifecyclemanagers.yaml",
            "crds/gatewaylifecyclemanagers.yaml");
    /** Seed 003's ServiceMeshController (docs/adr/0027): its group and version, unchanged from the Gloo Operator's. */
    public static final String SMC_GROUP = "operator.gloo.solo.io";
    public static final String SMC_API_VERSION = SMC_GROUP + "/v1";
    public static final String SMC_KIND = "ServiceMeshController";
    /** Class path resource of the ServiceMeshController CRD manifest. */
    public static final String SMC_CRD_RESOURCE = "crds/servicemeshcontrollers.yaml";
    /** Seed 004's ExternalControlPlane (docs/adr/0031), in Meshfleet's own group. */
    public static final String ECP_GROUP = "meshfleet.dev";
    public static final String ECP_API_VERSION = ECP_GROUP + "/v1alpha1";
    public static final String ECP_KIND = "ExternalControlPlane";
    /** Class path resource of the ExternalControlPlane CRD manifest. */
    public static final String ECP_CRD_RESOURCE = "crds/externalcontrolplanes.yaml";
    /** Class path resources of every CRD manifest Meshfleet ships (the chart's crds/ directory holds exactly these). */
    public static final List<String> CRD_RESOURCES = List.of("crds/istiolifecyclemanagers.yaml",
            "crds/gatewaylifecyclemanagers.yaml", SMC_CRD_RESOURCE, ECP_CRD_RESOURCE);

    /**
     * Every kind Meshfleet acts on, i.e. {@link ResourceKind} without {@code Unknown} (the enum's Avro default: what a
     * reader built before a kind was added reads it as, docs/adr/0027). Iterate this, never {@code ResourceKind.values()}.
     */
    public static final List<ResourceKind> KINDS = List.of(ResourceKind.IstioLifecycleManager,
            ResourceKind.GatewayLifecycleManager, ResourceKind.ServiceMeshController, ResourceKind.ExternalControlPlane);

    private Crds() {
    }

    public static String plural(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager -> "istiolifecyclemanagers";
            case GatewayLifecycleManager -> "gatewaylifecyclemanagers";
            case ServiceMeshController -> "servicemeshcontrollers";
            case ExternalControlPlane -> "externalcontrolplanes";
            case Unknown -> throw unknown();
        };
    }

    public static String shortName(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager -> "ilm";
            case GatewayLifecycleManager -> "glm";
            case ServiceMeshController -> "smc";
            case ExternalControlPlane -> "ecp";
            case Unknown -> throw unknown();
        };
    }

    /** API group of a kind: ILM/GLM {@link #GROUP}, ServiceMeshController {@link #SMC_GROUP}, ExternalControlPlane {@link #ECP_GROUP}. */
    public static String group(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager, GatewayLifecycleManager -> GROUP;
            case ServiceMeshController -> SMC_GROUP;
            case ExternalControlPlane -> ECP_GROUP;
            case Unknown -> throw unknown();
        };
    }

    /** The apiVersion of a kind, e.g. {@code operator.gloo.solo.io/v1}. */
    public static String apiVersion(ResourceKind kind) {
        return group(kind) + "/" + version(kind);
    }

    /** The version of a kind, e.g. {@code v2}. */
    public static String version(ResourceKind kind) {
        return switch (kind) {
            case IstioLifecycleManager, GatewayLifecycleManager -> VERSION;
            case ServiceMeshController -> "v1";
            case ExternalControlPlane -> "v1alpha1";
            case Unknown -> throw unknown();
        };
    }

    /** Kind from an apiVersion/kind pair, or null when it is not one of ours. */
    public static ResourceKind kindOf(String apiVersion, String kind) {
        for (ResourceKind k : KINDS) {
            if (k.name().equals(kind) && apiVersion(k).equals(apiVersion)) {
                return k;
            }
        }
        return null;
    }

    /** Every kind by its name ({@code Unknown} is not one): for keys and labels written by Meshfleet. */
    public static ResourceKind kindNamed(String name) {
        for (ResourceKind k : KINDS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + name + "'; expected one of " + KINDS);
    }

    private static IllegalArgumentException unknown() {
        return new IllegalArgumentException("kind Unknown: a record of a kind this build does not know (docs/adr/0027)");
    }
}
