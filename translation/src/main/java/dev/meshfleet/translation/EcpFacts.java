package dev.meshfleet.translation;

/**
 * What an ExternalControlPlane's plans depend on besides its spec: facts observed in one cluster that other clusters'
 * plans need (docs/adr/0031, "Order"). Today one: the address at which this resource's external istiod was last
 * reported HEALTHY by the installer of the external cluster ({@code healthyAddress}, "" when never). A remote cluster
 * gets its webhooks only while that address is the spec's, so no workload waits on an istiod that is not there, and
 * a new address withholds them until the istiod behind it is reported HEALTHY. {@code assumed}: every fact holds
 * whatever was observed (the plan preview, which observes nothing).
 */
public record EcpFacts(boolean assumed, String healthyAddress) {
    /** Nothing observed yet: the first plans of a new resource. */
    public static final EcpFacts NONE = new EcpFacts(false, "");
    /** Every fact holds: the plans as they are once the external istiod runs (what the plan preview shows). */
    public static final EcpFacts SETTLED = new EcpFacts(true, "");

    public EcpFacts {
        healthyAddress = healthyAddress == null ? "" : healthyAddress;
    }

    /** The external istiod was reported HEALTHY while it served {@code address}. */
    public static EcpFacts healthyAt(String address) {
        return new EcpFacts(false, address);
    }

    /** Whether the remote clusters may call the external istiod at {@code address}: it was reported HEALTHY there. */
    public boolean externalIstiodHealthyAt(String address) {
        return assumed || (!healthyAddress.isEmpty() && healthyAddress.equals(address));
    }
}
