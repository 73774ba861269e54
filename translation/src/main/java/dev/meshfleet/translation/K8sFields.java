package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for {@code components.<component>.k8s.*} (the IstioOperator KubernetesResources fields): for each
 * component, each field either becomes values of the upstream chart that renders the component, or is refused
 * with a message naming what to use instead. istioctl applies these fields as patches on the rendered objects;
 * Meshfleet installs the upstream charts with values, so a field the chart has no value for cannot be honoured
 * and is refused rather than dropped. One table, read by the translation, the validation and the field-table test.
 */
public final class K8sFields {
    /** Every field of KubernetesResources, as in the IstioOperator API reference. */
    public static final List<String> API_FIELDS = List.of("affinity", "env", "hpaSpec", "imagePullPolicy", "nodeSelector",
            "podDisruptionBudget", "podAnnotations", "priorityClassName", "readinessProbe", "replicaCount", "resources",
            "service", "strategy", "tolerations", "serviceAnnotations", "securityContext", "volumes", "volumeMounts",
            "overlays");

    /** The components with a k8s block, with the chart that renders them. */
    public enum Component {
        BASE("base"), PILOT("istiod"), CNI("cni"), ZTUNNEL("ztunnel"), GATEWAY("gateway");

        public final String chart;

        Component(String chart) {
            this.chart = chart;
        }
    }

    /** How one field is handled: the chart values it becomes, or why it is refused. */
    public sealed interface Rule permits Translated, Refused {
    }

    /** {@code values} names the chart values (for the README's field table). */
    public record Translated(String values, Mapper mapper) implements Rule {
    }

    public record Refused(String message) implements Rule {
    }

    @FunctionalInterface
    interface Mapper {
        void map(JsonNode value, ObjectNode values);
    }

    private static final Map<Component, Map<String, Rule>> RULES = new LinkedHashMap<>();

    static {
        for (Component c : Component.values()) {
            RULES.put(c, new LinkedHashMap<>());
        }
        Map<String, Rule> pilot = RULES.get(Component.PILOT);
        same(pilot, "pilot.", "affinity", "nodeSelector", "tolerations", "podAnnotations", "resources", "replicaCount",
                "serviceAnnotations");
        pilot.put("env", new Translated("pilot.env (map name -> value)", (v, out) -> out.set("env", Json.envMap(v))));
        pilot.put("hpaSpec", new Translated("pilot.autoscaleEnabled, pilot.autoscaleMin, pilot.autoscaleMax,"
                + " pilot.cpu.targetAverageUtilization, pilot.memory.targetAverageUtilization, pilot.autoscaleBehavior",
                K8sFields::istiodHpa));
        pilot.put("podDisruptionBudget", new Translated("pilot.pdb.minAvailable, pilot.pdb.maxUnavailable,"
                + " pilot.pdb.unhealthyPodEvictionPolicy", (v, out) -> out.set("pdb", pdb(v))));
        pilot.put("strategy", new Translated("pilot.rollingMaxSurge, pilot.rollingMaxUnavailable", (v, out) -> {
            JsonNode rolling = v.path("rollingUpdate");
            copy(rolling, "maxSurge", out, "rollingMaxSurge");
            copy(rolling, "maxUnavailable", out, "rollingMaxUnavailable");
        }));
        noValue(pilot, "istiod", "imagePullPolicy", "priorityClassName", "readinessProbe", "securityContext", "service",
                "volumes", "volumeMounts");

        Map<String, Rule> gateway = RULES.get(Component.GATEWAY);
        same(gateway, "", "affinity", "nodeSelector", "tolerations", "podAnnotations", "resources",
                "imagePullPolicy", "priorityClassName", "readinessProbe", "securityContext", "strategy", "volumes",
                "volumeMounts");
        gateway.put("env", new Translated("env (map name -> value)", (v, out) -> out.set("env", Json.envMap(v))));
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
        gateway.put("podDisruptionBudget", new Translated("podDisruptionBudget",
                (v, out) -> out.set("podDisruptionBudget", pdb(v))));
        // The shared Service is Meshfleet's own gateway-service chart (GatewayPlans): these go there.
        gateway.put("service", new Translated("gateway-service chart: service.type, service.ports,"
                + " service.externalTrafficPolicy, service.loadBalancerIP, service.loadBalancerSourceRanges,"
                + " service.externalIPs, service.ipFamilyPolicy, service.ipFamilies, selector", (v, out) -> {
                }));
        gateway.put("serviceAnnotations", new Translated("gateway-service chart: service.annotations", (v, out) -> {
        }));

        Map<String, Rule> cni = RULES.get(Component.CNI);
        same(cni, "", "affinity", "podAnnotations", "resources");
        cni.put("env", new Translated("env (map name -> value)", (v, out) -> out.set("env", Json.envMap(v))));
        cni.put("strategy", new Translated("rollingMaxUnavailable",
                (v, out) -> copy(v.path("rollingUpdate"), "maxUnavailable", out, "rollingMaxUnavailable")));
        noValue(cni, "istio-cni", "nodeSelector", "tolerations", "imagePullPolicy", "priorityClassName", "readinessProbe",
                "securityContext", "replicaCount", "hpaSpec", "podDisruptionBudget", "service", "serviceAnnotations",
                "volumes", "volumeMounts");

        Map<String, Rule> ztunnel = RULES.get(Component.ZTUNNEL);
        same(ztunnel, "", "podAnnotations", "resources", "imagePullPolicy");
        ztunnel.put("env", new Translated("env (map name -> value)", (v, out) -> out.set("env", Json.envMap(v))));
        noValue(ztunnel, "ztunnel", "affinity", "nodeSelector", "tolerations", "priorityClassName", "readinessProbe",
                "securityContext", "replicaCount", "hpaSpec", "podDisruptionBudget", "strategy", "service",
                "serviceAnnotations", "volumes", "volumeMounts");

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
        JsonNode env = k8s.get("env");
        if (env != null && env.isArray() && rule(component, "env") instanceof Translated) {
            for (int i = 0; i < env.size(); i++) {
                JsonNode entry = env.get(i);
                if (entry.has("valueFrom") && !entry.get("valueFrom").isNull()) {
                    problems.add(new String[] {path + ".env[" + i + "].valueFrom", "the " + component.chart + " chart"
                            + " takes env as plain string values, so a valueFrom cannot reach the container; set value"
                            + " instead, or remove the entry"});
                }
            }
        }
    }

    private static void same(Map<String, Rule> rules, String prefix, String... fields) {
        for (String f : fields) {
            rules.put(f, new Translated(prefix + f, (v, out) -> out.set(f, v.deepCopy())));
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

    /** A PodDisruptionBudgetSpec as the charts take it: the chart writes its own selector. */
    private static ObjectNode pdb(JsonNode spec) {
        ObjectNode out = Json.object();
        for (String f : List.of("minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy")) {
            copy(spec, f, out, f);
        }
        return out;
    }
}
