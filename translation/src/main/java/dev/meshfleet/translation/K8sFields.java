package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for {@code components.<component>.k8s.*} (the IstioOperator KubernetesResources fields): for each
 * component, each field either becomes values of the upstream chart that renders the component, or a strategic
 * merge patch on the rendered workload, or is refused with a message naming what to use instead. istioctl (1.24's
 * {@code operator/pkg/render/postprocess.go}) applies every one of these fields as a strategic merge patch on the
 * component's Deployment or DaemonSet (container {@code discovery}, {@code install-cni}, {@code istio-proxy}), its
 * Service, HPA or PDB, after rendering. Meshfleet uses the chart's values where the upstream chart has them (so the
 * chart's own logic, e.g. the PDB that depends on the replica count, sees them), and otherwise the same patch,
 * carried in the plan with the release's overlays and applied by the installer after rendering (installer-service
 * {@code render.Overlays}). A field that istioctl does not apply either (volumes) or that has nothing to apply to is
 * refused rather than dropped. One table, read by the translation, the validation and the field-table test.
 */
public final class K8sFields {
    /** Every field of KubernetesResources, as in the IstioOperator API reference. */
    public static final List<String> API_FIELDS = List.of("affinity", "env", "hpaSpec", "imagePullPolicy", "nodeSelector",
            "podDisruptionBudget", "podAnnotations", "priorityClassName", "readinessProbe", "replicaCount", "resources",
            "service", "strategy", "tolerations", "serviceAnnotations", "securityContext", "volumes", "volumeMounts",
            "overlays");

    /** The components with a k8s block, with the chart that renders them. */
    public enum Component {
        BASE("base", "", "", ""), PILOT("istiod", "Deployment", "istiod-<rev>", "discovery"),
        CNI("cni", "DaemonSet", "istio-cni-node", "install-cni"), ZTUNNEL("ztunnel", "DaemonSet", "ztunnel", "istio-proxy"),
        GATEWAY("gateway", "Deployment", "<name>-<rev>", "istio-proxy");

        public final String chart;
        /** The workload istioctl patches (kind, name as the README writes it, container), as its component table. */
        final String kind;
        final String workload;
        final String container;

        Component(String chart, String kind, String workload, String container) {
            this.chart = chart;
            this.kind = kind;
            this.workload = workload;
            this.container = container;
        }
    }

    /** The rendered objects of one release that the patches of a component go to. */
    record Workload(String kind, String name, String container, String service) {
        static Workload of(Component c, String name) {
            return new Workload(c.kind, name, c.container, name);
        }
    }

    /** How one field is handled: the chart values it becomes, or why it is refused. */
    public sealed interface Rule permits Translated, Refused {
    }

    /**
     * {@code values} names the chart values or the patch (for the README's field table); {@code patcher}, when not
     * null, makes the strategic merge patch the installer applies to the rendered object.
     */
    public record Translated(String values, Mapper mapper, Patcher patcher) implements Rule {
        Translated(String values, Mapper mapper) {
            this(values, mapper, null);
        }
    }

    public record Refused(String message) implements Rule {
    }

    @FunctionalInterface
    interface Mapper {
        void map(JsonNode value, ObjectNode values);
    }

    /** The overlay entry {@code {kind, name, strategicMerge}} of one field's value. */
    @FunctionalInterface
    interface Patcher {
        ObjectNode patch(JsonNode value, Workload workload);
    }

    private static final Mapper NO_VALUES = (v, out) -> {
    };

    private static final Map<Component, Map<String, Rule>> RULES = new LinkedHashMap<>();
    private static final String PDB_SELECTOR = "a selector: strategic merge on the PodDisruptionBudget, as istioctl";

