package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translation.Translator.ClusterEntry;
import dev.meshfleet.translation.Translator.Installation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * GLM rules: an installation becomes, per cluster, one `gateway` release per enabled
 * ingressGateways[]/egressGateways[] entry. Control plane components are ignored.
 */
final class GatewayPlans {
    /** Where Gloo puts gateways when the entry names no namespace (seed 001). */
    static final String DEFAULT_NAMESPACE = "gloo-mesh-gateways";
    /** Meshfleet's chart for the Service shared by a gateway's revisions (charts/gateway-service). */
    static final String SERVICE_CHART = "gateway-service";
    private static final List<String> TYPES = List.of("ingressGateways", "egressGateways");
    /**
     * The pod label that tells a gateway's revisions apart (ADR 0035): {@code istio.io/rev} names the control plane
     * that injects the pods, which revisions of a gateway may share, so the shared Service selects by this one.
     */
    public static final String GATEWAY_REVISION_LABEL = "meshfleet.dev/gateway-revision";

    private GatewayPlans() {
    }

    record Gateway(String type, int index, String name, String namespace, JsonNode node) {
    }

    static void validate(String path, JsonNode inst, JsonNode iop, String controlPlaneRevision, List<String[]> problems) {
        FieldChecks.string(inst, "controlPlaneRevision", path, problems);
        OperatorFields.check(OperatorFields.Kind.GLM, path + ".istioOperatorSpec", iop, controlPlaneRevision, problems);
        JsonNode components = iop.get("components");
        for (String type : TYPES) {
            JsonNode list = components == null || !components.isObject() ? null : components.get(type);
            if (list == null || !list.isArray()) {
                continue;
            }
            for (int k = 0; k < list.size(); k++) {
                checkEntry(path + ".istioOperatorSpec.components." + type + "[" + k + "]", list.get(k), problems);
            }
        }
        String cp = Json.text(inst, "controlPlaneRevision");
        if (!cp.isEmpty() && !"auto".equals(cp)) {
            String wrong = Labels.checkRevision(cp);
            if (wrong != null) {
                problems.add(new String[] {path + ".controlPlaneRevision", wrong + "; name an installed control plane revision"});
            }
        }
        List<Gateway> gateways = gateways(iop);
        if (gateways.isEmpty()) {
            problems.add(new String[] {path + ".istioOperatorSpec.components", "has no enabled ingressGateways or egressGateways;"
                    + " add at least one gateway with enabled: true"});
        }
        Map<String, Gateway> seen = new HashMap<>();
        for (Gateway g : gateways) {
            Gateway first = seen.putIfAbsent(g.namespace() + "/" + g.name(), g);
            if (first != null) {
                problems.add(new String[] {path + ".istioOperatorSpec.components." + g.type() + "[" + g.index() + "].name",
                        "gateway '" + g.name() + "' in namespace '" + g.namespace() + "' is also defined at components."
                                + first.type() + "[" + first.index() + "]; give each gateway its own name"});
            }
        }
    }

    private static final java.util.Set<String> SERVICE_TYPES = java.util.Set.of("LoadBalancer", "ClusterIP", "NodePort");

