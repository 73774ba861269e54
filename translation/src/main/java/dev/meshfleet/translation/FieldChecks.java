package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Type and shape checks of the fields Meshfleet reads, so that a value of the wrong type (a string
 * where a list belongs, "yes" for a boolean, a number for a name) is an error naming the field
 * rather than a silent default. Each check adds {path, message} to {@code problems}.
 */
final class FieldChecks {

    private FieldChecks() {
    }

    static void string(JsonNode parent, String field, String path, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            problems.add(new String[] {path + "." + field, "must be a string, got " + Json.describe(v)
                    + (v.isNumber() ? "; quote it" : "")});
        }
    }

    static void bool(JsonNode parent, String field, String path, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            problems.add(new String[] {path + "." + field, "must be true or false, got " + Json.describe(v)});
        }
    }

    static void object(JsonNode parent, String field, String path, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && !v.isNull() && !v.isObject()) {
            problems.add(new String[] {path + "." + field, "must be an object (key: value pairs), got " + Json.describe(v)});
        }
    }

    static void list(JsonNode parent, String field, String path, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && !v.isNull() && !v.isArray()) {
            problems.add(new String[] {path + "." + field, "must be a list, got " + Json.describe(v)});
        }
    }

    /** A map of string to string (annotations, labels). */
    static void stringMap(JsonNode parent, String field, String path, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            problems.add(new String[] {path + "." + field, "must be a map of string keys to string values, got "
                    + Json.describe(v)});
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                problems.add(new String[] {path + "." + field + "." + e.getKey(), "must be a string, got "
                        + Json.describe(e.getValue()) + "; quote it"});
            }
        }
    }

    /** A Kubernetes list of objects each with a string name (env vars, imagePullSecrets). */
    static void namedList(JsonNode parent, String field, String path, String example, List<String[]> problems) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            problems.add(new String[] {path + "." + field, "must be a list of entries such as " + example + ", got "
                    + Json.describe(v)});
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isObject() || !e.path("name").isTextual() || e.path("name").asText().isEmpty()) {
                problems.add(new String[] {path + "." + field + "[" + i + "]", "must be an entry with a name, such as "
                        + example + ", got " + Json.describe(e)});
            }
        }
    }

    /** istioOperatorSpec fields Meshfleet reads or passes on. */
    static void operatorSpec(String path, JsonNode iop, List<String[]> problems) {
        String p = path + ".istioOperatorSpec";
        for (String f : List.of("hub", "tag", "profile", "namespace")) {
            string(iop, f, p, problems);
        }
        String profile = Json.text(iop, "profile");
        if (iop.path("profile").isTextual() && !profile.isEmpty() && !Profiles.ALL.containsKey(profile)) {
            problems.add(new String[] {p + ".profile", "'" + profile + "' is not an Istio profile; use one of "
                    + Profiles.ALL.keySet() + " or leave it empty (default)"});
        }
        String namespace = Json.text(iop, "namespace");
        if (iop.path("namespace").isTextual() && !namespace.isEmpty() && Labels.checkDnsLabel(namespace) != null) {
            problems.add(new String[] {p + ".namespace", Labels.checkDnsLabel(namespace) + "; use a namespace name such as istio-system"});
        }
        String tag = Json.text(iop, "tag");
        if (iop.path("tag").isTextual() && !tag.isEmpty() && !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            problems.add(new String[] {p + ".tag", "'" + tag + "' is not an image tag (letters, digits, '_', '.', '-',"
                    + " at most 128); use a tag such as 1.24.2-solo"});
        }
        for (String f : List.of("components", "values", "meshConfig")) {
            object(iop, f, p, problems);
        }
        JsonNode components = iop.get("components");
        if (components != null && components.isObject()) {
            JsonNode pilot = components.get("pilot");
            if (pilot != null && !pilot.isNull() && !pilot.isObject()) {
                problems.add(new String[] {p + ".components.pilot", "must be an object, got " + Json.describe(pilot)});
            } else if (pilot != null && pilot.isObject()) {
                object(pilot, "k8s", p + ".components.pilot", problems);
                JsonNode k8s = pilot.get("k8s");
                if (k8s != null && k8s.isObject()) {
                    namedList(k8s, "env", p + ".components.pilot.k8s", "{name: PILOT_TRACE_SAMPLING, value: \"100\"}", problems);
                    for (String f : List.of("resources", "nodeSelector", "affinity", "podAnnotations", "hpaSpec")) {
                        object(k8s, f, p + ".components.pilot.k8s", problems);
                    }
                    list(k8s, "tolerations", p + ".components.pilot.k8s", problems);
                }
            }
            for (String type : List.of("ingressGateways", "egressGateways")) {
                list(components, type, p + ".components", problems);
            }
        }
        JsonNode meshConfig = iop.get("meshConfig");
        if (meshConfig != null && meshConfig.isObject()) {
            string(meshConfig, "trustDomain", p + ".meshConfig", problems);
        }
    }

    /**
     * istioController (seed 000). Only waitForResourcesTimeout applies (the installer's readiness
     * wait, checked by the caller); the others tune Gloo's in-cluster IstioOperator controller, which
     * Meshfleet does not deploy (it renders and applies the charts itself), so they are checked and
     * otherwise ignored.
     */
    static void istioController(String path, JsonNode node, List<String[]> problems) {
        JsonNode ic = node.get("istioController");
        if (ic == null || ic.isNull()) {
            return;
        }
        String p = path + ".istioController";
        if (!ic.isObject()) {
            problems.add(new String[] {p, "must be an object such as {waitForResourcesTimeout: 5m}, got " + Json.describe(ic)});
            return;
        }
        stringMap(ic, "annotations", p, problems);
        stringMap(ic, "labels", p, problems);
        namedList(ic, "envVars", p, "{name: LOG_LEVEL, value: debug}", problems);
        namedList(ic, "imagePullSecrets", p, "{name: my-registry-secret}", problems);
        object(ic, "resources", p, problems);
        object(ic, "securityContext", p, problems);
        string(ic, "waitForResourcesTimeout", p, problems);
    }
}
