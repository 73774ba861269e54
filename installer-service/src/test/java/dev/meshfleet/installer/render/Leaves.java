package dev.meshfleet.installer.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@link ConformanceTest} decides whether a leaf of an IstioOperator spec reached the rendered objects. A leaf
 * is a scalar with the path to it and its nearest map key. It is <em>rendered</em> when:
 * <ul>
 * <li>a string: some rendered scalar has that text, or an {@code image} contains it (hub, tag);</li>
 * <li>a boolean or number: some rendered map has the leaf's key with that value (ConfigMap data that reads as YAML,
 * the mesh config, is searched as objects too);</li>
 * <li>{@code components.<c>.enabled}: the component's release is in the plan exactly when it says true; a gateway's
 * by its name;</li>
 * <li>{@code profile}, {@code compatibilityVersion}: a chart's value of that name (the upstream charts apply their
 * profile files; the stand-ins render no trace of them); a profile without one (default, minimal, empty, openshift)
 * is the set of releases, pinned by translator-service's ProfilesTest;</li>
 * <li>an overlay's {@code kind} and {@code name}: an object of that kind and name is rendered; a patch's
 * {@code path}: its value is rendered (a removal: the object is); a value that reads as a YAML map: each of its
 * leaves is rendered.</li>
 * </ul>
 * It is <em>refused by name</em> when an error of the plan names it or a field above it; <em>withheld</em> when its
 * installation failed on another field (nothing of it is applied, the status says why); <em>no object with istioctl
 * either</em> for a GatewayLifecycleManager's mesh-wide meshConfig (ADR 0018); otherwise <em>dropped</em>.
 */
final class Leaves {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> CONTROL_PLANE = Set.of("base", "pilot", "cni", "ztunnel", "istiodRemote");
    private static final Map<String, String> CHART = Map.of("base", "base", "pilot", "istiod", "cni", "cni",
            "ztunnel", "ztunnel", "istiodRemote", "istiod-remote");
    /** IstioOperator names -> the names the rendered Kubernetes objects use for the same setting. */
    private static final Map<String, String> RENAMED = Map.of("targetAverageUtilization", "averageUtilization",
            "replicaCount", "replicas");

    /** The objects the plan renders, and the values of its releases. */
    record Rendered(List<ObjectNode> objects, List<JsonNode> values, List<String> charts) {
    }

    static final class Tally {
        int rendered;
        int chartValue;
        int refused;
        int withheld;
        int noObject;
        final List<String> dropped = new ArrayList<>();

        List<String> dropped() {
            return dropped;
        }

        /** Leaves that count: rendered, refused or dropped (withheld and no-object are shown apart). */
        int counted() {
            return rendered + chartValue + refused + dropped.size();
        }

        void add(Tally t) {
            rendered += t.rendered;
            chartValue += t.chartValue;
            refused += t.refused;
            withheld += t.withheld;
            noObject += t.noObject;
            dropped.addAll(t.dropped);
        }

        String row(String name) {
            double pct = counted() == 0 ? 100 : 100.0 * (rendered + chartValue + refused) / counted();
            return "| " + name + " | " + (counted() + withheld + noObject) + " | " + rendered + " | " + chartValue
                    + " | " + refused
                    + " | " + noObject + " | " + dropped.size() + " | " + String.format("%.1f", pct) + " |"
                    + (withheld > 0 ? " (" + withheld + " withheld: the installation failed on another field)" : "");
        }
    }

    private final Set<String> strings = new HashSet<>();
    private final Set<String> entries = new HashSet<>();
    private final List<String> images = new ArrayList<>();
    private final Set<String> objects = new HashSet<>();
    private final Rendered rendered;
    private final JsonNode iop;

