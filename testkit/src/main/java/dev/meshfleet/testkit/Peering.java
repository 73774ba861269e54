package dev.meshfleet.testkit;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules of Istio's multicluster peering as the {@link WorkloadSimulator} plays them (seed 003, ADR 0046), pure: the
 * address an east-west Gateway is given, whether a remote peer Gateway's link is up, and whether the peered clusters'
 * plug-in CAs share one root. The simulator does the reading and writing around them.
 */
public final class Peering {

    /** The GatewayClass of a cluster's own east-west gateway (Istio provisions it). */
    public static final String EASTWEST_CLASS = "istio-eastwest";
    /** The GatewayClass of a gateway standing for another cluster's east-west gateway. */
    public static final String REMOTE_CLASS = "istio-remote";
    /** Remote peer Gateways are named after the cluster they stand for (seed 003: {@code istio-remote-peer-cluster1}). */
    public static final String REMOTE_PREFIX = "istio-remote-peer-";
    public static final String CLUSTER_LABEL = "topology.istio.io/cluster";
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** On the east-west Gateway: the data-plane service type peers reach it by ({@code nodeport} or {@code loadbalancer}). */
    public static final String DATA_PLANE_SERVICE_TYPE = "peering.solo.io/data-plane-service-type";
    /** On a remote peer Gateway: the data-plane service type it prefers to reach its peer by. */
    public static final String PREFERRED_DATA_PLANE_SERVICE_TYPE = "peering.solo.io/preferred-data-plane-service-type";
    /**
     * The condition of each east-west and remote peer Gateway saying which data-plane service type is in use (seed
     * 003); the seed names no type, so this one is the simulator's, in the group of {@link #PEERING_SUCCEEDED}. Always
     * True; its reason is {@code NodePort} or {@code LoadBalancer}.
     */
    public static final String DATA_PLANE_SERVICE_TYPE_CONDITION = "gloo.solo.io/DataPlaneServiceType";
    /** The condition type of a remote peer Gateway that {@code istioctl multicluster check} reads. */
    public static final String PEERING_SUCCEEDED = "gloo.solo.io/PeeringSucceeded";
    /** Istio's plug-in CA Secret, in istiod's namespace. */
    public static final String CACERTS = "cacerts";

    /** TEST-NET-1 (RFC 5737) has 254 host addresses, 192.0.2.1 to 192.0.2.254. */
    private static final int HOSTS = 254;

    private Peering() {
    }

    /** A Gateway API address: {@code type} IPAddress or Hostname. */
    public record Address(String type, String value) {
        public static final String IP_ADDRESS = "IPAddress";
        public static final String HOSTNAME = "Hostname";
    }

    /**
     * The address of a cluster's east-west gateway. A LoadBalancer gets an IP of TEST-NET-1 chosen by the cluster's
     * name (so the same cluster has the same address in every run); with the NodePort annotation the gateway is
     * reached by name, {@code <cluster>.eastwest.example}. {@code moved} (the fault {@code eastwest-address-change})
     * gives the cluster's second address, always another one.
     */
    public static Address eastWestAddress(String cluster, boolean nodePort, boolean moved) {
        if (nodePort) {
            return new Address(Address.HOSTNAME, cluster + (moved ? "-moved" : "") + ".eastwest.example");
        }
        int host = Math.floorMod(cluster.hashCode() + (moved ? HOSTS / 2 : 0), HOSTS) + 1;
        return new Address(Address.IP_ADDRESS, "192.0.2." + host);
    }

    /** Whether an east-west Gateway asks for NodePort peering (the seed's alpha annotation). */
    public static boolean nodePort(JsonNode gateway) {
        return isNodePort(gateway.path("metadata").path("annotations").path(DATA_PLANE_SERVICE_TYPE).asText());
    }

    /** Whether a remote peer Gateway prefers to reach its peer by NodePort. */
    public static boolean prefersNodePort(JsonNode gateway) {
        return isNodePort(gateway.path("metadata").path("annotations").path(PREFERRED_DATA_PLANE_SERVICE_TYPE).asText());
    }

