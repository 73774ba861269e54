package dev.meshfleet.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The {@link WorkloadSimulator}'s Istio peering (ADR 0046): it programs east-west Gateways and reports each remote peer
 * Gateway's link, by the rules of {@link Peering}. Not thread-safe: every method runs on the simulator's one thread.
 *
 * <p>It keeps two indexes so that a change costs the Gateways it concerns, not the fleet: the live east-west Gateway of
 * each cluster name, and the remote peer Gateways naming each cluster. A change of a cluster's east-west Gateway
 * (created, moved, deleted) re-evaluates only the remote peers naming that cluster.
 */
final class PeeringSimulation {

    private static final Logger LOG = LoggerFactory.getLogger(PeeringSimulation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String GATEWAYS = "/apis/" + GatewayApi.API_VERSION + "/gateways";

    private final MockApiServer server;
    private final Predicate<String> simulated;

    /** East-west Gateways by {@code cluster|path}: the cluster name they serve and how they are live. */
    private final Map<String, Served> eastWestByPath = new HashMap<>();
    /** The live east-west Gateway of each cluster name (when two claim a name, a programmed one is taken). */
    private final Map<String, Peering.EastWest> eastWestByCluster = new HashMap<>();
    /** Remote peer Gateways ({@code cluster|path}) by the cluster they name, and the reverse. */
    private final Map<String, Set<String>> remotesByPeer = new HashMap<>();
    private final Map<String, String> peerByRemote = new HashMap<>();
    /** Why the peered clusters' CAs do not chain to one root; null when it must be worked out again. */
    private Optional<String> rootsProblem;
    /** The cacerts of each cluster's istiods as last read; a cluster's entry goes when its cacerts or istiods change. */
    private final Map<String, List<Peering.CaCerts>> casByCluster = new HashMap<>();

    private record Served(String cluster, Peering.EastWest live) {
    }

    PeeringSimulation(MockApiServer server, Predicate<String> simulated) {
        this.server = server;
        this.simulated = simulated;
    }

    /** The Gateway at {@code path} of {@code cluster} changed, or went: make its status so and re-evaluate its peers. */
    void gatewayChanged(String cluster, String path) {
        String key = key(cluster, path);
        ObjectNode live = simulated.test(cluster) ? get(cluster, path) : null;
        String gatewayClass = live == null ? "" : live.path("spec").path("gatewayClassName").asText();
        if (!gatewayClass.equals(Peering.REMOTE_CLASS)) {
            forgetRemote(key);
        }
        if (gatewayClass.equals(Peering.EASTWEST_CLASS)) {
            Peering.EastWest programmed = programEastWest(cluster, path, live);
            served(key, new Served(Peering.eastWestCluster(live, cluster), programmed));
        } else {
            served(key, null);
        }
        if (gatewayClass.equals(Peering.REMOTE_CLASS)) {
            Optional<String> peer = Peering.remoteCluster(live);
            String old = peerByRemote.put(key, peer.orElse(""));
            if (old != null && !old.equals(peer.orElse(""))) {
                remotesByPeer.getOrDefault(old, new HashSet<>()).remove(key);
            }
            remotesByPeer.computeIfAbsent(peer.orElse(""), p -> new HashSet<>()).add(key);
            reportLink(cluster, path, live);
        }
    }

    /** Looks at every Gateway of a cluster again (the cluster was added or its faults changed). */
    void rescan(String cluster) {
        Set<String> paths = new TreeSet<>();
        ObjectNode list = get(cluster, GATEWAYS);
        if (list != null) {
            for (JsonNode item : list.path("items")) {
                paths.add(GatewayApi.gatewaysPath(item.path("metadata").path("namespace").asText(),
                        item.path("metadata").path("name").asText()));
            }
        }
        String prefix = cluster + "|";
        for (String key : new ArrayList<>(eastWestByPath.keySet())) {
            if (key.startsWith(prefix)) {
                paths.add(key.substring(prefix.length()));
            }
        }
        for (String key : new ArrayList<>(peerByRemote.keySet())) {
            if (key.startsWith(prefix)) {
                paths.add(key.substring(prefix.length()));
            }
        }
        paths.forEach(path -> gatewayChanged(cluster, path));
    }

    /** Whether a cluster holds an east-west Gateway: its istiod takes part in peering. */
    boolean peered(String cluster) {
        return eastWestByPath.values().stream().anyMatch(s -> s.live().heldBy().equals(cluster));
    }

    /** The clusters holding an east-west Gateway. */
    Set<String> peeredClusters() {
        Set<String> out = new TreeSet<>();
        eastWestByPath.values().forEach(s -> out.add(s.live().heldBy()));
        return out;
    }

    /** A cluster's cacerts Secret or istiods changed: its CAs are read again when next needed. */
    void casChanged(String cluster) {
        casByCluster.remove(cluster);
        rootsProblem = null;
    }

    /**
     * Why the peered clusters' CAs do not chain to one root (empty when they do): the {@code cacerts} of every namespace
     * holding an istiod Deployment in a cluster with an east-west Gateway. Worked out once per change of its inputs; a
     * cluster's Secrets are read again only after a change in that cluster.
     */
    Optional<String> rootsProblem() {
        if (rootsProblem == null) {
            List<Peering.CaCerts> cas = new ArrayList<>();
            for (String cluster : peeredClusters()) {
                cas.addAll(casByCluster.computeIfAbsent(cluster, this::readCas));
            }
            rootsProblem = Peering.rootsProblem(cas, Instant.now());
        }
        return rootsProblem;
    }

    private List<Peering.CaCerts> readCas(String cluster) {
        List<Peering.CaCerts> cas = new ArrayList<>();
        for (String namespace : istiodNamespaces(cluster)) {
            ObjectNode secret = get(cluster, "/api/v1/namespaces/" + namespace + "/secrets/" + Peering.CACERTS);
            cas.add(new Peering.CaCerts(cluster, namespace, entry(secret, "root-cert.pem"), entry(secret, "cert-chain.pem")));
        }
        return List.copyOf(cas);
    }

    private Set<String> istiodNamespaces(String cluster) {
        Set<String> namespaces = new TreeSet<>();
        ObjectNode deployments = get(cluster, "/apis/apps/v1/deployments");
        if (deployments != null) {
            for (JsonNode d : deployments.path("items")) {
                if (WorkloadSimulator.isIstiod(d)) {
                    namespaces.add(d.path("metadata").path("namespace").asText());
                }
            }
        }
        return namespaces;
    }

    private static String entry(ObjectNode secret, String key) {
        String data = secret == null ? "" : secret.path("data").path(key).asText();
        return data.isEmpty() ? null
                : new String(java.util.Base64.getDecoder().decode(data), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * An east-west Gateway gets Accepted, and Programmed with its address in {@code status.addresses}, as Istio does
     * once the gateway's Service has its load balancer; under {@code never-ready} its pods never run: not Programmed.
     */
    private Peering.EastWest programEastWest(String cluster, String path, ObjectNode live) {
        long generation = live.path("metadata").path("generation").asLong();
        boolean nodePort = Peering.nodePort(live);
        Peering.Address address = Peering.eastWestAddress(cluster, nodePort,
                server.store(cluster).has(Fault.EastWestAddressChange.class));
        boolean running = !server.store(cluster).has(Fault.NeverReady.class);
        Peering.ServiceType type = Peering.eastWestServiceType(nodePort);
        List<Condition> conditions = List.of(
                new Condition("Accepted", true, "Accepted", "accepted by the " + Peering.EASTWEST_CLASS + " class"),
                running ? new Condition("Programmed", true, "Programmed", "reachable at " + address.value())
                        : new Condition("Programmed", false, "Pending", "the east-west gateway's pods are not ready"),
                new Condition(Peering.DATA_PLANE_SERVICE_TYPE_CONDITION, true, type.reason(), type.message()));
        writeStatus(cluster, path, live, generation, List.of(address), conditions);
        return new Peering.EastWest(cluster, namespacedName(live), running, address, nodePort);
    }

    /** A remote peer Gateway: Accepted, Programmed, its addresses, and whether its link is up. */
    private void reportLink(String cluster, String path, ObjectNode live) {
        Optional<String> peer = Peering.remoteCluster(live);
        Optional<Peering.Address> wanted = Peering.specAddress(live);
        Optional<Peering.EastWest> peerEastWest = peer.map(eastWestByCluster::get);
        Peering.Link link = Peering.link(peer, wanted, peerEastWest);
        Peering.ServiceType type = Peering.remoteServiceType(peer, Peering.prefersNodePort(live), peerEastWest);
        List<Peering.Address> addresses = new ArrayList<>();
        live.path("spec").path("addresses").forEach(a -> addresses.add(new Peering.Address(
                a.path("type").asText(Peering.Address.IP_ADDRESS), a.path("value").asText())));
        writeStatus(cluster, path, live, live.path("metadata").path("generation").asLong(), addresses, List.of(
                new Condition("Accepted", true, "Accepted", "accepted by the " + Peering.REMOTE_CLASS + " class"),
                new Condition("Programmed", true, "Programmed", "the peer's address is known to istiod"),
                new Condition(Peering.PEERING_SUCCEEDED, link.up(), link.reason(), link.message()),
                new Condition(Peering.DATA_PLANE_SERVICE_TYPE_CONDITION, true, type.reason(), type.message())));
    }

    /** Records how an east-west Gateway is served (null: it is not one), re-evaluating the peers it concerns. */
    private void served(String key, Served now) {
        Served before = now == null ? eastWestByPath.remove(key) : eastWestByPath.put(key, now);
        if (Objects.equals(before, now)) {
            return;
        }
        if (before == null || now == null || !before.live().heldBy().equals(now.live().heldBy())) {
            rootsProblem = null; // the peered clusters changed
        }
        Set<String> clusters = new TreeSet<>();
        if (before != null) {
            clusters.add(before.cluster());
        }
        if (now != null) {
            clusters.add(now.cluster());
        }
        for (String name : clusters) {
            Peering.EastWest current = null;
            for (Served s : eastWestByPath.values()) {
                if (s.cluster().equals(name) && (current == null || s.live().programmed())) {
                    current = s.live();
                }
            }
            if (!Objects.equals(current == null ? eastWestByCluster.remove(name) : eastWestByCluster.put(name, current),
                    current)) {
                relink(name);
            }
        }
    }

    /** Reports the link of every remote peer Gateway naming {@code peer} again. */
    private void relink(String peer) {
        for (String remote : new ArrayList<>(remotesByPeer.getOrDefault(peer, Set.of()))) {
            int bar = remote.indexOf('|');
            String cluster = remote.substring(0, bar);
            String path = remote.substring(bar + 1);
            ObjectNode live = simulated.test(cluster) ? get(cluster, path) : null;
            if (live != null && Peering.REMOTE_CLASS.equals(live.path("spec").path("gatewayClassName").asText())) {
                reportLink(cluster, path, live);
            }
        }
    }

    private void forgetRemote(String key) {
        String peer = peerByRemote.remove(key);
        if (peer != null) {
            Set<String> remotes = remotesByPeer.get(peer);
            if (remotes != null) {
                remotes.remove(key);
                if (remotes.isEmpty()) {
                    remotesByPeer.remove(peer);
                }
            }
        }
    }

    private record Condition(String type, boolean status, String reason, String message) {
    }

    /**
     * Writes a Gateway's status through {@code .../status} only when it changes (addresses, or a condition's status,
     * reason, message or observedGeneration); a condition keeps its lastTransitionTime while its status stays.
     */
    private void writeStatus(String cluster, String path, ObjectNode live, long generation,
            List<Peering.Address> addresses, List<Condition> conditions) {
        JsonNode before = live.path("status");
        ObjectNode status = JSON.createObjectNode();
        ArrayNode addressList = status.putArray("addresses");
        addresses.forEach(a -> addressList.addObject().put("type", a.type()).put("value", a.value()));
        ArrayNode conditionList = status.putArray("conditions");
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (Condition c : conditions) {
            JsonNode old = condition(before, c.type());
            String value = c.status() ? "True" : "False";
            String since = old != null && value.equals(old.path("status").asText())
                    ? old.path("lastTransitionTime").asText(now) : now;
            conditionList.addObject().put("type", c.type()).put("status", value).put("reason", c.reason())
                    .put("message", c.message()).put("lastTransitionTime", since).put("observedGeneration", generation);
        }
        try {
            if (JSON.readTree(status.toString()).equals(before)) {
                return; // compared as parsed, as the store holds it (a long written is an int read back)
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a status the simulator built is not JSON", e);
        }
        ObjectNode object = live.deepCopy();
        object.with("metadata").remove("resourceVersion");
        object.set("status", status);
        MockResponse response = server.store(cluster).call("PUT", path + "/status", "application/json", object.toString());
        if (response.code() >= 300) {
            LOG.warn("workload simulator: status of Gateway {} in cluster {} not written: HTTP {} {}", path, cluster,
                    response.code(), response.getBody().readUtf8());
        }
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static String namespacedName(JsonNode object) {
        return object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
    }

    private static String key(String cluster, String path) {
        return cluster + "|" + path;
    }

    private ObjectNode get(String cluster, String path) {
        return server.store(cluster).object(path);
    }
}
