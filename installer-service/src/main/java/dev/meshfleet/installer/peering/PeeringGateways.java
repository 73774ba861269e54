package dev.meshfleet.installer.peering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;

/**
 * A peered ServiceMeshController's second installation (seed 003, docs/adr/0046): the release of Meshfleet's chart
 * {@code peering-gateways}, which renders the cluster's east-west Gateway {@code istio-eastwest} and one
 * {@code istio-remote-peer-<cluster>} Gateway per peer. Pure: which installation it is, when it is healthy and what it
 * observed for the other clusters ({@link #observe}); the reconciler reads the Gateways around it.
 *
 * <p>Its health: HEALTHY only when the east-west Gateway has condition {@code Programmed} True (for its current
 * generation, when the condition says which) and an address in {@code status.addresses}. Its peers' links do not make it
 * unhealthy: they are facts, as the status shows them ({@code peers n/m}).
 *
 * <p>Its facts ({@code InstallationEvent.facts}; the translator joins them into the other clusters' plans):
 * <ul>
 * <li>{@code eastwest.address}, {@code eastwest.addressType}: {@code status.addresses[0]} of the east-west Gateway
 * (type IPAddress when it says none, Gateway API's default), only once it is programmed, so that no peer is planned
 * against an address nothing answers at yet;</li>
 * <li>{@code peers.up}: the clusters of the remote peer Gateways whose {@code gloo.solo.io/PeeringSucceeded} is True,
 * comma-separated, sorted;</li>
 * <li>{@code peers.down}: {@code cluster=Reason} for the others, comma-separated, sorted by cluster; the condition's
 * reason, or {@code Pending} when there is none yet (no condition, or one for an older generation of the Gateway, as
 * when its address has just changed).</li>
 * </ul>
 * Both peers keys are always there (empty when none); nothing else is, and never a credential.
 */
public final class PeeringGateways {
    /** Meshfleet's chart of the peering Gateways: a release of it makes an installation a peering one. */
    public static final String CHART = "peering-gateways";
    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String KIND = "Gateway";
    /** The east-west Gateway the chart renders in its release's namespace. */
    public static final String EASTWEST = "istio-eastwest";
    public static final String REMOTE_PREFIX = "istio-remote-peer-";
    public static final String PROGRAMMED = "Programmed";
    public static final String PEERING_SUCCEEDED = "gloo.solo.io/PeeringSucceeded";
    /** The reason of a link whose Gateway says nothing of it yet. */
    public static final String PENDING = "Pending";

    public static final String EASTWEST_ADDRESS = "eastwest.address";
    public static final String EASTWEST_ADDRESS_TYPE = "eastwest.addressType";
    public static final String PEERS_UP = "peers.up";
    public static final String PEERS_DOWN = "peers.down";

    private PeeringGateways() {
    }

    /** Whether a plan is a peering installation: one of its releases is of {@link #CHART}. */
    public static boolean is(Plan plan) {
        return plan.charts().stream().anyMatch(c -> CHART.equals(c.chart()));
    }

    /** Whether an installed inventory is a peering installation's (an inventory does not record charts): it lists the east-west Gateway. */
    public static boolean is(Inventory inventory) {
        return inventory.objects().stream().anyMatch(o -> isGateway(o) && EASTWEST.equals(o.name()));
    }

    /** Whether an object is a Gateway API Gateway. */
    public static boolean isGateway(ObjectRef ref) {
        return KIND.equals(ref.kind()) && ref.apiVersion().startsWith(GROUP + "/");
    }

    /** The installation's health and its facts for the event. */
    public record Observation(Health health, Map<String, String> facts) {
        public Observation {
            facts = Map.copyOf(facts);
        }
    }