    static {
        for (Component c : Component.values()) {
            RULES.put(c, new LinkedHashMap<>());
        }
        Map<String, Rule> pilot = RULES.get(Component.PILOT);
        same(pilot, "pilot.", "affinity", "nodeSelector", "tolerations", "podAnnotations", "resources", "replicaCount",
                "serviceAnnotations");
        containerPatch(pilot, Component.PILOT, "env", "imagePullPolicy", "readinessProbe");
        podPatch(pilot, Component.PILOT, "priorityClassName", "securityContext");
        pilot.put("service", new Translated("strategic merge of {spec: <service>} on Service istiod-<rev>, as istioctl",
                NO_VALUES, (v, w) -> entry("Service", w.service(), Json.object().set("spec", v.deepCopy()))));
        pilot.put("hpaSpec", new Translated("pilot.autoscaleEnabled, pilot.autoscaleMin, pilot.autoscaleMax,"
                + " pilot.cpu.targetAverageUtilization, pilot.memory.targetAverageUtilization, pilot.autoscaleBehavior",
                K8sFields::istiodHpa));
        pilot.put("podDisruptionBudget", new Translated("pilot.pdb.minAvailable, pilot.pdb.maxUnavailable,"
                + " pilot.pdb.unhealthyPodEvictionPolicy; " + PDB_SELECTOR, (v, out) -> out.set("pdb", pdb(v)),
                K8sFields::pdbSelector));
        pilot.put("strategy", new Translated("pilot.rollingMaxSurge, pilot.rollingMaxUnavailable", (v, out) -> {
            JsonNode rolling = v.path("rollingUpdate");
            copy(rolling, "maxSurge", out, "rollingMaxSurge");
            copy(rolling, "maxUnavailable", out, "rollingMaxUnavailable");
        }));
        notByIstioctl(pilot, "volumes", "volumeMounts");

        Map<String, Rule> gateway = RULES.get(Component.GATEWAY);
        same(gateway, "", "affinity", "nodeSelector", "tolerations", "podAnnotations", "resources",
                "imagePullPolicy", "priorityClassName", "readinessProbe", "securityContext", "strategy", "volumes",
                "volumeMounts");
        containerPatch(gateway, Component.GATEWAY, "env");
        gateway.put("replicaCount", new Translated("replicaCount (and autoscaling.enabled false without hpaSpec: the"
                + " chart ignores replicaCount while it autoscales)", (v, out) -> {
                    out.set("replicaCount", v.deepCopy());
                    if (!out.has("autoscaling")) {
                        out.putObject("autoscaling").put("enabled", false);
                    }
                }));
        gateway.put("hpaSpec", new Translated("autoscaling.enabled, autoscaling.minReplicas, autoscaling.maxReplicas,"
                + " autoscaling.targetCPUUtilizationPercentage, autoscaling.targetMemoryUtilizationPercentage,"
                + " autoscaling.autoscaleBehavior", K8sFields::gatewayHpa));
        gateway.put("podDisruptionBudget", new Translated("podDisruptionBudget; " + PDB_SELECTOR,
                (v, out) -> out.set("podDisruptionBudget", pdb(v)), K8sFields::pdbSelector));
        // The shared Service is Meshfleet's own gateway-service chart (GatewayPlans): these go there.
        gateway.put("service", new Translated("gateway-service chart: service.type, service.ports,"
                + " service.externalTrafficPolicy, service.loadBalancerIP, service.loadBalancerSourceRanges,"
                + " service.externalIPs, service.ipFamilyPolicy, service.ipFamilies, selector", (v, out) -> {
                }));
        gateway.put("serviceAnnotations", new Translated("gateway-service chart: service.annotations", (v, out) -> {
        }));

        Map<String, Rule> cni = RULES.get(Component.CNI);
        same(cni, "", "affinity", "podAnnotations", "resources");
        containerPatch(cni, Component.CNI, "env", "imagePullPolicy", "readinessProbe");
        podPatch(cni, Component.CNI, "nodeSelector", "tolerations", "priorityClassName", "securityContext");
        cni.put("strategy", new Translated("rollingMaxUnavailable",
                (v, out) -> copy(v.path("rollingUpdate"), "maxUnavailable", out, "rollingMaxUnavailable")));
        noValue(cni, "istio-cni", "replicaCount", "hpaSpec", "podDisruptionBudget", "service", "serviceAnnotations");
        notByIstioctl(cni, "volumes", "volumeMounts");

        Map<String, Rule> ztunnel = RULES.get(Component.ZTUNNEL);
        same(ztunnel, "", "podAnnotations", "resources", "imagePullPolicy");
        containerPatch(ztunnel, Component.ZTUNNEL, "env", "readinessProbe");
        podPatch(ztunnel, Component.ZTUNNEL, "affinity", "nodeSelector", "tolerations", "priorityClassName",
                "securityContext");
        noValue(ztunnel, "ztunnel", "replicaCount", "hpaSpec", "podDisruptionBudget", "strategy", "service",
                "serviceAnnotations");
        notByIstioctl(ztunnel, "volumes", "volumeMounts");

        Map<String, Rule> base = RULES.get(Component.BASE);
        for (String f : API_FIELDS) {
            base.put(f, new Refused("the base chart renders no workload (CRDs, RBAC, webhooks): there is nothing for k8s."
                    + f + " to apply to; remove it"));
        }
        for (Component c : List.of(Component.PILOT, Component.GATEWAY, Component.CNI, Component.ZTUNNEL)) {
            // Not chart values: carried in the plan with the component's release, patched on its rendered objects.
            RULES.get(c).put("overlays", new Translated("the plan's ChartRelease.overlaysJson of the " + c.chart
                    + " release, patched on its rendered objects by the installer as istioctl does", (v, out) -> {
                    }));
        }
    }

