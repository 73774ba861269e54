package dev.meshfleet.translator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translator.translate.Translator.ClusterEntry;
import dev.meshfleet.translator.translate.Translator.Installation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ILM rules: an installation becomes, per cluster, the releases istio-base (base), istiod[-rev]
 * (istiod) and, for the ambient profile, istio-cni (cni) and ztunnel (ztunnel). Gateway components
 * are ignored: gateways belong to GLMs.
 */
final class ControlPlanePlans {
    static final String DEFAULT_NAMESPACE = "istio-system";
    /** values.* keys that go to a chart other than istiod (gateways: not an ILM's business). */
    private static final Set<String> NOT_ISTIOD = Set.of("global", "base", "cni", "ztunnel", "gateways");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ControlPlanePlans() {
    }

    static void validate(String path, String revisionField, String revision, JsonNode iop, List<String[]> problems) {
        if (!ambient(iop)) {
            return;
        }
        if (!revision.isEmpty()) {
            problems.add(new String[] {path + "." + revisionField, "ambient installations cannot use a revision yet"
                    + " (in-place upgrades only); remove it or set it to \"\""});
        }
        int[] v = version(Json.text(iop, "tag"));
        if (v != null && compare(v, new int[] {1, 22, 3}) < 0) {
            problems.add(new String[] {path + ".istioOperatorSpec.tag", "ambient needs Istio 1.22.3-solo or later, got '"
                    + Json.text(iop, "tag") + "'; use a newer tag"});
        }
    }