    private Leaves(Rendered rendered, JsonNode iop) {
        this.rendered = rendered;
        this.iop = iop;
        for (ObjectNode o : rendered.objects()) {
            objects.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText());
            index(o, "");
            if ("ConfigMap".equals(o.path("kind").asText())) {
                o.path("data").forEach(v -> {
                    try {
                        JsonNode tree = YAML.readTree(v.asText());
                        if (tree != null && tree.isObject()) {
                            index(tree, "");
                        }
                    } catch (Exception e) {
                        // Not YAML: indexed as a string already.
                    }
                });
            }
        }
    }

    private void index(JsonNode node, String key) {
        if (node.isObject()) {
            if (node.has("name") && node.has("value")) {
                entries.add(node.get("name").asText() + "=" + node.get("value").asText());
            }
            node.fields().forEachRemaining(e -> index(e.getValue(), e.getKey()));
        } else if (node.isArray()) {
            node.forEach(n -> index(n, key));
        } else if (!node.isNull()) {
            strings.add(node.asText());
            entries.add(key + "=" + node.asText());
            if ("image".equals(key)) {
                images.add(node.asText());
            }
        }
    }

    static void measure(String at, JsonNode iop, boolean glm, Rendered rendered, List<String> errors, Tally tally) {
        Leaves leaves = new Leaves(rendered, iop);
        JsonNode components = iop.path("components");
        components.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && e.getValue().path("enabled").isBoolean()
                    && !e.getValue().path("enabled").asBoolean()) {
                leaves.disabledComponents.add("components." + e.getKey());
            }
            for (int i = 0; e.getValue().isArray() && i < e.getValue().size(); i++) {
                if (e.getValue().get(i).path("enabled").isBoolean() && !e.getValue().get(i).path("enabled").asBoolean()) {
                    leaves.disabledComponents.add("components." + e.getKey() + "[" + i + "]");
                }
            }
        });
        String installation = at.substring(0, at.indexOf(".istioOperatorSpec"));
        boolean failed = errors.stream().anyMatch(e -> e.startsWith(installation + ".") || e.equals(installation)
                || !e.startsWith("spec.installations["));
        leaves.walk(at, "", iop, iop, glm, errors, failed, tally);
    }

    private void walk(String path, String key, JsonNode node, JsonNode parent, boolean glm, List<String> errors,
            boolean failed, Tally tally) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> walk(path + "." + e.getKey(), e.getKey(), e.getValue(), node, glm, errors,
                    failed, tally));
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(path + "[" + i + "]", key, node.get(i), node, glm, errors, failed, tally);
            }
            return;
        }
        if (node.isNull()) {
            return;
        }
        int spec = path.indexOf(".istioOperatorSpec.");
        String leaf = spec < 0 ? "" : path.substring(spec + ".istioOperatorSpec.".length());
        if (errors.stream().anyMatch(e -> path.equals(e) || path.startsWith(e + ".") || path.startsWith(e + "["))) {
            tally.refused++;
        } else if (failed) {
            tally.withheld++;
        } else if (glm && leaf.startsWith("meshConfig.") && !leaf.startsWith("meshConfig.defaultConfig.proxyMetadata")
                && !leaf.equals("meshConfig.trustDomain") || (leaf.equals("hub") || leaf.equals("tag")) && images.isEmpty()) {
            // A GLM's mesh-wide meshConfig; a hub or tag where no release renders an image (base only).
            tally.noObject++;
        } else if (reflected(leaf, key, node, parent)) {
            tally.rendered++;
        } else if (chartValue(leaf, node)) {
            tally.chartValue++;
        } else {
            tally.dropped.add(leaf + ": " + node);
        }
    }

    private boolean reflected(String leaf, String key, JsonNode value, JsonNode parent) {
        String[] parts = leaf.split("\\.");
        if (disabled(leaf)) {
            return true;
        }
        if (leaf.startsWith("values.") && iop.at("/unvalidatedValues/" + leaf.substring(7).replace('.', '/'))
                .isValueNode()) {
            // istioctl merges unvalidatedValues over values: the same setting there wins, here as there.
            return true;
        }
        if (leaf.matches("values\\.gateways\\.istio-(ingress|egress)gateway\\.injectionTemplate")) {
            // The upstream gateway chart's pods are injected with the gateway template whatever it says.
            return "gateway".equals(value.asText()) && objects.stream().anyMatch(o -> o.startsWith("Deployment/"));
        }
        if (parts.length == 3 && parts[0].equals("components") && CONTROL_PLANE.contains(parts[1])
                && key.equals("enabled")) {
            return value.asBoolean() == rendered.charts().contains(CHART.get(parts[1]));
        }
        if (leaf.matches("components\\.(ingress|egress)Gateways\\[\\d+]\\.enabled")) {
            String name = parent.path("name").asText();
            boolean present = objects.stream().anyMatch(o -> o.startsWith("Deployment/" + name));
            return value.asBoolean() == present;
        }
        if (leaf.equals("profile") || leaf.equals("compatibilityVersion")) {
            return rendered.values().stream().anyMatch(v -> value.asText().equals(v.path(leaf).asText()))
                    || leaf.equals("profile") && Set.of("default", "minimal", "empty", "openshift").contains(value.asText());
        }
        if (leaf.matches(".*\\.overlays\\[\\d+]\\.(kind|name)")) {
            return objects.contains(parent.path("kind").asText() + "/" + parent.path("name").asText());
        }
        if (leaf.matches(".*\\.overlays\\[\\d+]\\.patches\\[\\d+]\\.path")) {
            JsonNode v = parent.get("value");
            return v == null || v.isNull() || reflectedValue("value", v);
        }
        return reflectedValue(key, value);
    }

    private boolean reflectedValue(String key, JsonNode value) {
        if (value.isTextual() && strings.contains(value.asText())) {
            return true;
        }
        if (value.isTextual()) {
            try {
                JsonNode tree = YAML.readTree(value.asText());
                if (tree != null && tree.isObject()) {
                    List<Boolean> all = new ArrayList<>();
                    tree.fields().forEachRemaining(e -> collect(e.getKey(), e.getValue(), all));
                    return !all.isEmpty() && !all.contains(false);
                }
            } catch (Exception e) {
                // A plain string.
            }
            return strings.contains(value.asText()) || images.stream().anyMatch(i -> i.contains(value.asText()));
        }
        return entries.contains(key + "=" + value.asText())
                || entries.contains(RENAMED.getOrDefault(key, key) + "=" + value.asText());
    }

    /**
     * A leaf under a component that says enabled: false renders nothing, as with istioctl (whether the component is
     * rendered is the enabled leaf's own check).
     */
    private boolean disabled(String leaf) {
        return leaf.matches("components\\.[A-Za-z]+(\\[\\d+])?\\..+") && !leaf.endsWith(".enabled")
                && disabledComponents.stream().anyMatch(c -> leaf.startsWith(c + "."));
    }

    private final List<String> disabledComponents = new ArrayList<>();

    /**
     * A leaf passed on as a value of the upstream chart at the same place (values.X, unvalidatedValues.X: X or, for
     * the charts that take them flattened, X without its first key; hub, tag: global.hub, global.tag), which the
     * stand-in charts do not render but the upstream ones read (translator-service's OnlyRealValuesTest).
     */
    private boolean chartValue(String leaf, JsonNode value) {
        List<String> places = new ArrayList<>();
        if (leaf.equals("hub") || leaf.equals("tag")) {
            places.add("global." + leaf);
        }
        for (String prefix : List.of("values.", "unvalidatedValues.")) {
            if (leaf.startsWith(prefix)) {
                String p = leaf.substring(prefix.length());
                places.add(p);
                if (p.contains(".")) {
                    places.add(p.substring(p.indexOf('.') + 1));
                }
            }
        }
        for (String place : places) {
            String pointer = "/" + place.replace("~", "~0").replace("/", "~1").replace('.', '/');
            if (rendered.values().stream().anyMatch(v -> v.at(pointer).isValueNode()
                    && v.at(pointer).asText().equals(value.asText()))) {
                return true;
            }
        }
        return false;
    }

    private void collect(String key, JsonNode node, List<Boolean> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            node.forEach(n -> collect(key, n, out));
        } else if (!node.isNull()) {
            out.add(reflectedValue(key, node));
        }
    }
}
