package dev.meshfleet.translator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.translator.translate.Translator.ClusterEntry;
import dev.meshfleet.translator.translate.Translator.Installation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GLM rules: an installation becomes, per cluster, one `gateway` release per enabled
 * ingressGateways[]/egressGateways[] entry. Control plane components are ignored.
 */
final class GatewayPlans {
    /** Where Gloo puts gateways when the entry names no namespace (seed 001). */
    static final String DEFAULT_NAMESPACE = "gloo-mesh-gateways";
    private static final List<String> TYPES = List.of("ingressGateways", "egressGateways");

    private GatewayPlans() {
    }

    record Gateway(String type, int index, String name, String namespace, JsonNode node) {
    }

    static void validate(String path, JsonNode inst, JsonNode iop, List<String[]> problems) {
        FieldChecks.string(inst, "controlPlaneRevision", path, problems);
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
                String ns = Json.text(g, "namespace").isEmpty() ? DEFAULT_NAMESPACE : Json.text(g, "namespace");
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
        String cp = Json.text(inst.node(), "controlPlaneRevision");
        String controlPlaneRevision = cp.isEmpty() ? revision : "auto".equals(cp) ? settings.defaultRevision() : cp;
        JsonNode values = iop.get("values");
        ObjectNode global = Json.merge(Json.objectOf(values, "global"), Json.object().put("hub", hub).put("tag", tag));

        List<ChartRelease> charts = new ArrayList<>();
        Map<String, Claim> claims = new LinkedHashMap<>();
        for (Gateway g : gateways(iop)) {
            claims.putIfAbsent(Claim.gateway(g.type(), revision), new Claim(Claim.gateway(g.type(), revision),
                    inst.path() + ".istioOperatorSpec.components." + g.type() + "[" + g.index() + "]"));
            charts.add(new ChartRelease("gateway", g.name() + (revision.isEmpty() ? "" : "-" + revision), g.namespace(),
                    Canonical.json(gatewayValues(g, revision, active, global)), chartSource));
        }
        ObjectNode observed = ((ObjectNode) iop).deepCopy().put("hub", hub).put("tag", tag);
        String observedJson = Canonical.json(observed);
        boolean skip = Json.bool(inst.node(), "skipUpgradeValidation", false);
        String hash = Translator.planHash(owner, generation, cluster.name(), revision, tag, charts, false, active,
                controlPlaneRevision, skip, inst.waitMillis(), observedJson);
        return new Plan(cluster.name(), revision, tag, charts, false, active, controlPlaneRevision, skip, inst.waitMillis(),
                observedJson, hash, List.copyOf(claims.values()));
    }

    private static ObjectNode gatewayValues(Gateway g, String revision, boolean active, ObjectNode global) {
        JsonNode k8s = g.node().get("k8s");
        ObjectNode v = Json.object().put("name", g.name()).put("revision", revision);
        ObjectNode labels = Json.objectOf(g.node(), "label");
        if (labels.isEmpty()) {
            labels.put("app", g.name()).put("istio", g.name().startsWith("istio-") ? g.name().substring(6) : g.name());
        }
        v.set("labels", labels);
        JsonNode svcSpec = k8s == null ? null : k8s.get("service");
        ObjectNode service = v.putObject("service");
        service.put("enabled", active);
        service.put("type", Json.text(svcSpec, "type").isEmpty() ? "LoadBalancer" : Json.text(svcSpec, "type"));
        if (svcSpec != null && Json.present(svcSpec, "ports")) {
            service.set("ports", svcSpec.get("ports").deepCopy());
        }
        ObjectNode selector = Json.objectOf(svcSpec, "selector");
        if (selector.isEmpty()) {
            selector = labels.deepCopy();
        }
        if (active) {
            // Switching activeGateway moves the shared Service to this revision's pods.
            selector.put("istio.io/rev", revision.isEmpty() ? "default" : revision);
        }
        service.set("selector", selector);
        if (k8s != null && Json.present(k8s, "serviceAnnotations")) {
            service.set("annotations", k8s.get("serviceAnnotations").deepCopy());
        }
        if (k8s != null) {
            if (Json.present(k8s, "env")) {
                v.set("env", Json.envMap(k8s.get("env")));
            }
            for (String field : List.of("affinity", "podAnnotations", "resources", "nodeSelector", "tolerations",
                    "replicaCount")) {
                if (Json.present(k8s, field)) {
                    v.set(field, k8s.get(field).deepCopy());
                }
            }
        }
        v.set("global", global);
        return v;
    }
}
