package dev.meshfleet.translation;

/**
 * What an ExternalControlPlane's plans depend on besides its spec: facts observed in one cluster that other clusters'
 * plans need (docs/adr/0031, "Order"). Today one: the external istiod of this resource is HEALTHY. Until it is, no
 * remote cluster gets a webhook that points at it, so no workload waits on an istiod that is not there.
 */
public record EcpFacts(boolean externalIstiodHealthy) {
    /** Nothing observed yet: the first plans of a new resource. */
    public static final EcpFacts NONE = new EcpFacts(false);
    /** Every fact holds: the plans as they are once the external istiod runs (what the plan preview shows). */
    public static final EcpFacts SETTLED = new EcpFacts(true);
}