    private static boolean isNodePort(String annotation) {
        return annotation.toLowerCase(Locale.ROOT).equals("nodeport");
    }

    /** The {@link #DATA_PLANE_SERVICE_TYPE_CONDITION} of a Gateway: {@code NodePort} or {@code LoadBalancer}, and why. */
    public record ServiceType(String reason, String message) {
        public static final String NODE_PORT = "NodePort";
        public static final String LOAD_BALANCER = "LoadBalancer";
    }

    /** The data-plane service type of an east-west Gateway: what its annotation asks. */
    public static ServiceType eastWestServiceType(boolean nodePort) {
        return nodePort
                ? new ServiceType(ServiceType.NODE_PORT, "peers reach this cluster's data plane by NodePort; xDS still"
                        + " by the gateway's stable address")
                : new ServiceType(ServiceType.LOAD_BALANCER, "peers reach this cluster's data plane by the gateway's"
                        + " LoadBalancer address");
    }

    /**
     * The data-plane service type a remote peer Gateway uses: NodePort only when it prefers it and the live east-west
     * Gateway of its peer serves NodePort; otherwise LoadBalancer, saying why when NodePort was preferred.
     */
    public static ServiceType remoteServiceType(Optional<String> peer, boolean prefersNodePort, Optional<EastWest> live) {
        String cluster = peer.orElse("the peer");
        if (!prefersNodePort) {
            return new ServiceType(ServiceType.LOAD_BALANCER, "reaching " + cluster + "'s data plane by its east-west"
                    + " gateway's LoadBalancer address");
        }
        if (live.isPresent() && live.get().nodePort()) {
            return new ServiceType(ServiceType.NODE_PORT, "reaching " + cluster + "'s data plane by NodePort");
        }
        return new ServiceType(ServiceType.LOAD_BALANCER, "NodePort preferred, but " + cluster + "'s east-west gateway"
                + (live.isPresent() ? " serves LoadBalancer" : " is not known") + ": reaching it by LoadBalancer");
    }

    /** The cluster an east-west Gateway serves: its {@code topology.istio.io/cluster} label, else the cluster it is in. */
    public static String eastWestCluster(JsonNode gateway, String heldBy) {
        String label = gateway.path("metadata").path("labels").path(CLUSTER_LABEL).asText();
        return label.isEmpty() ? heldBy : label;
    }

    /**
     * The cluster a remote peer Gateway stands for: what its name {@code istio-remote-peer-<cluster>} says, else its
     * {@code topology.istio.io/cluster} label; empty when it says neither.
     */
    public static Optional<String> remoteCluster(JsonNode gateway) {
        String name = gateway.path("metadata").path("name").asText();
        if (name.startsWith(REMOTE_PREFIX) && name.length() > REMOTE_PREFIX.length()) {
            return Optional.of(name.substring(REMOTE_PREFIX.length()));
        }
        String label = gateway.path("metadata").path("labels").path(CLUSTER_LABEL).asText();
        return label.isEmpty() ? Optional.empty() : Optional.of(label);
    }

    /** The first of {@code spec.addresses}, if any. */
    public static Optional<Address> specAddress(JsonNode gateway) {
        JsonNode first = gateway.path("spec").path("addresses").path(0);
        String value = first.path("value").asText();
        return value.isEmpty() ? Optional.empty()
                : Optional.of(new Address(first.path("type").asText(Address.IP_ADDRESS), value));
    }

    /**
     * A cluster's east-west Gateway as it is live: where it is, whether it is programmed, its address, and whether it
     * serves NodePort peering.
     */
    public record EastWest(String heldBy, String gateway, boolean programmed, Address address, boolean nodePort) {
    }

    /** The {@code PeeringSucceeded} condition of a remote peer Gateway. */
    public record Link(boolean up, String reason, String message) {
    }

