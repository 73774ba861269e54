package dev.meshfleet.aggregator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * A ServiceMeshController's status (seed 003, docs/adr/0027) from its folded installation: the operator's six
 * conditions and {@code phase}. Pure: the folded status, the spec (whether a CNI is installed, which cluster) and the
 * status the resource holds now (to keep a condition's {@code lastTransitionTime} while its status stays) give the
 * document; every time comes from an event, never from the clock.
 *
 * <pre>
 * observedGeneration: 1
 * phase: SUCCEEDED            # FAILED, PENDING, INSTALLING, UPDATING, UNKNOWN, UNINSTALLING, UNINSTALLED
 * conditions:
 * - {type: Initialized, status: "True", reason: ManifestsInitialized, message: Manifests initialized,
 *    observedGeneration: 1, lastTransitionTime: "2024-12-27T20:47:01Z"}
 * - CRDInstalled, ControlPlaneDeployed, CNIDeployed, WebhookDeployed, Ready (SystemReady)
 * rootOfTrust:                # once the installer wrote cacerts (docs/adr/0028)
 *   intermediateRotatesAt: "2027-08-30T10:00:00Z"
 * peers: 1/2                  # a peered controller (docs/adr/0046): links up, of all its peers (printer column PEERS)
 * peering:
 *   down:                     # the links not up, with the reason of their PeeringSucceeded condition
 *   - {cluster: cluster3, reason: AddressMismatch}
 * </pre>
 * The installation shown is the one in {@code spec.cluster} (revisionless); a translation error with no usable cluster
 * is under the whole-resource key. A failure sets the condition of its step False with the event's message, which
 * names the field or the cause; later steps are Unknown.
 *
 * <p>A peered controller has a second installation in its cluster, revision {@code peering} (its east-west and remote
 * peer Gateways). Once the control plane is HEALTHY, that installation decides {@code phase} and {@code Ready}: both
 * hold only when it is HEALTHY too (its east-west Gateway programmed with an address); otherwise {@code Ready} says why,
 * prefixed {@code peering:}. {@code peers} and {@code peering.down} come from its facts. One being uninstalled, or
 * none, leaves the status as a controller without peering has it.
 */
public final class SmcStatusDocument {
    public static final List<String> CONDITIONS = List.of("Initialized", "CRDInstalled", "ControlPlaneDeployed",
            "CNIDeployed", "WebhookDeployed", "Ready");

    /** The revision of a peered controller's second installation, the peering Gateways (docs/adr/0046). */
    public static final String PEERING_REVISION = "peering";
    /** Facts of the peering installation (InstallationEvent.facts): the peers whose link is up, and the others. */
    static final String PEERS_UP = "peers.up";
    static final String PEERS_DOWN = "peers.down";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SmcStatusDocument() {
    }

    /** One condition before its generation and time are set. */
    record Condition(String type, String status, String reason, String message) {
    }

    /**
     * @param spec     the resource's spec as stored (null when unknown): {@code cluster}, {@code dataplaneMode},
     *                 {@code trafficCaptureMode}
     * @param previous the status the resource holds now (null, or a missing node, when none)
     */
    public static ObjectNode render(LifecycleStatus status, JsonNode spec, JsonNode previous) {
        ObjectNode root = NODES.objectNode();
        root.put("observedGeneration", status.getObservedGeneration());
        String cluster = shownCluster(status, text(spec, "cluster", ""));
        if (cluster == null) {
            return root; // nothing folded yet: no phase to claim
        }
        InstallationStatus shown = controlPlane(status.getClusters().get(cluster));
        InstallationState state = InstallationState.of(ResourceKind.ServiceMeshController, shown.getState());
        InstallationStatus peering = peering(status.getClusters().get(cluster));
        Phase peeringPhase = peering == null ? null
                : InstallationState.of(ResourceKind.ServiceMeshController, peering.getState()).phase();
        // The peering installation counts once the control plane holds: before, the control plane's step decides.
        boolean peeringDecides = state.phase() == Phase.HEALTHY && peeringPhase != null
                && peeringPhase != Phase.HEALTHY;
        root.put("phase", phase(peeringDecides ? peeringPhase : state.phase()));
        Map<String, JsonNode> before = new TreeMap<>();
        JsonNode old = previous == null ? null : previous.get("conditions");
        if (old != null && old.isArray()) {
            old.forEach(c -> before.put(c.path("type").asText(), c));
        }
        Instant at = time(shown);
        if (peering != null && time(peering).isAfter(at)) {
            at = time(peering); // the newest event of the two changed whatever changed
        }
        String time = at.truncatedTo(ChronoUnit.SECONDS).toString(); // metav1.Time: RFC 3339 in seconds
        List<Condition> conditions = conditions(state.phase(), shown.getMessage(), withCni(spec));
        if (peeringDecides) {
            conditions.set(conditions.size() - 1, peeringReady(peeringPhase, peering.getMessage()));
        }
        var conditionList = root.putArray("conditions");
        for (Condition c : conditions) {
            JsonNode was = before.get(c.type());
            boolean same = was != null && c.status().equals(was.path("status").asText())
                    && was.hasNonNull("lastTransitionTime");
            conditionList.addObject().put("type", c.type()).put("status", c.status())
                    .put("observedGeneration", shown.getGeneration()).put("reason", c.reason())
                    .put("message", c.message())
                    .put("lastTransitionTime", same ? was.get("lastTransitionTime").asText() : time);
        }
        if (shown.getCaRotateAt() != null) {
            root.putObject("rootOfTrust").put("intermediateRotatesAt",
                    shown.getCaRotateAt().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (peering != null) {
            peers(root, peering.getFacts());
        }
        return root;
    }

    /**
     * {@code peers: n/m} (the printer column PEERS) and {@code peering.down} from the peering installation's facts
     * (docs/adr/0046): n the peer clusters whose link is up ({@code peers.up}), m those and the ones whose link is not
     * ({@code peers.down}, {@code cluster=Reason}). Nothing until the installer has looked at the links.
     */
    static void peers(ObjectNode root, Map<String, String> facts) {
        if (facts == null || !facts.containsKey(PEERS_UP) && !facts.containsKey(PEERS_DOWN)) {
            return;
        }
        List<String> up = list(facts.get(PEERS_UP));
        List<String> down = list(facts.get(PEERS_DOWN));
        root.put("peers", up.size() + "/" + (up.size() + down.size()));
        if (down.isEmpty()) {
            return;
        }
        var links = root.putObject("peering").putArray("down");
        for (String link : down) {
            int eq = link.indexOf('=');
            links.addObject().put("cluster", eq < 0 ? link : link.substring(0, eq))
                    .put("reason", eq < 0 ? "Pending" : link.substring(eq + 1));
        }
    }

    /** Ready while the control plane holds and its peering installation does not (yet). */
    static Condition peeringReady(Phase peering, String message) {
        String why = "peering: " + (message == null || message.isEmpty() ? peering.name() : message);
        return switch (peering) {
            case HEALTHY -> new Condition("Ready", "True", "SystemReady", "All conditions are met");
            case FAILED, CONTROLLER_INSTALL_FAILED, INSTALL_FAILED, UNHEALTHY, ACTION_REQUIRED ->
                new Condition("Ready", "False", "PeeringNotReady", why);
            case UNKNOWN -> new Condition("Ready", "Unknown", "ClusterUnreachable", why);
            case PENDING, NO_CONTROL_PLANE_AVAILABLE, INSTALL_PENDING -> new Condition("Ready", "Unknown", "Pending", why);
            case INSTALLING_CONTROLLER, INSTALLING -> new Condition("Ready", "Unknown", "Deploying", why);
            case UPDATING -> new Condition("Ready", "Unknown", "Updating", why);
            case RECONCILING -> new Condition("Ready", "Unknown", "Reconciling", why);
            case UNINSTALLING, UNINSTALLED -> throw new IllegalArgumentException("an uninstalled peering does not count");
        };
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static Instant time(InstallationStatus i) {
        return i.getUpdatedAt() == null ? Instant.EPOCH : i.getUpdatedAt();
    }

    /** Ambient, or Sidecar with {@code trafficCaptureMode: Auto} (the CRD's defaults: Ambient, Auto), installs the CNI. */
    static boolean withCni(JsonNode spec) {
        return !"Sidecar".equals(text(spec, "dataplaneMode", "Ambient"))
                || !"InitContainer".equals(text(spec, "trafficCaptureMode", "Auto"));
    }

    /** {@code phase}: SUCCEEDED when all hold, FAILED when a step failed, else what is under way or awaited. */
    static String phase(Phase phase) {
        return switch (phase) {
            case HEALTHY -> "SUCCEEDED";
            case FAILED, CONTROLLER_INSTALL_FAILED, INSTALL_FAILED, UNHEALTHY, ACTION_REQUIRED -> "FAILED";
            case PENDING, NO_CONTROL_PLANE_AVAILABLE -> "PENDING";
            case INSTALL_PENDING, INSTALLING_CONTROLLER, INSTALLING -> "INSTALLING";
            case UPDATING, RECONCILING -> "UPDATING";
            case UNKNOWN -> "UNKNOWN";
            case UNINSTALLING -> "UNINSTALLING";
            case UNINSTALLED -> "UNINSTALLED";
        };
    }

    /** The six conditions for a phase; {@code message} is the event's (it names the cause of a failure). */
    static List<Condition> conditions(Phase phase, String message, boolean cni) {
        List<Condition> out = new ArrayList<>();
        String why = message == null || message.isEmpty() ? phase.name() : message;
        Condition initialized = new Condition("Initialized", "True", "ManifestsInitialized", "Manifests initialized");
        Condition crds = new Condition("CRDInstalled", "True", "CRDInstalled", "CRDs installed");
        List<Condition> deployed = deployed(cni);
        Condition ready = new Condition("Ready", "True", "SystemReady", "All conditions are met");
        switch (phase) {
            case HEALTHY -> {
                out.add(initialized);
                out.add(crds);
                out.addAll(deployed);
                out.add(ready);
            }
            case FAILED -> {
                out.add(new Condition("Initialized", "False", "InitializationFailed", why));
                unknownFrom(out, 1, "Pending", "waits for Initialized");
            }
            case PENDING, NO_CONTROL_PLANE_AVAILABLE -> {
                out.add(new Condition("Initialized", "Unknown", "Pending", why));
                unknownFrom(out, 1, "Pending", "waits for Initialized");
            }
            case INSTALL_PENDING -> {
                out.add(initialized);
                unknownFrom(out, 1, "Installing", why);
            }
            case INSTALLING_CONTROLLER -> {
                out.add(initialized);
                out.add(new Condition("CRDInstalled", "Unknown", "Installing", why));
                unknownFrom(out, 2, "Pending", "waits for CRDInstalled");
            }
            case CONTROLLER_INSTALL_FAILED -> {
                out.add(initialized);
                out.add(new Condition("CRDInstalled", "False", "InstallFailed", why));
                unknownFrom(out, 2, "Pending", "waits for CRDInstalled");
            }
            case INSTALLING, UPDATING, RECONCILING -> {
                out.add(initialized);
                out.add(crds);
                String reason = phase == Phase.INSTALLING ? "Deploying" : phase == Phase.UPDATING ? "Updating" : "Reconciling";
                deployed.forEach(d -> out.add(new Condition(d.type(), "Unknown", reason, why)));
                out.add(new Condition("Ready", "Unknown", reason, why));
            }
            case INSTALL_FAILED -> {
                out.add(initialized);
                out.add(crds);
                out.add(new Condition("ControlPlaneDeployed", "False", "DeploymentFailed", why));
                unknownFrom(out, 3, "Pending", "waits for ControlPlaneDeployed");
            }
            case UNHEALTHY -> {
                out.add(initialized);
                out.add(crds);
                out.addAll(deployed);
                out.add(new Condition("Ready", "False", "NotReady", why));
            }
            case ACTION_REQUIRED -> {
                out.add(initialized);
                out.add(new Condition("CRDInstalled", "False", "ActionRequired", why));
                unknownFrom(out, 2, "Pending", "waits for CRDInstalled");
            }
            case UNKNOWN -> unknownFrom(out, 0, "ClusterUnreachable", why);
            case UNINSTALLING, UNINSTALLED -> {
                String reason = phase == Phase.UNINSTALLING ? "Uninstalling" : "Uninstalled";
                CONDITIONS.forEach(t -> out.add(new Condition(t, "False", reason, why)));
            }
        }
        return out;
    }

    private static List<Condition> deployed(boolean cni) {
        return List.of(new Condition("ControlPlaneDeployed", "True", "DeploymentSucceeded", "Deployment succeeded"),
                cni ? new Condition("CNIDeployed", "True", "DeploymentSucceeded", "Deployment succeeded")
                        : new Condition("CNIDeployed", "True", "NotRequired",
                                "trafficCaptureMode InitContainer captures in the pod: no CNI to deploy"),
                new Condition("WebhookDeployed", "True", "DeploymentSucceeded", "Deployment succeeded"));
    }

    private static void unknownFrom(List<Condition> out, int from, String reason, String message) {
        for (int i = from; i < CONDITIONS.size(); i++) {
            out.add(new Condition(CONDITIONS.get(i), "Unknown", reason, message));
        }
    }

    /**
     * The cluster whose installation is shown: the spec's cluster; else the whole-resource error; else the first with a
     * control plane installation. Null when none has one yet.
     */
    private static String shownCluster(LifecycleStatus status, String cluster) {
        Map<String, ClusterStatus> clusters = new TreeMap<>(status.getClusters());
        for (String key : List.of(cluster, StatusDocument.WHOLE_RESOURCE)) {
            if (controlPlane(clusters.get(key)) != null) {
                return key;
            }
        }
        return clusters.entrySet().stream().filter(e -> controlPlane(e.getValue()) != null).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** A cluster's control plane installation: any but the peering one (revisionless, as the translator plans it). */
    private static InstallationStatus controlPlane(ClusterStatus cluster) {
        if (cluster == null) {
            return null;
        }
        return new TreeMap<>(cluster.getInstallations()).entrySet().stream()
                .filter(e -> !PEERING_REVISION.equals(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The cluster's peering installation (docs/adr/0046), null when it has none or it is uninstalled or going. */
    private static InstallationStatus peering(ClusterStatus cluster) {
        InstallationStatus peering = cluster == null ? null : cluster.getInstallations().get(PEERING_REVISION);
        if (peering == null) {
            return null;
        }
        Phase phase = InstallationState.of(ResourceKind.ServiceMeshController, peering.getState()).phase();
        return phase == Phase.UNINSTALLING || phase == Phase.UNINSTALLED ? null : peering;
    }

    private static String text(JsonNode spec, String field, String otherwise) {
        JsonNode v = spec == null ? null : spec.get(field);
        return v != null && v.isTextual() ? v.asText() : otherwise;
    }
}
