package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A peered ServiceMeshController's second installation (docs/adr/0046): with {@code multiClusterMode: Peering} in its
 * namespace's {@code gloo-extensions-config}, its cluster gets, beside the control plane, an installation of revision
 * {@code peering} holding one release of Meshfleet's chart {@code peering-gateways}: the cluster's east-west Gateway and
 * one {@code istio-remote-peer-<cluster>} Gateway per peer whose east-west address is known. Kept apart from the
 * control plane so that a peer coming or going changes only this installation's plan (ADR 0046: about 2N writes for the
 * (N+1)th cluster, no re-apply of istiod). Pure: the peers come in as values; who they are is the translator's join.
 */
public final class SmcPeering {
    /** The installation's revision: the control plane is revisionless, the peering installation is this. */
    public static final String REVISION = "peering";
    /** Meshfleet's own chart (charts/peering-gateways), with the values named exactly as its values.yaml names them. */
    public static final String CHART = "peering-gateways";
    /** Where the seed creates the east-west Gateway (and the remote peers beside it). */
    public static final String NAMESPACE = "istio-eastwest";
    /**
     * The seed's alpha NodePort peering, asked on the ServiceMeshController as the chart's comment says (the seed's
     * SMC path documents no field for it): {@code peering.solo.io/data-plane-service-type: nodeport}.
     */
    public static final String NODE_PORT_ANNOTATION = "peering.solo.io/data-plane-service-type";
    /** The one claim of the installation: one east-west Gateway per cluster. */
    static final String CLAIM = "peering/east-west-gateway";

    private SmcPeering() {
    }

    /** What a peered controller brings to its mesh, from its spec (and the NodePort annotation). */
    public record Member(String cluster, String network, String trustDomain, boolean nodePort) {
    }

    /**
     * Another member of the mesh whose installer reported its east-west address: one remote peer Gateway. The field
     * names are the chart's {@code peers[]} keys.
     */
    public record Peer(String cluster, String network, String address, String addressType, String trustDomain,
            boolean nodePort) {
    }

    /**
     * What a controller's peering installation depends on besides its spec: whether it asks for NodePort peering and
     * its peers (any order; planned sorted by cluster). {@link #NONE}: LoadBalancer, no peer known yet.
     */
    public record Inputs(boolean nodePort, List<Peer> peers) {
        public static final Inputs NONE = new Inputs(false, List.of());

        public Inputs {
            peers = peers == null ? List.of() : List.copyOf(peers);
        }
    }

    /** Whether an annotation value asks for NodePort peering (any case, as the simulator reads the Gateway's). */
    public static boolean nodePort(String annotationValue) {
        return annotationValue != null && annotationValue.equalsIgnoreCase("nodeport");
    }

    /**
     * The member a controller is of its namespace's mesh: present only when its spec and its namespace's
     * {@code gloo-extensions-config} data (null: none) translate without a problem and the extensions say Peering (a
     * spec with errors keeps no plan of its own either, so it offers no east-west Gateway to peers).
     */
    public static Optional<Member> memberOf(JsonNode spec, JsonNode extensionsData, boolean nodePort) {
        List<SmcSpec.Problem> problems = new ArrayList<>();
        SmcSpec smc = SmcSpec.read(spec, problems);
        if (smc != null) {
            problems.addAll(SmcValidator.validate(smc));
        }
        SmcExtensions extensions = SmcExtensions.read(extensionsData, problems);
        if (!problems.isEmpty() || smc == null || extensions == null || !extensions.peering()) {
            return Optional.empty();
        }
        return Optional.of(member(smc, nodePort));
    }

    /** The member a valid, peered spec makes: network defaults to the cluster, trust domain as istiod's. */
    static Member member(SmcSpec smc, boolean nodePort) {
        return new Member(smc.cluster(), smc.network().isEmpty() ? smc.cluster() : smc.network(),
                smc.effectiveTrustDomain(), nodePort);
    }

    /**
     * The peering installation of {@code self} with {@code peers}; {@code istiodRevision} is the revision of the istiod
     * the controller installs ("" for the revisionless one, which the chart reads as the default revision).
     */
    static Plan plan(String namespace, String name, long generation, Member self, String istiodRevision, String tag,
            List<Peer> peers, String chartSource) {
        List<Peer> sorted = new ArrayList<>(peers);
        sorted.sort(Comparator.comparing(Peer::cluster));
        ObjectNode values = Json.object().put("cluster", self.cluster()).put("network", self.network())
                .put("revision", istiodRevision);
        values.putObject("eastwest").put("nodePort", self.nodePort());
        ArrayNode list = values.putArray("peers");
        ObjectNode observed = Json.object().put("cluster", self.cluster()).put("multiClusterMode", SmcExtensions.PEERING)
                .put("network", self.network()).put("nodePort", self.nodePort());
        ArrayNode observedPeers = observed.putArray("peers");
        for (Peer p : sorted) {
            list.addObject().put("cluster", p.cluster()).put("network", p.network()).put("address", p.address())
                    .put("addressType", p.addressType()).put("trustDomain", p.trustDomain()).put("nodePort", p.nodePort());
            observedPeers.add(p.cluster());
        }
        List<ChartRelease> charts = List.of(new ChartRelease(CHART, CHART, NAMESPACE, Canonical.json(values), chartSource));
        String observedJson = Canonical.json(observed);
        String hash = Translator.planHash(SmcTranslation.KIND, namespace, name, generation, self.cluster(), REVISION, tag,
                charts, false, false, null, true, Translator.DEFAULT_WAIT_MILLIS, observedJson);
        return new Plan(self.cluster(), REVISION, tag, charts, false, false, null, true, Translator.DEFAULT_WAIT_MILLIS,
                observedJson, hash, List.of(new Claim(CLAIM, "spec.cluster")));
    }
}
