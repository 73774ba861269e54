package dev.meshfleet.translator.mesh;

/**
 * The east-west address last reported for a controller's cluster, with the installer epoch that reported it
 * ({@link #NONE}: none yet). Pure.
 */
public record Address(String cluster, String address, String addressType, long epoch) {
    public static final Address NONE = new Address("", "", "", -1);

    public Address {
        cluster = cluster == null ? "" : cluster;
        address = address == null ? "" : address;
        addressType = addressType == null ? "" : addressType;
    }

    public boolean known() {
        return !address.isEmpty();
    }

    /**
     * The address after {@code fact}, for a controller whose spec names {@code specCluster} ("" when no spec was seen
     * yet): a report of another cluster than the spec's is ignored (the controller moved; that cluster's east-west
     * Gateway is no longer its), and so is a stale one, an epoch below the newest seen for that cluster (a replica
     * that lost the cluster's partition reporting late, DESIGN.md's epoch rule applied to the translator's read). The
     * same epoch is taken: one replica's events of one partition come in order.
     */
    public Address after(PeeringFact fact, String specCluster) {
        if (!specCluster.isEmpty() && !specCluster.equals(fact.cluster())) {
            return this;
        }
        if (cluster.equals(fact.cluster()) && fact.epoch() < epoch) {
            return this;
        }
        return new Address(fact.cluster(), fact.address(), fact.addressType(),
                cluster.equals(fact.cluster()) ? Math.max(epoch, fact.epoch()) : fact.epoch());
    }
}