    /**
     * @param gateways every Gateway the installation lists, each as the cluster holds it (a null value: not found)
     */
    public static Observation observe(Map<ObjectRef, JsonNode> gateways) {
        Map<String, String> facts = new TreeMap<>();
        List<String> reasons = new ArrayList<>();
        ObjectRef eastWest = null;
        String waiting = null;
        List<String> up = new ArrayList<>();
        Map<String, String> down = new TreeMap<>();
        for (Map.Entry<ObjectRef, JsonNode> e : new TreeMap<>(gateways).entrySet()) {
            ObjectRef ref = e.getKey();
            JsonNode live = e.getValue();
            if (EASTWEST.equals(ref.name())) {
                eastWest = ref;
                waiting = eastWestWait(live);
                if (waiting != null) {
                    reasons.add(ref + ": " + waiting);
                } else {
                    JsonNode address = live.path("status").path("addresses").path(0);
                    String type = address.path("type").asText();
                    facts.put(EASTWEST_ADDRESS, address.path("value").asText());
                    facts.put(EASTWEST_ADDRESS_TYPE, type.isEmpty() ? "IPAddress" : type);
                }
            } else if (ref.name().startsWith(REMOTE_PREFIX) && ref.name().length() > REMOTE_PREFIX.length()) {
                String peer = ref.name().substring(REMOTE_PREFIX.length());
                JsonNode link = current(live, PEERING_SUCCEEDED);
                if (link != null && "True".equals(link.path("status").asText())) {
                    up.add(peer);
                } else {
                    String reason = link == null ? "" : link.path("reason").asText();
                    down.put(peer, reason.isEmpty() ? PENDING : reason);
                }
            }
        }
        if (eastWest == null) {
            waiting = "the installation lists none (chart " + CHART + " renders it)";
            reasons.add("Gateway " + EASTWEST + ": " + waiting);
        }
        up.sort(null);
        facts.put(PEERS_UP, String.join(",", up));
        facts.put(PEERS_DOWN, String.join(",", down.entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                .toList()));
        if (reasons.isEmpty()) {
            return new Observation(new Health.Ready(), facts);
        }
        // The message names the Gateway and what it waits for.
        return new Observation(new Health.NotReady(reasons, (eastWest == null ? "Gateway " + EASTWEST
                : eastWest.toString()) + " to be Programmed with an address in status.addresses: " + waiting), facts);
    }

    /** What the east-west Gateway still lacks to be healthy; null when it has it. */
    private static String eastWestWait(JsonNode live) {
        if (live == null) {
            return "not found in the cluster";
        }
        JsonNode programmed = condition(live, PROGRAMMED);
        if (programmed == null) {
            return "no Programmed condition yet (no gateway controller has taken it: is istiod of the revision it"
                    + " names running?)";
        }
        long generation = live.path("metadata").path("generation").asLong(0);
        long observed = programmed.path("observedGeneration").asLong(0);
        if (observed > 0 && observed < generation) {
            return "generation " + generation + " not yet observed by its controller (Programmed is of generation "
                    + observed + ")";
        }
        if (!"True".equals(programmed.path("status").asText())) {
            String reason = programmed.path("reason").asText();
            String message = programmed.path("message").asText();
            return "Programmed is " + programmed.path("status").asText("Unknown")
                    + (reason.isEmpty() && message.isEmpty() ? ""
                            : " (" + reason + (reason.isEmpty() || message.isEmpty() ? "" : ": ") + message + ")");
        }
        if (live.path("status").path("addresses").path(0).path("value").asText().isEmpty()) {
            return "Programmed, but no address in status.addresses yet";
        }
        return null;
    }

    /** The condition of {@code type}, unless it is of an older generation of the object (then it says nothing yet). */
    private static JsonNode current(JsonNode live, String type) {
        JsonNode c = live == null ? null : condition(live, type);
        if (c == null) {
            return null;
        }
        long observed = c.path("observedGeneration").asLong(0);
        return observed > 0 && observed < live.path("metadata").path("generation").asLong(0) ? null : c;
    }

    private static JsonNode condition(JsonNode live, String type) {
        for (JsonNode c : live.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }
}