    private K8sFields() {
    }

    /** The rule for a field of a component's k8s block; null when the API has no such field. */
    public static Rule rule(Component component, String field) {
        return RULES.get(component).get(field);
    }

    /** The chart values of a component's k8s block (refused and unknown fields contribute nothing). */
    static ObjectNode values(Component component, JsonNode k8s) {
        ObjectNode out = Json.object();
        if (k8s == null || !k8s.isObject()) {
            return out;
        }
        k8s.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull() && RULES.get(component).get(e.getKey()) instanceof Translated t) {
                t.mapper().map(e.getValue(), out);
            }
        });
        return out;
    }

    /**
     * Refusals of a component's k8s block: fields the chart cannot express, fields the API does not have, and
     * env entries with valueFrom (every upstream chart takes env as a map of plain strings).
     */
    static void check(Component component, String path, JsonNode k8s, List<String[]> problems) {
        if (k8s == null || !k8s.isObject()) {
            return;
        }
        k8s.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                return;
            }
            Rule rule = RULES.get(component).get(e.getKey());
            if (rule == null) {
                problems.add(new String[] {path + "." + e.getKey(), "is not a field of the IstioOperator k8s settings"
                        + " (one of " + API_FIELDS + "); check its spelling"});
            } else if (rule instanceof Refused r) {
                problems.add(new String[] {path + "." + e.getKey(), r.message()});
            }
        });
        JsonNode overlays = k8s.get("overlays");
        if (overlays != null && !overlays.isNull() && rule(component, "overlays") instanceof Translated) {
            OverlayFields.check(path + ".overlays", overlays, problems);
        }
    }

    /**
     * The strategic merge patches of a component's k8s block, as overlay entries {@code {field, kind, name,
     * strategicMerge}} in the order of the block; the installer applies them before the user's overlays, as istioctl.
     */
    static List<ObjectNode> patches(Component component, String path, JsonNode k8s, Workload workload) {
        List<ObjectNode> out = new java.util.ArrayList<>();
        if (k8s == null || !k8s.isObject()) {
            return out;
        }
        k8s.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull() && RULES.get(component).get(e.getKey()) instanceof Translated t
                    && t.patcher() != null) {
                ObjectNode patch = t.patcher().patch(e.getValue(), workload);
                if (patch != null) {
                    out.add(Json.object().put("field", path + "." + e.getKey()).setAll(patch));
                }
            }
        });
        return out;
    }

    private static void same(Map<String, Rule> rules, String prefix, String... fields) {
        for (String f : fields) {
            rules.put(f, new Translated(prefix + f, (v, out) -> out.set(f, v.deepCopy())));
        }
    }

    /** Fields istioctl patches into the component's container (by name), as its postprocess does. */
    private static void containerPatch(Map<String, Rule> rules, Component c, String... fields) {
        for (String f : fields) {
            rules.put(f, new Translated("strategic merge on " + c.kind + " " + c.workload + ", container " + c.container
                    + ": " + f + (f.equals("env") ? " (merged by name: an entry replaces the chart's of that name)" : "")
                    + ", as istioctl", NO_VALUES, (v, w) -> {
                        ObjectNode container = Json.object().put("name", w.container());
                        container.set(f, f.equals("env") ? env(v) : v.deepCopy());
                        ObjectNode patch = Json.object();
                        patch.putObject("spec").putObject("template").putObject("spec").putArray("containers")
                                .add(container);
                        return entry(w.kind(), w.name(), patch);
                    }));
        }
    }

    /** Fields istioctl patches into the component's pod spec. */
    private static void podPatch(Map<String, Rule> rules, Component c, String... fields) {
        for (String f : fields) {
            rules.put(f, new Translated("strategic merge on " + c.kind + " " + c.workload + ": pod " + f + ", as istioctl",
                    NO_VALUES, (v, w) -> {
                        ObjectNode patch = Json.object();
                        patch.putObject("spec").putObject("template").putObject("spec").set(f, v.deepCopy());
                        return entry(w.kind(), w.name(), patch);
                    }));
        }
    }

    private static ObjectNode entry(String kind, String name, ObjectNode patch) {
        ObjectNode e = Json.object().put("kind", kind).put("name", name);
        e.set("strategicMerge", patch);
        return e;
    }

    /** An env list as Kubernetes takes it: a scalar value as a string (YAML may have read "1" as a number). */
    private static JsonNode env(JsonNode list) {
        com.fasterxml.jackson.databind.node.ArrayNode out = Canonical.NODES.arrayNode();
        for (JsonNode e : list) {
            ObjectNode entry = e.deepCopy();
            if (entry.has("value") && entry.get("value").isValueNode() && !entry.get("value").isNull()) {
                entry.put("value", entry.get("value").asText());
            }
            out.add(entry);
        }
        return out;
    }

    /** Fields istioctl 1.24 accepts and never applies (its patches have none for them): refused, never silently. */
    private static void notByIstioctl(Map<String, Rule> rules, String... fields) {
        for (String f : fields) {
            rules.put(f, new Refused("istioctl accepts it but does not apply it (its k8s patches have no " + f
                    + "), so it would be silently ignored; add it with k8s.overlays instead (e.g. path"
                    + " spec.template.spec." + (f.equals("volumes") ? "volumes[100]" : "containers[0].volumeMounts[100]")
                    + ")"));
        }
    }

    private static void noValue(Map<String, Rule> rules, String chart, String... fields) {
        for (String f : fields) {
            rules.put(f, new Refused("the upstream " + chart + " chart has no value for it, so it cannot be applied;"
                    + " remove it (or set what the chart offers under istioOperatorSpec.values)"));
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        if (Json.present(from, field)) {
            to.set(as, from.get(field).deepCopy());
        }
    }

    /** autoscaling/v2 (target.averageUtilization) or v2beta1 (targetAverageUtilization) of a Resource metric. */
    private static JsonNode utilization(JsonNode hpa, String resource) {
        for (JsonNode m : hpa.path("metrics")) {
            JsonNode r = m.path("resource");
            if ("Resource".equals(m.path("type").asText()) && resource.equals(r.path("name").asText())) {
                JsonNode v2 = r.path("target").path("averageUtilization");
                return v2.isMissingNode() ? r.path("targetAverageUtilization") : v2;
            }
        }
        return null;
    }

    private static void istiodHpa(JsonNode hpa, ObjectNode out) {
        out.put("autoscaleEnabled", true);
        copy(hpa, "minReplicas", out, "autoscaleMin");
        copy(hpa, "maxReplicas", out, "autoscaleMax");
        JsonNode cpu = utilization(hpa, "cpu");
        if (cpu != null && !cpu.isMissingNode()) {
            out.putObject("cpu").set("targetAverageUtilization", cpu.deepCopy());
        }
        JsonNode memory = utilization(hpa, "memory");
        if (memory != null && !memory.isMissingNode()) {
            out.putObject("memory").set("targetAverageUtilization", memory.deepCopy());
        }
        copy(hpa, "behavior", out, "autoscaleBehavior");
    }

    private static void gatewayHpa(JsonNode hpa, ObjectNode out) {
        ObjectNode a = out.putObject("autoscaling").put("enabled", true);
        copy(hpa, "minReplicas", a, "minReplicas");
        copy(hpa, "maxReplicas", a, "maxReplicas");
        JsonNode cpu = utilization(hpa, "cpu");
        if (cpu != null && !cpu.isMissingNode()) {
            a.set("targetCPUUtilizationPercentage", cpu.deepCopy());
        }
        JsonNode memory = utilization(hpa, "memory");
        if (memory != null && !memory.isMissingNode()) {
            a.set("targetMemoryUtilizationPercentage", memory.deepCopy());
        }
        copy(hpa, "behavior", a, "autoscaleBehavior");
    }

    /**
     * The charts write the PDB's selector themselves; a selector the spec gives is merged into it as istioctl merges
     * its patch (matchLabels key by key). None: no patch.
     */
    private static ObjectNode pdbSelector(JsonNode spec, Workload w) {
        if (!Json.present(spec, "selector")) {
            return null;
        }
        ObjectNode patch = Json.object();
        patch.putObject("spec").set("selector", spec.get("selector").deepCopy());
        return entry("PodDisruptionBudget", w.name(), patch);
    }

    /** A PodDisruptionBudgetSpec as the charts take it: the chart writes its own selector. */
    private static ObjectNode pdb(JsonNode spec) {
        ObjectNode out = Json.object();
        for (String f : List.of("minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy")) {
            copy(spec, f, out, f);
        }
        return out;
    }
}
