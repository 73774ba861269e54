package dev.meshfleet.translation;

/**
 * Something at most one resource may hold in a cluster: a control plane revision (one ILM
 * installs revision R in a cluster: two would render the same objects), {@link #DEFAULT_REVISION}
 * (an ILM cluster entry with defaultRevision: true) or the ingress/egress gateway of a revision (seed 001: one
 * gateway of a type per revision per cluster). {@code fieldPath} is the spec field that makes the
 * claim, named in the message when another resource already holds it.
 */
public record Claim(String name, String fieldPath) {
    public static final String DEFAULT_REVISION = "default-revision";

    /** {@code control-plane/<revision>}; a revisionless control plane is {@code control-plane/default}. */
    static String controlPlane(String revision) {
        return "control-plane/" + (revision.isEmpty() ? "default" : revision);
    }

    /** {@code ingress-gateway/<revision>} or {@code egress-gateway/<revision>}; a revisionless gateway is {@code .../default}. */
    static String gateway(String type, String revision) {
        String kind = type.equals("ingressGateways") ? "ingress-gateway" : "egress-gateway";
        return kind + "/" + (revision.isEmpty() ? "default" : revision);
    }
}
