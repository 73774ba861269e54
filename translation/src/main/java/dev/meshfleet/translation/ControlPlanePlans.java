package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translation.Translator.ClusterEntry;
import dev.meshfleet.translation.Translator.Installation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final Set<String> NOT_ISTIOD = Set.of("global", "base", "cni", "ztunnel");
    /** The control plane components with a k8s block, by their key under components, in a fixed order (errors are output). */
    private static final Map<String, K8sFields.Component> COMPONENTS = new java.util.LinkedHashMap<>();

    static {
        COMPONENTS.put("base", K8sFields.Component.BASE);
        COMPONENTS.put("pilot", K8sFields.Component.PILOT);
        COMPONENTS.put("cni", K8sFields.Component.CNI);
        COMPONENTS.put("ztunnel", K8sFields.Component.ZTUNNEL);
    }
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ControlPlanePlans() {
    }

    static void validate(String path, String revisionField, String revision, JsonNode iop, List<String[]> problems) {
        String at = path + ".istioOperatorSpec.components";
        JsonNode components = iop.get("components");
        if (components != null && components.isObject()) {
            for (var e : COMPONENTS.entrySet()) {
                JsonNode c = components.get(e.getKey());
                if (c != null && c.isObject()) {
                    K8sFields.check(e.getValue(), at + "." + e.getKey() + ".k8s", c.get("k8s"), problems);
                }
            }
        }
        OperatorFields.check(OperatorFields.Kind.ILM, path + ".istioOperatorSpec", iop, revision, problems);
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

    private static String k8sPath(Installation inst, String component) {
        return inst.path() + ".istioOperatorSpec.components." + component + ".k8s";
    }

    static Plan plan(Owner owner, long generation, Installation inst, ClusterEntry cluster, TranslatorSettings settings,
            String chartSource) {
        JsonNode iop = inst.node().get("istioOperatorSpec");
        String revision = inst.revision();
        String namespace = Json.text(iop, "namespace").isEmpty() ? DEFAULT_NAMESPACE : Json.text(iop, "namespace");
        String hub = Json.text(iop, "hub").isEmpty() ? settings.defaultHub() : Json.text(iop, "hub");
        String tag = Json.text(iop, "tag").isEmpty() ? settings.defaultTag() : Json.text(iop, "tag");
        Profiles.Profile profileRules = Profiles.orDefault(iop);
        boolean ambient = profileRules.ambient();
        boolean isDefault = Json.bool(cluster.node(), "defaultRevision", false);
        JsonNode values = OperatorFields.values(iop);
        JsonNode components = iop.get("components");

        ObjectNode global = Json.merge(Json.objectOf(values, "global"), Json.object()
                .put("hub", hub).put("tag", tag).put("istioNamespace", namespace));
        platform(global, profileRules);

        // The base chart keeps values.base under base (base.enableCRDTemplates, base.excludedCRDs...), as upstream's.
        ObjectNode base = Json.object()
                .put("defaultRevision", isDefault ? (revision.isEmpty() ? "default" : revision) : "");
        if (Json.present(values, "base")) {
            base.set("base", Json.objectOf(values, "base"));
        }
        if (Json.present(values, "experimental")) {
            base.set("experimental", Json.objectOf(values, "experimental"));
        }
        // The base chart knows three globals; the others would be values it silently ignores.
        ObjectNode baseGlobal = Json.object();
        for (String g : List.of("imagePullSecrets", "platform")) {
            if (Json.present(global, g)) {
                baseGlobal.set(g, global.get(g).deepCopy());
            }
        }
        base.set("global", baseGlobal.put("istioNamespace", namespace));

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
        boolean hasDefaultTag = false;
        for (JsonNode t : values.path("revisionTags")) {
            tags.add(t.deepCopy());
            hasDefaultTag |= "default".equals(t.asText());
        }
        if (isDefault && !hasDefaultTag) {
            tags.add("default");
        }
        istiod.set("global", global);
        JsonNode pilotSpec = components == null ? null : components.get("pilot");
        ObjectNode pilot = Json.merge(Json.objectOf(values, "pilot"), componentImage(pilotSpec)
                .setAll(K8sFields.values(K8sFields.Component.PILOT, pilotSpec == null ? null : pilotSpec.get("k8s"))));
        if (ambient && deltaXdsBroken(tag)) {
            // Istio 1.22.0-1.22.3 with ambient need delta xDS off (upstream issue, fixed in 1.22.4).
            ObjectNode env = Json.objectOf(pilot, "env");
            env.put("ISTIO_DELTA_XDS", "false");
            pilot.set("env", env);
        }
        if (!pilot.isEmpty()) {
            istiod.set("pilot", pilot);
        }
        // istioctl merges spec.meshConfig over values.meshConfig.
        ObjectNode meshConfig = Json.merge(Json.objectOf(values, "meshConfig"), Json.objectOf(iop, "meshConfig"));
        istiod.set("meshConfig", meshConfig.put("trustDomain", trustDomain(cluster, meshConfig)));
        String profile = chartProfile(iop);
        String compatibility = Json.text(iop, "compatibilityVersion");
        for (ObjectNode chartValues : List.of(istiod, base)) {
            chartOptions(chartValues, profile, compatibility);
        }

        String suffix = revision.isEmpty() ? "" : "-" + revision;
        List<ChartRelease> charts = new ArrayList<>();
        if (Json.bool(components == null ? null : components.get("base"), "enabled", profileRules.base())) {
            charts.add(new ChartRelease("base", "istio-base", namespace, Canonical.json(base), chartSource));
        }
        if (Json.bool(pilotSpec, "enabled", profileRules.pilot())) {
            charts.add(new ChartRelease("istiod", "istiod" + suffix, namespace(pilotSpec, namespace), Canonical.json(istiod),
                    chartSource, overlays(K8sFields.Component.PILOT, k8sPath(inst, "pilot"), pilotSpec, "istiod" + suffix)));
        }
        JsonNode cni = components == null ? null : components.get("cni");
        // The profile turns cni and ztunnel on or off; components.<c>.enabled decides either way, as with istioctl.
        String nodeAgents = profileRules.nodeAgentNamespace().isEmpty() ? namespace : profileRules.nodeAgentNamespace();
        if (Json.bool(cni, "enabled", profileRules.cni())) {
            ObjectNode cniValues = Json.object().put("revision", revision);
            // The cni chart has no global.istioNamespace.
            ObjectNode cniGlobal = global.deepCopy();
            cniGlobal.remove("istioNamespace");
            cniValues.set("global", cniGlobal);
            cniValues.putObject("ambient").put("enabled", ambient);
            chartOptions(cniValues, profile, compatibility);
            cniValues.setAll(componentImage(cni));
            cniValues.setAll(K8sFields.values(K8sFields.Component.CNI, cni == null ? null : cni.get("k8s")));
            cniValues = Json.merge(cniValues, Json.objectOf(values, "cni"));
            charts.add(new ChartRelease("cni", "istio-cni", namespace(cni, nodeAgents), Canonical.json(cniValues), chartSource,
                    overlays(K8sFields.Component.CNI, k8sPath(inst, "cni"), cni, "istio-cni-node")));
        }
        JsonNode zc = components == null ? null : components.get("ztunnel");
        if (Json.bool(zc, "enabled", profileRules.ztunnel())) {
            ObjectNode z = Json.object().put("revision", revision);
            z.set("global", global);
            chartOptions(z, profile, compatibility);
            z.setAll(componentImage(zc));
            z.setAll(K8sFields.values(K8sFields.Component.ZTUNNEL, zc == null ? null : zc.get("k8s")));
            z = Json.merge(z, Json.objectOf(values, "ztunnel"));
            charts.add(new ChartRelease("ztunnel", "ztunnel", namespace(zc, nodeAgents), Canonical.json(z), chartSource,
                    overlays(K8sFields.Component.ZTUNNEL, k8sPath(inst, "ztunnel"), zc, "ztunnel")));
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

    /** A component's release overlays: its k8s fields' strategic merge patches on {@code workload}, then k8s.overlays. */
    private static String overlays(K8sFields.Component c, String at, JsonNode component, String workload) {
        JsonNode k8s = component == null ? null : component.get("k8s");
        return OverlayFields.json(at, k8s, o -> true, K8sFields.patches(c, at, k8s, K8sFields.Workload.of(c, workload)));
    }

    /** components.<c>.hub/tag: the chart's own hub and tag values (istiod: pilot.hub/pilot.tag). */
    private static ObjectNode componentImage(JsonNode component) {
        ObjectNode out = Json.object();
        for (String f : List.of("hub", "tag")) {
            if (Json.present(component, f) && !Json.text(component, f).isEmpty()) {
                out.put(f, Json.text(component, f));
            }
        }
        return out;
    }

    /** components.<c>.namespace, else the installation's namespace. */
    private static String namespace(JsonNode component, String fallback) {
        return Json.text(component, "namespace").isEmpty() ? fallback : Json.text(component, "namespace");
    }

    /** The chart's profile (only the profiles the charts have files for) and compatibilityVersion. */
    static void chartOptions(ObjectNode values, String profile, String compatibility) {
        if (!profile.isEmpty()) {
            values.put("profile", profile);
        }
        if (!compatibility.isEmpty()) {
            values.put("compatibilityVersion", compatibility);
        }
    }

    static String chartProfile(JsonNode iop) {
        return Profiles.orDefault(iop).chartProfile();
    }

    static boolean ambient(JsonNode iop) {
        return Profiles.orDefault(iop).ambient();
    }

    /** The profile's global.platform (openshift), unless values.global.platform says otherwise. */
    static void platform(ObjectNode global, Profiles.Profile profile) {
        if (!profile.platform().isEmpty() && !Json.present(global, "platform")) {
            global.put("platform", profile.platform());
        }
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

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /**
     * The trust domain of a cluster's istiod (ADR 0004): {@code clusters[].trustDomain}, else the one the spec sets
     * ({@code meshConfig.trustDomain}, or {@code values.meshConfig.trustDomain} under it), as istioctl keeps it; only
     * when neither says, the cluster's name (seed 000).
     */
    static String trustDomain(ClusterEntry cluster, JsonNode meshConfig) {
        String perCluster = Json.text(cluster.node(), "trustDomain");
        if (!perCluster.isEmpty()) {
            return perCluster;
        }
        String explicit = Json.text(meshConfig, "trustDomain");
        return explicit.isEmpty() ? cluster.name() : explicit;
    }
}