    /**
     * Whether the link a remote peer Gateway describes is up: its first address must be the current address of the
     * programmed east-west Gateway of the cluster it names.
     */
    public static Link link(Optional<String> peer, Optional<Address> wanted, Optional<EastWest> live) {
        if (peer.isEmpty()) {
            return new Link(false, "UnknownPeer", "the Gateway names no cluster: name it " + REMOTE_PREFIX
                    + "<cluster> or label it " + CLUSTER_LABEL);
        }
        String cluster = peer.get();
        if (wanted.isEmpty()) {
            return new Link(false, "NoAddress", "spec.addresses is empty: set it to the address of " + cluster
                    + "'s east-west gateway");
        }
        if (live.isEmpty()) {
            return new Link(false, "PeerNotFound", "cluster " + cluster + " has no east-west Gateway (class "
                    + EASTWEST_CLASS + "); spec.addresses[0].value " + wanted.get().value() + " reaches nothing");
        }
        EastWest ew = live.get();
        if (!ew.programmed() || ew.address() == null) {
            return new Link(false, "PeerNotProgrammed", "the east-west Gateway " + ew.gateway() + " of cluster "
                    + cluster + " is not programmed");
        }
        if (!ew.address().value().equals(wanted.get().value())) {
            return new Link(false, "AddressMismatch", "spec.addresses[0].value " + wanted.get().value()
                    + " is not the address of cluster " + cluster + "'s east-west Gateway " + ew.gateway() + ", "
                    + ew.address().value() + ": update spec.addresses to it");
        }
        return new Link(true, "Connected", "connected to cluster " + cluster + " at " + ew.address().value());
    }

    /**
     * Istio's plug-in CA of one istiod of a peered cluster: the PEM entries of its {@code cacerts} Secret, null when
     * there is no such Secret (istiod then signs with a self-signed root of its own).
     */
    public record CaCerts(String cluster, String namespace, String rootCert, String certChain) {
        String where() {
            return "cluster " + cluster + "'s " + namespace + "/" + CACERTS;
        }
    }

    /**
     * Why the peered clusters' CAs do not chain to one root, or empty when they do: every istiod of a peered cluster
     * has a {@code cacerts}, all of them hold the same {@code root-cert.pem}, and each {@code cert-chain.pem} validates
     * against it at {@code at} (PKIX, {@link CertificateChains}). The first problem in cluster order is named.
     */
    public static Optional<String> rootsProblem(List<CaCerts> peered, Instant at) {
        List<CaCerts> sorted = peered.stream()
                .sorted(Comparator.comparing(CaCerts::cluster).thenComparing(CaCerts::namespace)).toList();
        X509Certificate root = null;
        CaCerts rootFrom = null;
        for (CaCerts ca : sorted) {
            if (ca.rootCert() == null || ca.certChain() == null) {
                return Optional.of(ca.where() + " is missing: its istiod signs with a root of its own, which its peers"
                        + " do not trust; give every peered cluster a cacerts of the shared root");
            }
            X509Certificate own;
            try {
                List<X509Certificate> roots = CertificateChains.certificates(ca.rootCert());
                if (roots.isEmpty()) {
                    return Optional.of(ca.where() + " root-cert.pem holds no certificate");
                }
                own = roots.get(0);
            } catch (GeneralSecurityException e) {
                return Optional.of(ca.where() + " root-cert.pem is not a PEM certificate: " + e.getMessage());
            }
            if (root == null) {
                root = own;
                rootFrom = ca;
            } else if (!root.equals(own)) {
                return Optional.of("peered clusters do not share one root: " + ca.where() + " root-cert.pem is '"
                        + own.getSubjectX500Principal().getName() + "', " + rootFrom.where() + " has '"
                        + root.getSubjectX500Principal().getName() + "'");
            }
            try {
                CertificateChains.validatedIntermediate(ca.certChain(), root, at);
            } catch (GeneralSecurityException | RuntimeException e) {
                return Optional.of(ca.where() + " cert-chain.pem does not chain to the root '"
                        + root.getSubjectX500Principal().getName() + "': " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
