package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An ExternalControlPlane's spec (seed 004, {@code meshfleet.dev/v1alpha1}, docs/adr/0031) as typed values, with the
 * CRD's defaults filled in (the plan preview reads files, not an API server). {@link #read} checks what the structural
 * schema checks at apply (types); the rules across fields are {@link EcpValidator}'s. Strings absent are "".
 */
public record EcpSpec(String externalCluster, String externalNamespace, String address, String tlsSecretName,
        String version, String hub, String tag, String meshID, String network, List<Remote> remoteClusters,
        ObjectNode istioOperatorSpec, boolean skipUpgradeValidation) {

    static final String DEFAULT_NAMESPACE = "external-istiod";

    /**
     * One entry of {@code spec.remoteClusters}: its index, name, {@code configCluster} as written (null when absent),
     * its own network ("" for the spec's) and API server address ("" for the registration's).
     */
    public record Remote(int index, String name, Boolean configCluster, String network, String apiServerAddress) {
        public String path() {
            return "spec.remoteClusters[" + index + "]";
        }
    }

    /** A field that is wrong: its path and what to write instead. */
    public record Problem(String path, String message) {
        public String describe() {
            return path + ": " + message;
        }
    }

    public EcpSpec {
        remoteClusters = List.copyOf(remoteClusters);
        istioOperatorSpec = istioOperatorSpec == null ? Json.object() : istioOperatorSpec.deepCopy();
    }

    @Override
    public ObjectNode istioOperatorSpec() {
        return istioOperatorSpec.deepCopy();
    }

    /** The remote cluster's network: its own, else the spec's. */
    public String networkOf(Remote remote) {
        return remote.network().isEmpty() ? network : remote.network();
    }

    /**
     * The spec as stored, or null with {@code problems} filled when a field is not of its schema type. Absent fields
     * take the CRD's defaults.
     */
    public static EcpSpec read(JsonNode spec, List<Problem> problems) {
        int before = problems.size();
        if (spec == null || !spec.isObject()) {
            problems.add(new Problem("spec", "must be an object with external, meshID and remoteClusters, got "
                    + Json.describe(spec)));
            return null;
        }
        JsonNode external = object(spec, "external", "spec.external", problems);
        String cluster = string(external, "cluster", "spec.external.cluster", problems);
        String namespace = string(external, "namespace", "spec.external.namespace", problems);
        String address = string(external, "address", "spec.external.address", problems);
        String tlsSecret = string(external, "tlsSecretName", "spec.external.tlsSecretName", problems);
        String version = string(spec, "version", "spec.version", problems);
        String hub = string(spec, "hub", "spec.hub", problems);
        String tag = string(spec, "tag", "spec.tag", problems);
        String meshID = string(spec, "meshID", "spec.meshID", problems);
        String network = string(spec, "network", "spec.network", problems);
        List<Remote> remotes = remotes(spec.get("remoteClusters"), problems);
        JsonNode iop = object(spec, "istioOperatorSpec", "spec.istioOperatorSpec", problems);
        boolean skip = bool(spec, "skipUpgradeValidation", "spec.skipUpgradeValidation", problems) == Boolean.TRUE;
        if (problems.size() > before) {
            return null;
        }
        return new EcpSpec(cluster, namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace, address, tlsSecret, version,
                hub, tag, meshID, network, remotes, iop == null ? null : (ObjectNode) iop, skip);
    }

    private static List<Remote> remotes(JsonNode list, List<Problem> problems) {
        List<Remote> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            problems.add(new Problem("spec.remoteClusters", "must be a list of {name: <cluster>}, got "
                    + Json.describe(list)));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String at = "spec.remoteClusters[" + i + "]";
            if (!entry.isObject()) {
                problems.add(new Problem(at, "must be {name: <cluster>}, got " + Json.describe(entry)));
                continue;
            }
            out.add(new Remote(i, string(entry, "name", at + ".name", problems),
                    bool(entry, "configCluster", at + ".configCluster", problems),
                    string(entry, "network", at + ".network", problems),
                    string(entry, "apiServerAddress", at + ".apiServerAddress", problems)));
        }
        return out;
    }

    private static String string(JsonNode node, String field, String path, List<Problem> problems) {
        return SpecFields.string(node, field, path, (p, m) -> problems.add(new Problem(p, m)));
    }

    private static Boolean bool(JsonNode node, String field, String path, List<Problem> problems) {
        return SpecFields.bool(node, field, path, (p, m) -> problems.add(new Problem(p, m)));
    }

    private static JsonNode object(JsonNode node, String field, String path, List<Problem> problems) {
        return SpecFields.object(node, field, path, (p, m) -> problems.add(new Problem(p, m)));
    }
}
