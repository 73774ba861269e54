package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshfleet.translation.EcpSpec.Problem;
import dev.meshfleet.translation.EcpSpec.Remote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ExternalControlPlane rules a structural schema cannot say (seed 004, docs/adr/0031), each naming its field.
 * Pure.
 * <ul>
 * <li>exactly one config cluster: the entry with {@code configCluster: true}, else the first entry; two entries saying
 * true, or a first entry saying false with no other saying true, are refused;</li>
 * <li>{@code external.address} is a DNS hostname: remote clusters' webhook URLs and the Gateway's hosts take it as it
 * is, so a scheme, port, path, IP address or upper case would be a webhook that never answers;</li>
 * <li>no remote cluster is the external cluster (its namespace would hold both the external istiod and the remote
 * profile's webhook, which points at itself through the gateway);</li>
 * <li>names are DNS labels, no remote cluster twice, required fields present, {@code version} a patch version;</li>
 * <li>{@code istioOperatorSpec} sets nothing Meshfleet derives from the spec, and only what the external istiod
 * takes ({@code meshConfig}, {@code values.global}, {@code values.pilot}, {@code values.meshConfig},
 * {@code components.pilot.k8s}).</li>
 * </ul>
 */
public final class EcpValidator {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_63 = Pattern.compile("[^.]{1,63}(\\.[^.]{1,63})*");
    private static final Pattern IPV4 = Pattern.compile("\\d+(\\.\\d+){3}");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

    /** istioOperatorSpec paths Meshfleet sets on the external istiod, with the spec field each comes from. */
    static final Map<String, String> DERIVED = new java.util.LinkedHashMap<>();

    static {
        DERIVED.put("hub", "spec.hub");
        DERIVED.put("tag", "spec.tag");
        DERIVED.put("namespace", "spec.external.namespace");
        DERIVED.put("revision", "spec.external.namespace (an external istiod is revisionless)");
        DERIVED.put("meshConfig.rootNamespace", "spec.external.namespace");
        DERIVED.put("meshConfig.defaultConfig.discoveryAddress", "spec.external.address");
        DERIVED.put("values.global.istioNamespace", "spec.external.namespace");
        DERIVED.put("values.global.caAddress", "spec.external.address");
        DERIVED.put("values.global.meshID", "spec.meshID");
        DERIVED.put("values.global.network", "spec.network");
        DERIVED.put("values.global.externalIstiod", "the external cluster's role");
        DERIVED.put("values.global.operatorManageWebhooks", "the external cluster's role");
        DERIVED.put("values.global.multiCluster.clusterName", "the config cluster (spec.remoteClusters)");
        DERIVED.put("values.pilot.env.EXTERNAL_ISTIOD", "the external cluster's role");
        DERIVED.put("values.pilot.env.CLUSTER_ID", "the config cluster (spec.remoteClusters)");
        DERIVED.put("values.pilot.env.SHARED_MESH_CONFIG", "the external cluster's role");
        DERIVED.put("values.pilot.env.INJECTION_WEBHOOK_CONFIG_NAME", "the external cluster's role");
        DERIVED.put("values.pilot.env.VALIDATION_WEBHOOK_CONFIG_NAME", "the external cluster's role");
    }

    /** The parts of an IstioOperator spec the external istiod takes, by path; everything else is refused. */
    private static final Map<String, List<String>> TAKEN = Map.of("", List.of("meshConfig", "values", "components"),
            "values", List.of("global", "pilot", "meshConfig"), "components", List.of("pilot"),
            "components.pilot", List.of("k8s"));

    private EcpValidator() {
    }

    public static List<Problem> validate(EcpSpec spec) {
        List<Problem> problems = new ArrayList<>();
        label(spec.externalCluster(), "spec.external.cluster", "the registered cluster that runs the external istiod",
                problems);
        String nsProblem = Labels.checkDnsLabel(spec.externalNamespace());
        if (nsProblem != null) {
            problems.add(new Problem("spec.external.namespace", nsProblem));
        }
        address(spec.address(), problems);
        if (spec.tlsSecretName().isEmpty()) {
            problems.add(new Problem("spec.external.tlsSecretName", "is required: the TLS Secret of the address in the"
                    + " external cluster's istio-system (the ingress gateway's credentialName)"));
        } else if (!HOSTNAME.matcher(spec.tlsSecretName()).matches()) {
            problems.add(new Problem("spec.external.tlsSecretName", "'" + spec.tlsSecretName() + "' is not a Secret name"
                    + " (lower-case letters, digits, '-' and '.')"));
        }
        if (spec.meshID().isEmpty()) {
            problems.add(new Problem("spec.meshID", "is required: the mesh ID every proxy of the mesh carries, such as"
                    + " mesh1"));
        }
        if (!spec.version().isEmpty() && !VERSION.matcher(spec.version()).matches()) {
            problems.add(new Problem("spec.version", "'" + spec.version() + "' is not an Istio patch version; write one"
                    + " such as 1.24.2"));
        }
        remotes(spec, problems);
        istioOperatorSpec(spec.istioOperatorSpec(), problems);
        return problems;
    }

    /** The config cluster's entry: the one saying configCluster true, else the first; null when there is none. */
    public static Remote configCluster(List<Remote> remotes) {
        for (Remote r : remotes) {
            if (Boolean.TRUE.equals(r.configCluster())) {
                return r;
            }
        }
        return remotes.isEmpty() || Boolean.FALSE.equals(remotes.get(0).configCluster()) ? null : remotes.get(0);
    }

    private static void remotes(EcpSpec spec, List<Problem> problems) {
        List<Remote> remotes = spec.remoteClusters();
        if (remotes.isEmpty()) {
            problems.add(new Problem("spec.remoteClusters", "is required: at least one remote cluster, the first of"
                    + " which is the config cluster"));
            return;
        }
        Map<String, Remote> seen = new HashMap<>();
        Remote firstConfig = null;
        for (Remote r : remotes) {
            label(r.name(), r.path() + ".name", "a registered cluster that runs workloads of the mesh", problems);
            if (r.name().isEmpty()) {
                continue;
            }
            if (r.name().equals(spec.externalCluster())) {
                problems.add(new Problem(r.path() + ".name", "'" + r.name() + "' is the external cluster"
                        + " (spec.external.cluster); a remote cluster must be another cluster: the external cluster runs"
                        + " the control plane, not the remote profile that points at it"));
            }
            Remote earlier = seen.putIfAbsent(r.name(), r);
            if (earlier != null) {
                problems.add(new Problem(r.path() + ".name", "'" + r.name() + "' is also " + earlier.path()
                        + "; name each remote cluster once"));
            }
            if (Boolean.TRUE.equals(r.configCluster())) {
                if (firstConfig != null) {
                    problems.add(new Problem(r.path() + ".configCluster", "a mesh has one config cluster and "
                            + firstConfig.path() + ".configCluster is already true; set configCluster: true on one"
                            + " remote cluster only"));
                } else {
                    firstConfig = r;
                }
            }
        }
        if (configCluster(remotes) == null) {
            problems.add(new Problem("spec.remoteClusters", "names no config cluster: "
                    + remotes.get(0).path() + ".configCluster is false and no entry says true; set configCluster:"
                    + " true on the remote cluster that holds the mesh's configuration"));
        }
    }

    private static void address(String address, List<Problem> problems) {
        String path = "spec.external.address";
        if (address.isEmpty()) {
            problems.add(new Problem(path, "is required: the hostname remote clusters reach the external istiod at"
                    + " (EXTERNAL_ISTIOD_ADDR)"));
            return;
        }
        String why = null;
        if (address.contains("://")) {
            why = "has a scheme; write the hostname only (Meshfleet adds https:// and the ports)";
        } else if (address.contains(":") || address.contains("/")) {
            why = "has a port or a path; write the hostname only (Meshfleet adds :15012 and :15017)";
        } else if (IPV4.matcher(address).matches()) {
            why = "is an IP address; the ingress gateway's TLS certificate and the Gateway's hosts need a DNS hostname";
        } else if (!HOSTNAME.matcher(address).matches() || !LABEL_63.matcher(address).matches()) {
            why = "is not a DNS hostname (lower-case letters, digits, '-', labels separated by '.', at most 63 characters"
                    + " a label and 253 in all)";
        }
        if (why != null) {
            problems.add(new Problem(path, "'" + address + "' " + why));
        }
    }

    private static void label(String name, String path, String what, List<Problem> problems) {
        if (name.isEmpty()) {
            problems.add(new Problem(path, "is required: " + what));
        } else if (!Labels.isDnsLabel(name)) {
            problems.add(new Problem(path, "'" + name + "' is not a cluster name (a DNS label: lower case letters, digits"
                    + " and '-', at most 63)"));
        }
    }

    private static void istioOperatorSpec(JsonNode iop, List<Problem> problems) {
        for (var e : DERIVED.entrySet()) {
            JsonNode at = iop;
            for (String part : e.getKey().split("\\.")) {
                at = at == null ? null : at.get(part);
            }
            if (at != null && !at.isNull()) {
                problems.add(new Problem("spec.istioOperatorSpec." + e.getKey(), "is set by Meshfleet from "
                        + e.getValue() + "; remove it"));
            }
        }
        taken("", iop, problems);
        JsonNode pilot = iop.path("components").path("pilot");
        if (pilot.has("k8s")) {
            List<String[]> k8sProblems = new ArrayList<>();
            K8sFields.check(K8sFields.Component.PILOT, "spec.istioOperatorSpec.components.pilot.k8s", pilot.get("k8s"),
                    k8sProblems);
            k8sProblems.forEach(p -> problems.add(new Problem(p[0], p[1])));
        }
    }

    private static void taken(String at, JsonNode node, List<Problem> problems) {
        List<String> fields = TAKEN.get(at);
        if (fields == null || node == null || !node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(f -> {
            String path = at.isEmpty() ? f : at + "." + f;
            if (DERIVED.containsKey(path)) {
                return; // already refused, with the field it comes from
            }
            if (!fields.contains(f)) {
                problems.add(new Problem("spec.istioOperatorSpec." + path, "is not taken by an ExternalControlPlane: the"
                        + " external istiod takes meshConfig, values.global, values.pilot, values.meshConfig and"
                        + " components.pilot.k8s; the other components are Meshfleet's (docs/adr/0031)"));
            } else {
                taken(path, node.get(f), problems);
            }
        });
    }
}
