package dev.meshfleet.translation;

import java.util.List;

/**
 * What an ExternalControlPlane's plans depend on besides its spec: facts observed in one cluster that other clusters'
 * plans need (docs/adr/0031, "Order"). Today one: the address at which this resource's external istiod was last
 * reported HEALTHY by the installer of the external cluster ({@code healthyAddress}, "" when never). A remote cluster
 * gets its webhooks only while that address is the spec's, so no workload waits on an istiod that is not there, and
 * a new address withholds them until the istiod behind it is reported HEALTHY. {@code assumed}: every fact holds
 * whatever was observed (the plan preview, which observes nothing).
 */
public record EcpFacts(boolean assumed, String healthyAddress, List<Leaving> leaving) {
    /** Nothing observed yet: the first plans of a new resource. */
    public static final EcpFacts NONE = new EcpFacts(false, "");
    /** Every fact holds: the plans as they are once the external istiod runs (what the plan preview shows). */
    public static final EcpFacts SETTLED = new EcpFacts(true, "");

    /**
     * A remote cluster the spec no longer names whose removal the installer has not reported yet (docs/adr/0031,
     * "Removal in order"): the external cluster keeps its remote secret until then, so the external istiod keeps
     * reading that cluster while its webhooks still call it.
     */
    public record Leaving(String cluster, String apiServerAddress) {
        public Leaving {
            apiServerAddress = apiServerAddress == null ? "" : apiServerAddress;
        }
    }

    public EcpFacts {
        healthyAddress = healthyAddress == null ? "" : healthyAddress;
        leaving = leaving == null ? List.of() : List.copyOf(leaving);
    }

    public EcpFacts(boolean assumed, String healthyAddress) {
        this(assumed, healthyAddress, List.of());
    }

    /** These facts with {@code remotes} still leaving. */
    public EcpFacts withLeaving(List<Leaving> remotes) {
        return new EcpFacts(assumed, healthyAddress, remotes);
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