    private static void checkEntry(String at, JsonNode g, List<String[]> problems) {
        if (!g.isObject()) {
            problems.add(new String[] {at, "must be a gateway entry such as {name: istio-ingressgateway, enabled: true},"
                    + " got " + Json.describe(g)});
            return;
        }
        FieldChecks.bool(g, "enabled", at, problems);
        FieldChecks.string(g, "name", at, problems);
        FieldChecks.string(g, "namespace", at, problems);
        String ns = Json.text(g, "namespace");
        if (g.path("namespace").isTextual() && !ns.isEmpty() && Labels.checkDnsLabel(ns) != null) {
            problems.add(new String[] {at + ".namespace", Labels.checkDnsLabel(ns) + "; use a namespace name such as "
                    + DEFAULT_NAMESPACE});
        }
        String name = Json.text(g, "name");
        if (g.path("name").isTextual() && !name.isEmpty() && Labels.checkDnsLabel(name) != null) {
            problems.add(new String[] {at + ".name", Labels.checkDnsLabel(name).replace("namespace name", "name")
                    + "; it names the gateway's Deployment and Service"});
        }
        FieldChecks.stringMap(g, "label", at, problems);
        FieldChecks.object(g, "k8s", at, problems);
        JsonNode k8s = g.get("k8s");
        K8sFields.check(K8sFields.Component.GATEWAY, at + ".k8s", k8s, problems);
        if (k8s != null && k8s.isObject()) {
            FieldChecks.namedList(k8s, "env", at + ".k8s", "{name: ISTIO_META_ROUTER_MODE, value: sni-dnat}", problems);
            FieldChecks.stringMap(k8s, "serviceAnnotations", at + ".k8s", problems);
            FieldChecks.object(k8s, "service", at + ".k8s", problems);
            JsonNode svc = k8s.get("service");
            if (svc != null && svc.isObject()) {
                FieldChecks.string(svc, "type", at + ".k8s.service", problems);
                String type = Json.text(svc, "type");
                if (svc.path("type").isTextual() && !type.isEmpty() && !SERVICE_TYPES.contains(type)) {
                    problems.add(new String[] {at + ".k8s.service.type", "'" + type + "' is not a Service type; use"
                            + " LoadBalancer, ClusterIP or NodePort"});
                }
                FieldChecks.list(svc, "ports", at + ".k8s.service", problems);
                FieldChecks.stringMap(svc, "selector", at + ".k8s.service", problems);
                svc.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("type") && !f.equals("selector") && !SERVICE_FIELDS.contains(f)) {
                        problems.add(new String[] {at + ".k8s.service." + f, "is not carried to the gateway Service"
                                + " (Meshfleet sets type, selector and " + SERVICE_FIELDS + "); remove it"});
                    }
                });
            }
        }
    }

    /** Enabled gateway entries; an entry without `enabled` counts as enabled (it was written to be installed). */
    static List<Gateway> gateways(JsonNode iop) {
        List<Gateway> out = new ArrayList<>();
        JsonNode components = iop.get("components");
        for (String type : TYPES) {
            JsonNode list = components == null ? null : components.get(type);
            if (list == null || !list.isArray()) {
                continue;
            }
            for (int k = 0; k < list.size(); k++) {
                JsonNode g = list.get(k);
                if (!g.isObject() || !Json.bool(g, "enabled", true)) {
                    continue;
                }
                String name = Json.text(g, "name");
                if (name.isEmpty()) {
                    name = type.equals("ingressGateways") ? "istio-ingressgateway" : "istio-egressgateway";
                }
                String ns = !Json.text(g, "namespace").isEmpty() ? Json.text(g, "namespace")
                        : !Json.text(iop, "namespace").isEmpty() ? Json.text(iop, "namespace") : DEFAULT_NAMESPACE;
                out.add(new Gateway(type, k, name, ns, g));
            }
        }
        return out;
    }

    static Plan plan(Owner owner, long generation, Installation inst, ClusterEntry cluster, TranslatorSettings settings,
            String chartSource) {
        JsonNode iop = inst.node().get("istioOperatorSpec");
        String revision = inst.revision();
        String hub = Json.text(iop, "hub").isEmpty() ? settings.defaultHub() : Json.text(iop, "hub");
        String tag = Json.text(iop, "tag").isEmpty() ? settings.defaultTag() : Json.text(iop, "tag");
        // A revisionless gateway has a single Deployment, so it is the Service's only possible target.
        boolean active = Json.bool(cluster.node(), "activeGateway", false) || revision.isEmpty();
        String controlPlaneRevision = controlPlaneRevision(inst.node(), revision, settings);
        ObjectNode global = Json.merge(Json.objectOf(OperatorFields.values(iop), "global"),
                Json.object().put("hub", hub).put("tag", tag));
        ControlPlanePlans.platform(global, Profiles.orDefault(iop));

        List<ChartRelease> charts = new ArrayList<>();
        Map<String, Claim> claims = new LinkedHashMap<>();
        for (Gateway g : gateways(iop)) {
            claims.putIfAbsent(Claim.gateway(g.type(), revision), new Claim(Claim.gateway(g.type(), revision),
                    inst.path() + ".istioOperatorSpec.components." + g.type() + "[" + g.index() + "]"));
            String k8sPath = inst.path() + ".istioOperatorSpec.components." + g.type() + "[" + g.index() + "].k8s";
            JsonNode k8s = g.node().get("k8s");
            // With the active gateway, the shared Service is rendered by Meshfleet's chart: overlays on it go there.
            Predicate<JsonNode> onService = o -> active && "Service".equals(o.path("kind").asText());
            String deployment = g.name() + (revision.isEmpty() ? "" : "-" + revision);
            charts.add(new ChartRelease("gateway", deployment, g.namespace(),
                    Canonical.json(gatewayValues(g, revision, controlPlaneRevision, global, iop, cluster)), chartSource,
                    OverlayFields.json(k8sPath, k8s, onService.negate(), K8sFields.patches(K8sFields.Component.GATEWAY,
                            k8sPath, k8s, K8sFields.Workload.of(K8sFields.Component.GATEWAY, deployment)))));
            if (active) {
                // Meshfleet's own chart: from the installer's chart directory whatever the resource's chart source.
                charts.add(new ChartRelease(SERVICE_CHART, g.name() + "-service", g.namespace(),
                        Canonical.json(serviceValues(g, revision)), null, OverlayFields.json(k8sPath, k8s, onService, List.of())));
            }
        }
        ObjectNode observed = ((ObjectNode) iop).deepCopy().put("hub", hub).put("tag", tag);
        String observedJson = Canonical.json(observed);
        boolean skip = Json.bool(inst.node(), "skipUpgradeValidation", false);
        String hash = Translator.planHash(owner, generation, cluster.name(), revision, tag, charts, false, active,
                controlPlaneRevision, skip, inst.waitMillis(), observedJson);
        return new Plan(cluster.name(), revision, tag, charts, false, active, controlPlaneRevision, skip, inst.waitMillis(),
                observedJson, hash, List.copyOf(claims.values()));
    }

    /**
     * The env istioctl's gateway charts derive from meshConfig: TRUST_DOMAIN and ISTIO_META_MESH_ID (unless
     * global.meshID) from the trust domain (clusters[].trustDomain, else meshConfig.trustDomain), and
     * defaultConfig.proxyMetadata. k8s.env wins over all of it.
     */
    private static ObjectNode meshEnv(JsonNode iop, ClusterEntry cluster, ObjectNode global) {
        ObjectNode env = Json.object();
        JsonNode mesh = iop.path("meshConfig");
        String trustDomain = !Json.text(cluster.node(), "trustDomain").isEmpty() ? Json.text(cluster.node(), "trustDomain")
                : Json.text(mesh, "trustDomain");
        if (!trustDomain.isEmpty()) {
            if (Json.text(global, "meshID").isEmpty()) {
                env.put("ISTIO_META_MESH_ID", trustDomain);
            }
            env.put("TRUST_DOMAIN", trustDomain);
        }
        mesh.path("defaultConfig").path("proxyMetadata").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** controlPlaneRevision resolved: absent means the gateway's own revision, auto the configured default. */
    static String controlPlaneRevision(JsonNode inst, String revision, TranslatorSettings settings) {
        String cp = Json.text(inst, "controlPlaneRevision");
        return cp.isEmpty() ? revision : "auto".equals(cp) ? settings.defaultRevision() : cp;
    }

    /** Labels istioctl gives a gateway of each type; a gateway's `label` is merged over them (Helm merges maps). */
    static ObjectNode defaultLabels(String type) {
        String istio = type.equals("ingressGateways") ? "ingressgateway" : "egressgateway";
        return Json.object().put("app", "istio-" + istio).put("istio", istio);
    }

    static ObjectNode labels(Gateway g) {
        return Json.merge(defaultLabels(g.type()), Json.objectOf(g.node(), "label"));
    }

    /**
     * The upstream gateway chart's values. The chart names its Deployment after `name`, so a revision's Deployment is
     * `<name>-<revision>`; the chart's Service would carry that name too and select every revision's pods (its
     * selector is app and istio only), so it is switched off (service.type None) and the shared Service comes from
     * Meshfleet's own gateway-service chart ({@link #serviceValues}). The chart's `revision` becomes the pods'
     * `istio.io/rev`, the injector that injects them: the control plane's revision, as istioctl sets it from
     * spec.revision (ADR 0035); the gateway's own revision is the pods' {@link #GATEWAY_REVISION_LABEL}.
     */
    private static ObjectNode gatewayValues(Gateway g, String revision, String controlPlaneRevision, ObjectNode global,
            JsonNode iop, ClusterEntry cluster) {
        JsonNode k8s = g.node().get("k8s");
        ObjectNode v = Json.object().put("name", g.name() + (revision.isEmpty() ? "" : "-" + revision))
                .put("revision", controlPlaneRevision);
        ObjectNode labels = labels(g);
        if (!revision.isEmpty()) {
            labels.put(GATEWAY_REVISION_LABEL, revision);
        }
        v.set("labels", labels);
        v.putObject("service").put("type", "None");
        ControlPlanePlans.chartOptions(v, ControlPlanePlans.chartProfile(iop), Json.text(iop, "compatibilityVersion"));
        ObjectNode k8sValues = K8sFields.values(K8sFields.Component.GATEWAY, k8s);
        ObjectNode meshEnv = meshEnv(iop, cluster, global);
        if (!meshEnv.isEmpty()) {
            // k8s.env is a strategic merge on the rendered container (K8sFields), so it wins over these by name.
            k8sValues.set("env", meshEnv);
        }
        v.setAll(k8sValues);
        v.set("global", global);
        return v;
    }

    /** The chart values of k8s.service that go to the Service as they are. */
    private static final List<String> SERVICE_FIELDS = List.of("ports", "externalTrafficPolicy", "loadBalancerIP",
            "loadBalancerSourceRanges", "externalIPs", "ipFamilyPolicy", "ipFamilies", "sessionAffinity");

    /**
     * Meshfleet's gateway-service chart: the Service `<name>` shared by the revisions of a gateway, rendered by the
     * active revision only, selecting the gateway's labels (or k8s.service.selector) and, for a revision, its
     * {@link #GATEWAY_REVISION_LABEL} (not istio.io/rev: revisions of a gateway may share a control plane):
     * switching activeGateway moves it.
     */
    private static ObjectNode serviceValues(Gateway g, String revision) {
        JsonNode k8s = g.node().get("k8s");
        JsonNode svcSpec = k8s == null ? null : k8s.get("service");
        ObjectNode v = Json.object().put("name", g.name());
        ObjectNode labels = labels(g);
        v.set("labels", labels);
        ObjectNode selector = Json.objectOf(svcSpec, "selector");
        if (selector.isEmpty()) {
            selector = Json.object().put("app", labels.path("app").asText()).put("istio", labels.path("istio").asText());
        }
        if (!revision.isEmpty()) {
            selector.put(GATEWAY_REVISION_LABEL, revision);
        }
        v.set("selector", selector);
        ObjectNode service = v.putObject("service");
        service.put("type", Json.text(svcSpec, "type").isEmpty() ? "LoadBalancer" : Json.text(svcSpec, "type"));
        for (String f : SERVICE_FIELDS) {
            if (Json.present(svcSpec, f)) {
                service.set(f, svcSpec.get(f).deepCopy());
            }
        }
        if (k8s != null && Json.present(k8s, "serviceAnnotations")) {
            service.set("annotations", k8s.get("serviceAnnotations").deepCopy());
        }
        return v;
    }
}