    static Plan plan(Owner owner, long generation, Installation inst, ClusterEntry cluster, TranslatorSettings settings,
            String chartSource) {
        JsonNode iop = inst.node().get("istioOperatorSpec");
        String revision = inst.revision();
        String namespace = Json.text(iop, "namespace").isEmpty() ? DEFAULT_NAMESPACE : Json.text(iop, "namespace");
        String hub = Json.text(iop, "hub").isEmpty() ? settings.defaultHub() : Json.text(iop, "hub");
        String tag = Json.text(iop, "tag").isEmpty() ? settings.defaultTag() : Json.text(iop, "tag");
        boolean ambient = ambient(iop);
        boolean isDefault = Json.bool(cluster.node(), "defaultRevision", false);
        JsonNode values = iop.get("values");
        JsonNode components = iop.get("components");

        ObjectNode global = Json.merge(Json.objectOf(values, "global"), Json.object()
                .put("hub", hub).put("tag", tag).put("istioNamespace", namespace));

        ObjectNode base = Json.merge(Json.objectOf(values, "base"), Json.object()
                .put("defaultRevision", isDefault ? (revision.isEmpty() ? "default" : revision) : ""));
        base.set("global", Json.merge(Json.objectOf(values, "global"), Json.object().put("istioNamespace", namespace)));

        ObjectNode istiod = Json.object();
        if (values != null && values.isObject()) {
            values.fields().forEachRemaining(e -> {
                if (!NOT_ISTIOD.contains(e.getKey())) {
                    istiod.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        istiod.put("revision", revision);
        var tags = istiod.putArray("revisionTags");
        if (isDefault) {
            tags.add("default");
        }
        istiod.set("global", global);
        ObjectNode pilot = Json.merge(Json.objectOf(values, "pilot"), pilotK8s(components));
        if (ambient && deltaXdsBroken(tag)) {
            // Istio 1.22.0-1.22.3 with ambient need delta xDS off (upstream issue, fixed in 1.22.4).
            ObjectNode env = Json.objectOf(pilot, "env");
            env.put("ISTIO_DELTA_XDS", "false");
            pilot.set("env", env);
        }
        istiod.set("pilot", pilot);
        String trustDomain = Json.text(cluster.node(), "trustDomain").isEmpty() ? cluster.name()
                : Json.text(cluster.node(), "trustDomain");
        istiod.set("meshConfig", Json.objectOf(iop, "meshConfig").put("trustDomain", trustDomain));
        if (ambient) {
            istiod.put("profile", "ambient");
        }

        String suffix = revision.isEmpty() ? "" : "-" + revision;
        List<ChartRelease> charts = new ArrayList<>();
        charts.add(new ChartRelease("base", "istio-base", namespace, Canonical.json(base), chartSource));
        charts.add(new ChartRelease("istiod", "istiod" + suffix, namespace, Canonical.json(istiod), chartSource));
        JsonNode cni = components == null ? null : components.get("cni");
        if (ambient || Json.bool(cni, "enabled", false)) {
            ObjectNode cniValues = Json.object().put("revision", revision);
            cniValues.set("global", global);
            cniValues.putObject("ambient").put("enabled", ambient);
            if (ambient) {
                cniValues.put("profile", "ambient");
            }
            cniValues = Json.merge(cniValues, Json.objectOf(values, "cni"));
            String ns = Json.text(cni, "namespace").isEmpty() ? namespace : Json.text(cni, "namespace");
            charts.add(new ChartRelease("cni", "istio-cni", ns, Canonical.json(cniValues), chartSource));
        }
        if (ambient) {
            ObjectNode z = Json.object().put("revision", revision).put("profile", "ambient");
            z.set("global", global);
            z = Json.merge(z, Json.objectOf(values, "ztunnel"));
            JsonNode zc = components == null ? null : components.get("ztunnel");
            String ns = Json.text(zc, "namespace").isEmpty() ? namespace : Json.text(zc, "namespace");
            charts.add(new ChartRelease("ztunnel", "ztunnel", ns, Canonical.json(z), chartSource));
        }

        ObjectNode observed = ((ObjectNode) iop).deepCopy().put("hub", hub).put("tag", tag);
        String observedJson = Canonical.json(observed);
        boolean skip = Json.bool(inst.node(), "skipUpgradeValidation", false);
        String hash = Translator.planHash(owner, generation, cluster.name(), revision, tag, charts, isDefault, false,
                null, skip, inst.waitMillis(), observedJson);
        // Two resources installing one revision in a cluster would render the same objects under different owners.
        List<Claim> claims = new ArrayList<>();
        claims.add(new Claim(Claim.controlPlane(revision), inst.path() + ".revision"));
        if (isDefault) {
            claims.add(new Claim(Claim.DEFAULT_REVISION, inst.path() + ".clusters[" + cluster.index() + "].defaultRevision"));
        }
        return new Plan(cluster.name(), revision, tag, charts, isDefault, false, null, skip, inst.waitMillis(),
                observedJson, hash, claims);
    }

    /** components.pilot.k8s as the istiod chart's pilot.* values. */
    private static ObjectNode pilotK8s(JsonNode components) {
        JsonNode k8s = components == null ? null : components.path("pilot").get("k8s");
        ObjectNode pilot = Json.object();
        if (k8s == null || !k8s.isObject()) {
            return pilot;
        }
        if (Json.present(k8s, "env")) {
            pilot.set("env", Json.envMap(k8s.get("env")));
        }
        for (String field : List.of("resources", "nodeSelector", "affinity", "tolerations", "podAnnotations")) {
            if (Json.present(k8s, field)) {
                pilot.set(field, k8s.get(field).deepCopy());
            }
        }
        if (Json.present(k8s, "replicaCount")) {
            pilot.set("replicaCount", k8s.get("replicaCount").deepCopy());
        }
        JsonNode hpa = k8s.get("hpaSpec");
        if (hpa != null && hpa.isObject()) {
            // The istiod chart has no hpaSpec; upstream istioctl maps it onto autoscaleMin/Max.
            pilot.put("autoscaleEnabled", true);
            pilot.put("autoscaleMin", hpa.path("minReplicas").asInt(1));
            if (hpa.has("maxReplicas")) {
                pilot.put("autoscaleMax", hpa.get("maxReplicas").asInt());
            }
        }
        return pilot;
    }

    static boolean ambient(JsonNode iop) {
        return "ambient".equals(Json.text(iop, "profile"));
    }

    private static boolean deltaXdsBroken(String tag) {
        int[] v = version(tag);
        return v != null && compare(v, new int[] {1, 22, 0}) >= 0 && compare(v, new int[] {1, 22, 3}) <= 0;
    }

    private static int[] version(String tag) {
        Matcher m = VERSION.matcher(tag);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))}
                : null;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
