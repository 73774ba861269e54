package dev.meshfleet.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Plays kubelet and controller-manager for workload clusters of a {@link MockApiServer}: each
 * Deployment and DaemonSet gets a ready status {@code readyAfter} after each change of its spec
 * (generation), written through the status subresource. A Deployment whose pods a mutating webhook would refuse
 * ({@link PodAdmission}: a remote cluster's sidecar injector calling an address where no external istiod answers)
 * gets no pod and a {@code ReplicaFailure} condition saying why, until the webhook answers. Faults of a cluster change that:
 * {@link Fault.NeverReady}, {@link Fault.CrashAfterReady}, {@link Fault.UnmanagedIstio}; the API
 * faults are the server's.
 *
 * <p>A DaemonSet runs on {@link #setNodes(int) nodes} nodes (1 unless set) and rolls as the
 * DaemonSet controller's RollingUpdate does, one node at a time: each readyAfter one more node runs
 * the new pod ({@code updatedNumberScheduled} rises by one). On a first install the pods come up
 * one by one ({@code numberAvailable} = {@code numberReady} = the updated count); on an update of a
 * DaemonSet that was available everywhere, the old pods keep serving on the nodes not yet rolled
 * ({@code numberAvailable} = {@code numberReady} = nodes), which is what an in-place upgrade of
 * istio-cni or ztunnel looks like to anyone who only counts ready pods.
 *
 * <p>It plays Istio's multicluster peering ({@link PeeringSimulation}, by the rules of {@link Peering}): an east-west
 * Gateway (class {@code istio-eastwest}) gets an address and {@code Programmed}; a remote peer Gateway (class
 * {@code istio-remote}) gets {@code gloo.solo.io/PeeringSucceeded} True only while its address is the live address of
 * the east-west Gateway of the cluster it names; {@link Fault.EastWestAddressChange} moves a cluster's address. An
 * istiod of a cluster with an east-west Gateway is kept not ready while the peered clusters' {@code cacerts} do not
 * chain to one root.
 *
 * <p>It hooks the stores in process (no watch, no HTTP) and runs on a single scheduler thread, so
 * a thousand clusters cost a thousand listeners and one thread.
 */
public final class WorkloadSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    /** How soon a workload whose pods were refused at admission is looked at again (at least readyAfter). */
    private static final Duration ADMISSION_RETRY = Duration.ofMillis(500);

    private final MockApiServer server;
    private final Duration readyAfter;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Consumer<ClusterStore.Change>> listeners = new ConcurrentHashMap<>();
    /** The rollout under way per DaemonSet (cluster and path): a step of an older one does nothing. */
    private final Map<String, Integer> rollouts = new ConcurrentHashMap<>();
    private volatile int nodes = 1;
    /** Peering; used on the scheduler thread only. */
    private final PeeringSimulation peering;
    /** istiods ({@code cluster|path}) held not ready because the peered clusters' CAs do not share a root; scheduler thread. */
    private final Set<String> heldByRoots = new HashSet<>();
    private final AtomicBoolean rootsRecheckPending = new AtomicBoolean();
    /** Clusters whose cacerts or istiods changed since the last recheck. */
    private final Set<String> casChanged = ConcurrentHashMap.newKeySet();

    private WorkloadSimulator(MockApiServer server, Duration readyAfter) {
        this.server = server;
        this.readyAfter = readyAfter;
        this.peering = new PeeringSimulation(server, listeners::containsKey);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workload-simulator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Simulates the given clusters, each with its faults (an empty list for a healthy cluster). */
    public static WorkloadSimulator start(MockApiServer server, Map<String, List<Fault>> clusters, Duration readyAfter) {
        WorkloadSimulator sim = new WorkloadSimulator(server, readyAfter);
        clusters.forEach(sim::addCluster);
        return sim;
    }

    /** Simulates the given healthy clusters. */
    public static WorkloadSimulator start(MockApiServer server, List<String> clusters, Duration readyAfter) {
        WorkloadSimulator sim = new WorkloadSimulator(server, readyAfter);
        clusters.forEach(c -> sim.addCluster(c, List.of()));
        return sim;
    }

    /** Starts simulating a cluster; workloads already in it are treated as just changed. */
    public void addCluster(String cluster, List<Fault> faults) {
        ClusterStore store = server.store(cluster);
        server.setFaults(cluster, faults);
        listeners.computeIfAbsent(cluster, c -> {
            Consumer<ClusterStore.Change> listener = change -> onChange(c, change);
            store.addListener(listener);
            return listener;
        });
        scheduler.execute(() -> {
            if (has(cluster, Fault.UnmanagedIstio.class)) {
                createUnmanagedIstio(cluster);
            }
            rescan(cluster);
            peering.rescan(cluster);
            if (peering.peered(cluster)) {
                // Found peered (a restart, or Gateways made before the cluster was added): its istiods' CAs count.
                casChanged.add(cluster);
                scheduleRootsRecheck();
            }
        });
    }

    /**
     * Replaces a cluster's faults (API and workload) at run time, as a node or network would change:
     * setting {@code crash-after-ready} crashes the ready workloads one readyAfter later; clearing it, or
     * {@code never-ready}, makes the unready ones ready one readyAfter later; clearing {@code unreachable}
     * or {@code slow} takes effect with the next request. Setting {@code unmanaged-istio} creates the
     * foreign istiod if it is not there; clearing it leaves it (delete it through the API).
     */
    public void setFaults(String cluster, List<Fault> faults) {
        addCluster(cluster, faults);
    }

    /** How many nodes each DaemonSet is scheduled on, in every cluster, from the next spec change on. */
    public WorkloadSimulator setNodes(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster has at least one node: " + nodes);
        }
        this.nodes = nodes;
        return this;
    }

    public Set<String> clusters() {
        return Set.copyOf(listeners.keySet());
    }

    @Override
    public void close() {
        listeners.forEach((cluster, listener) -> server.store(cluster).removeListener(listener));
        listeners.clear();
        scheduler.shutdownNow();
    }

    private boolean has(String cluster, Class<? extends Fault> kind) {
        return server.store(cluster).has(kind);
    }

    /** Called under the store's lock: only hands the work to the scheduler. */
    private void onChange(String cluster, ClusterStore.Change change) {
        if (change.path().contains("/" + GatewayApi.GROUP + "/")) {
            onGatewayChange(cluster, change);
            return;
        }
        if (change.path().contains("/secrets") && isCacerts(change)) {
            casChanged.add(cluster);
            scheduleRootsRecheck();
        }
        if ((change.before() == null || change.after() == null) && change.path().contains("/deployments")
                && isIstiodChange(change)) {
            // An istiod came or went: the namespaces whose cacerts count for peering changed.
            casChanged.add(cluster);
            scheduleRootsRecheck();
        }
        // A create by POST names the collection (".../secrets"), a server-side apply or an update the object.
        if (change.after() != null && (change.path().contains("/secrets") || change.path().contains("/serviceaccounts"))) {
            String namespace = namespaceOf(change.path());
            if (namespace != null) {
                scheduler.execute(() -> fillTokens(cluster, namespace));
            }
            return;
        }
        if (change.after() == null || !(change.path().contains("/deployments") || change.path().contains("/daemonsets"))) {
            return;
        }
        try {
            JsonNode after = JSON.readTree(change.after());
            JsonNode before = change.before() == null ? null : JSON.readTree(change.before());
            long generation = after.path("metadata").path("generation").asLong();
            boolean specChanged = before == null || before.path("metadata").path("generation").asLong() != generation;
            if (specChanged && workloadKind(after) != null) {
                scheduleReady(cluster, after, generation, readyAfter);
            }
        } catch (Exception e) {
            LOG.warn("workload simulator: cannot read a change in cluster {}: {}", cluster, e.toString());
        }
    }

    private void onGatewayChange(String cluster, ClusterStore.Change change) {
        try {
            JsonNode object = JSON.readTree(change.after() != null ? change.after() : change.before());
            String path = GatewayApi.gatewaysPath(object.path("metadata").path("namespace").asText(),
                    object.path("metadata").path("name").asText());
            scheduler.execute(() -> {
                boolean wasPeered = peering.peered(cluster);
                peering.gatewayChanged(cluster, path);
                if (wasPeered != peering.peered(cluster)) {
                    scheduleRootsRecheck();
                }
            });
        } catch (Exception e) {
            LOG.warn("workload simulator: cannot read a Gateway change in cluster {}: {}", cluster, e.toString());
        }
    }

    private static boolean isCacerts(ClusterStore.Change change) {
        String text = change.after() != null ? change.after() : change.before();
        if (text == null || !text.contains("\"" + Peering.CACERTS + "\"")) {
            return false;
        }
        try {
            return Peering.CACERTS.equals(JSON.readTree(text).path("metadata").path("name").asText());
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isIstiodChange(ClusterStore.Change change) {
        try {
            return isIstiod(JSON.readTree(change.after() != null ? change.after() : change.before()));
        } catch (Exception e) {
            return false;
        }
    }

    /** istiod, by the name every chart gives it ({@code istiod}, {@code istiod-<revision>}). */
    static boolean isIstiod(JsonNode deployment) {
        return deployment.path("metadata").path("name").asText().startsWith("istiod");
    }

    /** Coalesces changes of the peered clusters' CAs into one look at their istiods. */
    private void scheduleRootsRecheck() {
        if (rootsRecheckPending.compareAndSet(false, true)) {
            scheduler.execute(this::recheckRoots);
        }
    }

    /**
     * The peered clusters' CAs changed: an istiod held for them is released once they chain to one root (or its cluster
     * is no longer peered), and a ready istiod of a peered cluster is held while they do not.
     */
    private void recheckRoots() {
        rootsRecheckPending.set(false);
        for (String cluster : List.copyOf(casChanged)) {
            casChanged.remove(cluster);
            peering.casChanged(cluster);
        }
        Optional<String> problem = peering.rootsProblem();
        for (String key : new ArrayList<>(heldByRoots)) {
            int bar = key.indexOf('|');
            String cluster = key.substring(0, bar);
            String path = key.substring(bar + 1);
            ObjectNode live = listeners.containsKey(cluster) ? get(cluster, path) : null;
            if (live == null) {
                heldByRoots.remove(key);
            } else if (problem.isEmpty() || !peering.peered(cluster)
                    || !unavailableMessage(live).equals(notReadyForRoots(problem.get()))) {
                heldByRoots.remove(key);
                markReady(cluster, path, live.path("metadata").path("generation").asLong());
            }
        }
        if (problem.isEmpty()) {
            return;
        }
        for (String cluster : peering.peeredClusters()) {
            ObjectNode deployments = listeners.containsKey(cluster) ? get(cluster, "/apis/apps/v1/deployments") : null;
            if (deployments == null) {
                continue;
            }
            for (JsonNode d : deployments.path("items")) {
                long generation = d.path("metadata").path("generation").asLong();
                String path = objectPath(d);
                if (isIstiod(d) && !heldByRoots.contains(cluster + "|" + path) && isReady(d)
                        && d.path("status").path("observedGeneration").asLong(-1) == generation) {
                    markReady(cluster, path, generation);
                }
            }
        }
    }

    private static String notReadyForRoots(String problem) {
        return "istiod is not ready: " + problem;
    }

    private static String unavailableMessage(JsonNode deployment) {
        for (JsonNode c : deployment.path("status").path("conditions")) {
            if ("Available".equals(c.path("type").asText())) {
                return c.path("message").asText();
            }
        }
        return "";
    }

    private static String namespaceOf(String path) {
        String marker = "/namespaces/";
        int at = path.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int end = path.indexOf('/', at + marker.length());
        return end < 0 ? null : path.substring(at + marker.length(), end);
    }

    /**
     * Kubernetes' token controller: a Secret of type {@code kubernetes.io/service-account-token} whose ServiceAccount
     * ({@code kubernetes.io/service-account.name}) exists gets {@code data.token}, {@code data.ca.crt} and
     * {@code data.namespace}; while the ServiceAccount is missing it stays empty (the real controller would delete it,
     * and a reader of the token waits either way). The token is opaque test data, unique per Secret.
     */
    private void fillTokens(String cluster, String namespace) {
        if (!listeners.containsKey(cluster)) {
            return;
        }
        ObjectNode list = get(cluster, "/api/v1/namespaces/" + namespace + "/secrets");
        if (list == null) {
            return;
        }
        for (JsonNode secret : list.path("items")) {
            if (!"kubernetes.io/service-account-token".equals(secret.path("type").asText())
                    || !secret.path("data").path("token").asText().isEmpty()) {
                continue;
            }
            String account = secret.path("metadata").path("annotations").path("kubernetes.io/service-account.name")
                    .asText();
            if (account.isEmpty() || get(cluster, "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + account) == null) {
                continue;
            }
            ObjectNode filled = ((ObjectNode) secret).deepCopy();
            filled.with("metadata").remove("resourceVersion");
            String uid = secret.path("metadata").path("uid").asText();
            ObjectNode data = filled.putObject("data");
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            data.put("token", b64.encodeToString(("sim-token." + cluster + "." + namespace + "." + account + "." + uid)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            data.put("ca.crt", b64.encodeToString(("-----BEGIN CERTIFICATE-----\nsimulated CA of " + cluster
                    + "\n-----END CERTIFICATE-----\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            data.put("namespace", b64.encodeToString(namespace.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            String path = "/api/v1/namespaces/" + namespace + "/secrets/" + secret.path("metadata").path("name").asText();
            MockResponse response = server.store(cluster).call("PUT", path, JSON_TYPE, filled.toString());
            if (response.code() >= 300) {
                LOG.warn("workload simulator: token of {} in cluster {} not written: HTTP {}", path, cluster,
                        response.code());
            }
        }
    }

    private void rescan(String cluster) {
        for (String kind : List.of("deployments", "daemonsets")) {
            MockResponse list = server.store(cluster).call("GET", "/apis/apps/v1/" + kind, null, null);
            try {
                for (JsonNode item : JSON.readTree(list.getBody().getBytes()).path("items")) {
                    long generation = item.path("metadata").path("generation").asLong();
                    boolean observed = item.path("status").path("observedGeneration").asLong(-1) == generation;
                    boolean crashing = has(cluster, Fault.CrashAfterReady.class);
                    if (!observed) {
                        scheduleReady(cluster, item, generation, readyAfter);
                    } else if (isReady(item)) {
                        if (crashing) {
                            // crash-after-ready set at run time: what runs now crashes as if it had just become ready.
                            scheduleCrash(cluster, objectPath(item), generation);
                        }
                    } else if (!crashing) {
                        // Crashed, or held back by never-ready, and that fault is gone: the pods come back.
                        scheduleReady(cluster, item, generation, readyAfter);
                    }
                }
            } catch (Exception e) {
                LOG.warn("workload simulator: cannot list {} in cluster {}: {}", kind, cluster, e.toString());
            }
        }
    }

    private void scheduleReady(String cluster, JsonNode object, long generation, Duration delay) {
        String path = objectPath(object);
        scheduler.schedule(() -> markReady(cluster, path, generation), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void markReady(String cluster, String path, long generation) {
        if (!listeners.containsKey(cluster) || has(cluster, Fault.NeverReady.class)) {
            return;
        }
        ObjectNode live = get(cluster, path);
        if (live == null || live.path("metadata").path("generation").asLong() != generation) {
            return; // gone, or changed again: the newer change has its own timer
        }
        if ("DaemonSet".equals(live.path("kind").asText())) {
            int n = nodes;
            JsonNode before = live.path("status");
            // A rollout of this spec already under way (held back by never-ready, or crashed) goes on from the nodes
            // it rolled, as the DaemonSet controller does; it never starts again from the first node.
            boolean resuming = before.path("observedGeneration").asLong(-1) == generation;
            int updated = before.path("updatedNumberScheduled").asInt(0);
            // Old pods serve on the nodes not yet rolled only if they were all available before this spec.
            boolean oldPodsServe = resuming
                    ? updated < n && before.path("numberAvailable").asInt(0) >= n
                    : before.path("numberAvailable").asInt(0) >= n && before.path("desiredNumberScheduled").asInt(0) == n;
            // One rollout per DaemonSet at a time: a later start (a rescan) supersedes an earlier one.
            int rollout = rollouts.merge(cluster + path, 1, Integer::sum);
            rollNode(cluster, path, generation, n, resuming ? Math.min(n, updated + 1) : 1, oldPodsServe, rollout);
            return;
        }
        Optional<String> refused = PodAdmission.refusal(live, () -> namespaceLabels(cluster, live),
                webhookConfigurations(cluster), this::istiodAnswersAt);
        if (refused.isPresent()) {
            // Its pods are refused at admission: no pod, as long as the webhook does not answer. Looked at again later,
            // as the ReplicaSet controller retries.
            writeStatus(cluster, path, live, false, refused.get(), null);
            scheduler.schedule(() -> markReady(cluster, path, generation),
                    Math.max(readyAfter.toMillis(), ADMISSION_RETRY.toMillis()), TimeUnit.MILLISECONDS);
            return;
        }
        String key = cluster + "|" + path;
        if (isIstiod(live) && peering.peered(cluster)) {
            Optional<String> problem = peering.rootsProblem();
            if (problem.isPresent()) {
                // Its peers would refuse the certificates it signs: it does not become ready (held until recheckRoots).
                heldByRoots.add(key);
                writeStatus(cluster, path, live, false, null, notReadyForRoots(problem.get()));
                return;
            }
        }
        heldByRoots.remove(key);
        writeStatus(cluster, path, live, true);
        if (has(cluster, Fault.CrashAfterReady.class)) {
            scheduleCrash(cluster, path, generation);
        }
    }

    private Map<String, String> namespaceLabels(String cluster, JsonNode workload) {
        ObjectNode namespace = get(cluster, "/api/v1/namespaces/" + workload.path("metadata").path("namespace").asText());
        return namespace == null ? Map.of() : PodAdmission.labels(namespace.path("metadata").path("labels"));
    }

    private List<JsonNode> webhookConfigurations(String cluster) {
        ObjectNode list = get(cluster, "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations");
        List<JsonNode> items = new ArrayList<>();
        if (list != null) {
            list.path("items").forEach(items::add);
        }
        return items;
    }

    /**
     * Whether an istiod answers at a host, as an external control plane's address does (seed 004): some simulated
     * cluster routes the host through an Istio Gateway ({@code networking.istio.io/v1}, a server listing the host) and
     * runs a ready istiod Deployment.
     */
    private boolean istiodAnswersAt(String host) {
        for (String cluster : listeners.keySet()) {
            if (has(cluster, Fault.Unreachable.class)) {
                continue;
            }
            ObjectNode gateways = get(cluster, "/apis/networking.istio.io/v1/gateways");
            boolean routed = false;
            if (gateways != null) {
                for (JsonNode gateway : gateways.path("items")) {
                    for (JsonNode server : gateway.path("spec").path("servers")) {
                        for (JsonNode h : server.path("hosts")) {
                            routed |= h.asText().equals(host);
                        }
                    }
                }
            }
            if (!routed) {
                continue;
            }
            ObjectNode deployments = get(cluster, "/apis/apps/v1/deployments");
            if (deployments != null) {
                for (JsonNode d : deployments.path("items")) {
                    if (d.path("metadata").path("name").asText().startsWith("istiod") && isReady(d)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** One step of a DaemonSet's rolling update: {@code updated} of {@code n} nodes run the new pod. */
    private void rollNode(String cluster, String path, long generation, int n, int updated, boolean oldPodsServe,
            int rollout) {
        if (!listeners.containsKey(cluster) || has(cluster, Fault.NeverReady.class)
                || rollouts.getOrDefault(cluster + path, 0) != rollout) {
            return;
        }
        ObjectNode live = get(cluster, path);
        if (live == null || live.path("metadata").path("generation").asLong() != generation) {
            return;
        }
        int available = oldPodsServe ? n : updated;
        writeDaemonSetStatus(cluster, path, live, n, updated, available);
        if (updated < n) {
            scheduler.schedule(() -> rollNode(cluster, path, generation, n, updated + 1, oldPodsServe, rollout),
                    readyAfter.toMillis(), TimeUnit.MILLISECONDS);
        } else if (has(cluster, Fault.CrashAfterReady.class)) {
            scheduleCrash(cluster, path, generation);
        }
    }

    private void scheduleCrash(String cluster, String path, long generation) {
        scheduler.schedule(() -> crash(cluster, path, generation), readyAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void crash(String cluster, String path, long generation) {
        if (!listeners.containsKey(cluster) || !has(cluster, Fault.CrashAfterReady.class)) {
            return; // the fault was cleared before the crash was due
        }
        ObjectNode live = get(cluster, path);
        if (live != null && live.path("metadata").path("generation").asLong() == generation) {
            writeStatus(cluster, path, live, false);
        }
    }

    private ObjectNode get(String cluster, String path) {
        return server.store(cluster).object(path);
    }

    private void writeStatus(String cluster, String path, ObjectNode live, boolean ready) {
        writeStatus(cluster, path, live, ready, null, null);
    }

    /**
     * {@code podsRefused}: why no pod of a Deployment could be created (its ReplicaFailure condition), or null;
     * {@code unavailable}: why its pods run but are not ready (the message of its Available condition), or null.
     */
    private void writeStatus(String cluster, String path, ObjectNode live, boolean ready, String podsRefused,
            String unavailable) {
        ObjectNode object = live.deepCopy();
        // No resourceVersion: the simulator owns status and must not lose a race with a spec write.
        object.with("metadata").remove("resourceVersion");
        long generation = object.path("metadata").path("generation").asLong();
        ObjectNode status = object.putObject("status").put("observedGeneration", generation);
        if ("Deployment".equals(object.path("kind").asText())) {
            int replicas = object.path("spec").path("replicas").asInt(1);
            int readyCount = ready ? replicas : 0;
            status.put("replicas", replicas).put("updatedReplicas", replicas)
                    .put("readyReplicas", readyCount).put("availableReplicas", readyCount);
            if (!ready) {
                status.put("unavailableReplicas", replicas);
            }
            var conditions = status.putArray("conditions");
            ObjectNode available = conditions.addObject().put("type", "Available").put("status", ready ? "True" : "False")
                    .put("reason", ready ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable");
            if (unavailable != null) {
                available.put("message", unavailable);
            }
            conditions.addObject().put("type", "Progressing").put("status", "True")
                    .put("reason", "NewReplicaSetAvailable");
            if (podsRefused != null) {
                status.put("replicas", 0).put("updatedReplicas", 0);
                conditions.addObject().put("type", "ReplicaFailure").put("status", "True")
                        .put("reason", "FailedCreate").put("message", podsRefused);
            }
        } else {
            int n = live.path("status").path("desiredNumberScheduled").asInt(nodes);
            daemonSetStatus(status, n, n, ready ? n : 0);
        }
        putStatus(cluster, path, object);
    }

    private void writeDaemonSetStatus(String cluster, String path, ObjectNode live, int n, int updated, int available) {
        ObjectNode object = live.deepCopy();
        object.with("metadata").remove("resourceVersion");
        ObjectNode status = object.putObject("status").put("observedGeneration",
                object.path("metadata").path("generation").asLong());
        daemonSetStatus(status, n, updated, available);
        putStatus(cluster, path, object);
    }

    private static void daemonSetStatus(ObjectNode status, int n, int updated, int available) {
        status.put("desiredNumberScheduled", n).put("currentNumberScheduled", n).put("updatedNumberScheduled", updated)
                .put("numberMisscheduled", 0).put("numberReady", available).put("numberAvailable", available);
        if (available < n) {
            status.put("numberUnavailable", n - available);
        }
    }

    private void putStatus(String cluster, String path, ObjectNode object) {
        MockResponse response = server.store(cluster).call("PUT", path + "/status", JSON_TYPE, object.toString());
        if (response.code() >= 300) {
            LOG.warn("workload simulator: status of {} in cluster {} not written: HTTP {}", path, cluster, response.code());
        }
    }

    private void createUnmanagedIstio(String cluster) {
        ClusterStore store = server.store(cluster);
        store.call("POST", "/api/v1/namespaces", JSON_TYPE,
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"istio-system\"}}");
        String deployment = """
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"istiod","namespace":"istio-system",
                   "labels":{"app":"istiod","istio.io/rev":"default"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"istiod"}},
                   "template":{"metadata":{"labels":{"app":"istiod","istio.io/rev":"default"}},
                     "spec":{"containers":[{"name":"discovery","image":"docker.io/istio/pilot:1.22.0"}]}}}}""";
        MockResponse created = store.call("POST", "/apis/apps/v1/namespaces/istio-system/deployments", JSON_TYPE, deployment);
        if (created.code() == 201) {
            String path = "/apis/apps/v1/namespaces/istio-system/deployments/istiod";
            ObjectNode live = get(cluster, path);
            if (live != null) {
                writeStatus(cluster, path, live, true);
            }
        }
    }

    private static String workloadKind(JsonNode object) {
        String kind = object.path("kind").asText();
        boolean apps = object.path("apiVersion").asText().equals("apps/v1");
        return apps && (kind.equals("Deployment") || kind.equals("DaemonSet")) ? kind : null;
    }

    private static boolean isReady(JsonNode object) {
        JsonNode status = object.path("status");
        if ("Deployment".equals(object.path("kind").asText())) {
            return status.path("readyReplicas").asInt(0) >= object.path("spec").path("replicas").asInt(1);
        }
        int desired = status.path("desiredNumberScheduled").asInt(0);
        return desired > 0 && status.path("numberReady").asInt(0) >= desired
                && status.path("updatedNumberScheduled").asInt(0) >= desired;
    }

    private static String objectPath(JsonNode object) {
        String plural = "Deployment".equals(object.path("kind").asText()) ? "deployments" : "daemonsets";
        return "/apis/apps/v1/namespaces/" + object.path("metadata").path("namespace").asText() + "/" + plural + "/"
                + object.path("metadata").path("name").asText();
    }
}
