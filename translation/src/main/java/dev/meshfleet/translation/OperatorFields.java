package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for every IstioOperator field outside {@code k8s} (those are {@link K8sFields}): the spec's own fields,
 * the components and their fields, the groups of {@code values} and {@code unvalidatedValues}, and {@code meshConfig}.
 * For an IstioLifecycleManager and for a GatewayLifecycleManager each field is either translated (to the chart values
 * named here) or refused with a message that says what to use instead; a field the API does not have is refused as a
 * misspelling. istioctl refuses unknown fields too, and anything accepted here and not translated would be a spec
 * partly ignored. One table, read by the validation and by the field-table test.
 */
public final class OperatorFields {
    /** Which resource holds the IstioOperator spec: an ILM installs the control plane, a GLM gateways only. */
    public enum Kind {
        ILM, GLM
    }

    public sealed interface Rule permits Translated, Refused {
    }

    /** {@code values} names what the field becomes; {@code golden} the golden case that pins it. */
    public record Translated(String values, String golden) implements Rule {
    }

    public record Refused(String message) implements Rule {
    }

    /** The fields of IstioOperatorSpec. */
    public static final List<String> SPEC_FIELDS = List.of("profile", "installPackagePath", "hub", "tag", "namespace",
            "revision", "compatibilityVersion", "meshConfig", "components", "values", "unvalidatedValues");
    public static final List<String> COMPONENTS = List.of("base", "pilot", "cni", "ztunnel", "istiodRemote",
            "ingressGateways", "egressGateways");
    static final List<String> BASE_FIELDS = List.of("enabled", "k8s");
    static final List<String> COMPONENT_FIELDS = List.of("enabled", "namespace", "hub", "tag", "k8s");
    static final List<String> GATEWAY_FIELDS = List.of("enabled", "namespace", "hub", "tag", "k8s", "name", "label");
    /** The groups of the Values message (values_types.proto). */
    public static final List<String> VALUES_GROUPS = List.of("cni", "gateways", "global", "pilot", "ztunnel", "telemetry",
            "sidecarInjectorWebhook", "istio_cni", "revision", "ownerName", "meshConfig", "base", "istiodRemote",
            "revisionTags", "defaultRevision", "profile", "compatibilityVersion", "experimental");
    /** The fields of values.gateways (GatewaysConfig). */
    public static final List<String> VALUES_GATEWAYS = List.of("enabled", "istio-ingressgateway", "istio-egressgateway",
            "securityContext", "seccompProfile");

    private static final Map<Kind, Map<String, Rule>> RULES = Map.of(Kind.ILM, new LinkedHashMap<>(), Kind.GLM,
            new LinkedHashMap<>());

    private static final String LEGACY_GATEWAY = "a value of istioctl's legacy gateway charts; Meshfleet installs the"
            + " upstream gateway chart: use the entry's k8s fields and label instead";

    private static String gatewayInIlm(String type) {
        return "an IstioLifecycleManager installs the control plane only; move this gateway to a"
                + " GatewayLifecycleManager's istioOperatorSpec.components." + type + ", or set enabled: false";
    }

    private static final String CONTROL_PLANE_IN_GLM = "a GatewayLifecycleManager installs gateways only; install the"
            + " control plane with an IstioLifecycleManager, or set enabled: false";
    private static final String ISTIOD_REMOTE = "Meshfleet installs no istiod-remote chart; for a cluster whose control"
            + " plane runs elsewhere use profile: remote (the istiod chart's remote profile) with values.istiodRemote and"
            + " values.global.remotePilotAddress, or set enabled: false";

    static {
        Map<String, Rule> ilm = RULES.get(Kind.ILM);
        Map<String, Rule> glm = RULES.get(Kind.GLM);
        both("spec.profile", new Translated("each of istioctl's profiles (`translate.Profiles`): its components (empty:"
                + " none; ambient, openshift-ambient: cni and ztunnel; openshift: cni; in kube-system for the openshift"
                + " ones); `profile` of the base, istiod, cni and ztunnel charts (ambient, demo, preview, remote, stable;"
                + " openshift-ambient: ambient); `global.platform: openshift` for openshift, openshift-ambient", "ilm-ambient"),
                new Translated("`profile` of the gateway chart (ambient, demo, preview, remote, stable; openshift-ambient:"
                        + " ambient), `global.platform: openshift` for openshift, openshift-ambient (the components a"
                        + " profile chooses are not read: a GLM lists its gateways)", "glm-operator-fields"));
        both("spec.installPackagePath", refused("Meshfleet installs the charts from spec.helmGlobal.repo (or the"
                + " installer's default); set that instead, or remove it"));
        both("spec.hub", new Translated("`global.hub` of every chart", "example-ilm-minimal"),
                new Translated("`global.hub` of the gateway chart", "example-glm-ingress"));
        both("spec.tag", new Translated("`global.tag` of every chart", "example-ilm-minimal"),
                new Translated("`global.tag` of the gateway chart", "example-glm-ingress"));
        both("spec.namespace", new Translated("release namespace; `global.istioNamespace`", "ilm-values-mapping"),
                new Translated("release namespace of a gateway entry without its own namespace (else gloo-mesh-gateways)",
                        "glm-operator-fields"));
        both("spec.revision", new Translated("nothing of its own: it must equal the installation's `revision` (resolved"
                + " `auto`), which sets `revision` of every chart; a different value is refused", "ilm-operator-fields"),
                new Translated("nothing of its own: it must equal the installation's `controlPlaneRevision` (the revision"
                        + " the gateway's pods are injected by); a different value is refused", "glm-operator-fields"));
        both("spec.compatibilityVersion", new Translated("`compatibilityVersion` of the base, istiod, cni and ztunnel"
                + " charts", "ilm-operator-fields"), new Translated("`compatibilityVersion` of the gateway chart",
                        "glm-operator-fields"));
        both("spec.meshConfig", new Translated("istiod `meshConfig` (over `values.meshConfig`), `trustDomain` from"
                + " clusters[].trustDomain, else the spec's, else the cluster name", "ilm-trust-domain"),
                new Translated("per field, see `meshConfig.*` (a GLM)", "glm-operator-fields"));
        both("spec.components", new Translated("per component, below", "ilm-component-k8s"),
                new Translated("per component, below", "glm-gateway-k8s"));
        both("spec.values", new Translated("per group, below", "ilm-values-mapping"),
                new Translated("per group, below", "glm-operator-fields"));
        both("spec.unvalidatedValues", new Translated("merged over `values` (as istioctl does), then the rules of"
                + " `values.*`", "ilm-operator-fields"), new Translated("merged over `values`, then the rules of"
                        + " `values.*`", "glm-operator-fields"));

        // Control plane components.
        Rule cpInGlm = refused(CONTROL_PLANE_IN_GLM);
        Rule remote = refused(ISTIOD_REMOTE);
        ilm.put("components.base.enabled", new Translated("false: no `istio-base` release", "ilm-operator-fields"));
        ilm.put("components.base.k8s", new Translated("per field, `K8sFields` (base: all refused)", "invalid-operator-fields"));
        ilm.put("components.pilot.enabled", new Translated("false: no istiod release", "ilm-operator-fields"));
        ilm.put("components.pilot.namespace", new Translated("istiod release namespace", "ilm-values-mapping"));
        ilm.put("components.pilot.hub", new Translated("istiod `pilot.hub`", "ilm-values-mapping"));
        ilm.put("components.pilot.tag", new Translated("istiod `pilot.tag`", "ilm-values-mapping"));
        ilm.put("components.pilot.k8s", new Translated("per field, `K8sFields`", "ilm-values-mapping"));
        for (String c : List.of("cni", "ztunnel")) {
            String release = c.equals("cni") ? "istio-cni" : "ztunnel";
            ilm.put("components." + c + ".enabled", new Translated("the `" + release + "` release (default: on for"
                    + " profile ambient, else off)", "ilm-operator-fields"));
            ilm.put("components." + c + ".namespace", new Translated(release + " release namespace", "ilm-component-k8s"));
            ilm.put("components." + c + ".hub", new Translated(c + " `hub`", "ilm-component-k8s"));
            ilm.put("components." + c + ".tag", new Translated(c + " `tag`", "ilm-component-k8s"));
            ilm.put("components." + c + ".k8s", new Translated("per field, `K8sFields`", "ilm-component-k8s"));
        }
        for (String f : COMPONENT_FIELDS) {
            ilm.put("components.istiodRemote." + f, f.equals("enabled")
                    ? new Translated("false: nothing (as istioctl); true is refused: " + ISTIOD_REMOTE, "ilm-operator-fields")
                    : remote);
        }
        for (String c : List.of("base", "pilot", "cni", "ztunnel", "istiodRemote")) {
            for (String f : c.equals("base") ? BASE_FIELDS : COMPONENT_FIELDS) {
                glm.put("components." + c + "." + f, f.equals("enabled")
                        ? new Translated("false: nothing (a GLM installs no control plane); true is refused: "
                                + CONTROL_PLANE_IN_GLM, "glm-operator-fields")
                        : cpInGlm);
            }
        }
        // Gateways.
        for (String type : List.of("ingressGateways", "egressGateways")) {
            String p = "components." + type + ".";
            for (String f : GATEWAY_FIELDS) {
                ilm.put(p + f, f.equals("enabled")
                        ? new Translated("false: nothing; true is refused: " + gatewayInIlm(type), "ilm-operator-fields")
                        : refused(gatewayInIlm(type)));
            }
            glm.put(p + "enabled", new Translated("one `gateway` release per enabled entry (absent: enabled)", "glm-gateways"));
            glm.put(p + "name", new Translated("gateway `name: <name>-<rev>`; release `<name>-<rev>`; Service `<name>`",
                    "glm-gateways"));
            glm.put(p + "namespace", new Translated("release namespace", "glm-gateways"));
            glm.put(p + "label", new Translated("gateway `labels` over istioctl's defaults; the Service's labels and"
                    + " selector", "glm-gateways"));
            glm.put(p + "k8s", new Translated("per field, `K8sFields`", "glm-gateway-k8s"));
            for (String f : List.of("hub", "tag")) {
                glm.put(p + f, refused("the upstream gateway chart takes its image from the control plane's injection"
                        + " (image: auto), so a gateway's own " + f + " cannot apply; set istioOperatorSpec." + f
                        + " (or the control plane's), or remove it"));
            }
        }

        // values.* groups.
        both("values.global", new Translated("`global` of every chart (the base chart: imagePullSecrets, platform)",
                "ilm-values-mapping"), new Translated("`global` of the gateway chart", "glm-operator-fields"));
        ilm.put("values.pilot", new Translated("istiod `pilot` (k8s settings win)", "ilm-values-mapping"));
        for (String g : List.of("telemetry", "sidecarInjectorWebhook", "ownerName", "istiodRemote")) {
            ilm.put("values." + g, new Translated("istiod `" + g + "`", "ilm-operator-fields"));
        }
        ilm.put("values.meshConfig", new Translated("istiod `meshConfig`, under spec.meshConfig", "ilm-values-mapping"));
        ilm.put("values.experimental", new Translated("`experimental` of the istiod and base charts", "ilm-operator-fields"));
        ilm.put("values.revisionTags", new Translated("istiod `revisionTags` (with `default` added for a default"
                + " revision)", "ilm-operator-fields"));
        ilm.put("values.base", new Translated("base chart `base`", "ilm-operator-fields"));
        ilm.put("values.cni", new Translated("top level of the cni chart", "ilm-ambient"));
        ilm.put("values.ztunnel", new Translated("top level of the ztunnel chart", "ilm-ambient"));
        ilm.put("values.revision", new Translated("nothing of its own: it must equal the installation's `revision`;"
                + " a different value is refused", "ilm-operator-fields"));
        ilm.put("values.defaultRevision", refused("the default revision is chosen per cluster; set"
                + " clusters[].defaultRevision: true instead, and remove it"));
        for (Kind k : Kind.values()) {
            RULES.get(k).put("values.istio_cni", refused("deprecated and not read by the 1.24 charts; use"
                    + " components.cni.enabled and values.pilot.cni.enabled instead"));
            RULES.get(k).put("values.profile", refused("set istioOperatorSpec.profile instead"));
            RULES.get(k).put("values.compatibilityVersion", refused("set istioOperatorSpec.compatibilityVersion instead"));
        }
        for (String g : List.of("pilot", "telemetry", "sidecarInjectorWebhook", "ownerName", "istiodRemote", "meshConfig",
                "experimental", "revisionTags", "base", "cni", "ztunnel", "revision", "defaultRevision")) {
            glm.put("values." + g, refused("a GatewayLifecycleManager installs gateways only and no chart of it reads"
                    + " values." + g + "; set it in the IstioLifecycleManager of the control plane"));
        }
        both("values.gateways", new Translated("per field, `values.gateways.*`", "ilm-operator-fields"),
                new Translated("per field, `values.gateways.*`", "invalid-operator-fields"));
        for (String g : List.of("securityContext", "seccompProfile")) {
            ilm.put("values.gateways." + g, new Translated("istiod `gateways." + g + "` (its gateway injection template)",
                    "ilm-operator-fields"));
            glm.put("values.gateways." + g, refused("the control plane's injection template applies it to gateway pods;"
                    + " set it in the IstioLifecycleManager's values.gateways." + g));
        }
        for (String g : List.of("enabled", "istio-ingressgateway", "istio-egressgateway")) {
            ilm.put("values.gateways." + g, refused("gateways belong to a GatewayLifecycleManager; configure them with"
                    + " its components.ingressGateways[]/egressGateways[] (k8s, label), and remove this"));
            if (g.equals("enabled")) {
                glm.put("values.gateways." + g, refused(LEGACY_GATEWAY));
            } else {
                glm.put("values.gateways." + g, new Translated("`injectionTemplate: gateway` only, which the upstream"
                        + " gateway chart's pods have already (seed 004); any other field is refused: " + LEGACY_GATEWAY,
                        "glm-operator-fields"));
            }
        }

        // meshConfig.*
        ilm.put("meshConfig.*", new Translated("istiod `meshConfig.<field>`", "example-ilm-minimal"));
        // A GLM's meshConfig: what istioctl's gateway charts read of it reaches the gateway; the rest is mesh-wide,
        // and istioctl renders nothing of it for a gateway-only install either (seed 001 sets some of it).
        glm.put("meshConfig.defaultConfig", new Translated("`proxyMetadata` -> gateway `env` (as istioctl's gateway"
                + " chart; k8s.env wins); any other defaultConfig field is refused: set it in k8s.podAnnotations"
                + " proxy.istio.io/config", "example-glm-egress"));
        glm.put("meshConfig.trustDomain", new Translated("gateway `env` TRUST_DOMAIN and ISTIO_META_MESH_ID (unless"
                + " values.global.meshID), as istioctl's gateway chart; clusters[].trustDomain wins", "glm-operator-fields"));
        glm.put("meshConfig.enablePrometheusMerge", new Translated("true: the gateway chart's default podAnnotations"
                + " already carry prometheus.io/port, scrape and path; false is refused (they cannot be removed)",
                "glm-operator-fields"));
        glm.put("meshConfig.*", new Translated("no object, as with istioctl: its gateway charts do not read it; it is"
                + " mesh-wide, held by the control plane's mesh config (the IstioLifecycleManager's meshConfig)",
                "example-glm-egress"));
    }

    private OperatorFields() {
    }

    private static void both(String field, Rule ilm, Rule glm) {
        RULES.get(Kind.ILM).put(field, ilm);
        RULES.get(Kind.GLM).put(field, glm);
    }

    private static void both(String field, Rule rule) {
        both(field, rule, rule);
    }

    private static Rule refused(String message) {
        return new Refused(message);
    }

    /**
     * The rule for a field, named as in the field list: {@code spec.<field>}, {@code components.<component>.<field>},
     * {@code values.<group>}, {@code values.gateways.<field>}, {@code meshConfig.<field>}. Null: not a field the API has.
     */
    public static Rule rule(Kind kind, String field) {
        Map<String, Rule> rules = RULES.get(kind);
        Rule exact = rules.get(field);
        if (exact != null || !field.startsWith("meshConfig.")) {
            return exact;
        }
        return rules.get("meshConfig.*");
    }

    /** values with unvalidatedValues merged over them, as istioctl merges them. */
    static ObjectNode values(JsonNode iop) {
        return Json.merge(Json.objectOf(iop, "values"), iop.get("unvalidatedValues"));
    }

    /**
     * Refusals for the fields of an IstioOperator spec at {@code at} (…istioOperatorSpec). {@code revision} is the
     * revision spec.revision and values.revision must equal (ILM: the installation's; GLM: its control plane's).
     */
    static void check(Kind kind, String at, JsonNode iop, String revision, List<String[]> problems) {
        each(iop, (f, v) -> {
            if (!SPEC_FIELDS.contains(f)) {
                problems.add(new String[] {at + "." + f, "is not a field of the IstioOperator spec (one of " + SPEC_FIELDS
                        + "); check its spelling"});
            } else if (f.equals("revision")) {
                sameRevision(at + ".revision", v, revision, kind, problems);
            } else {
                refuse(kind, "spec." + f, at + "." + f, problems);
            }
        });
        components(kind, at + ".components", iop.get("components"), problems);
        values(kind, at + ".values", iop.get("values"), revision, problems);
        JsonNode unvalidated = iop.get("unvalidatedValues");
        if (unvalidated != null && !unvalidated.isNull() && !unvalidated.isObject()) {
            problems.add(new String[] {at + ".unvalidatedValues", "must be an object (key: value pairs), got "
                    + Json.describe(unvalidated)});
        }
        values(kind, at + ".unvalidatedValues", unvalidated, revision, problems);
        if (kind == Kind.GLM) {
            JsonNode mesh = iop.get("meshConfig");
            each(mesh == null ? null : mesh.get("defaultConfig"), (d, x) -> {
                if (!d.equals("proxyMetadata")) {
                    problems.add(new String[] {at + ".meshConfig.defaultConfig." + d, "a gateway's own proxy settings"
                            + " go in its k8s.podAnnotations proxy.istio.io/config; the mesh-wide default is the"
                            + " control plane's (the IstioLifecycleManager's meshConfig.defaultConfig)"});
                }
            });
            if (mesh != null && mesh.path("enablePrometheusMerge").isBoolean() && !mesh.get("enablePrometheusMerge")
                    .booleanValue()) {
                problems.add(new String[] {at + ".meshConfig.enablePrometheusMerge", "false cannot apply to a gateway:"
                        + " the upstream gateway chart's default podAnnotations carry prometheus.io/port, scrape and"
                        + " path; remove it"});
            }
        }
    }

    private static void components(Kind kind, String at, JsonNode components, List<String[]> problems) {
        each(components, (c, v) -> {
            if (!COMPONENTS.contains(c)) {
                problems.add(new String[] {at + "." + c, "is not an IstioOperator component (one of " + COMPONENTS
                        + "); check its spelling"});
            } else if (c.endsWith("Gateways")) {
                for (int k = 0; v.isArray() && k < v.size(); k++) {
                    component(kind, c, at + "." + c + "[" + k + "]", v.get(k), GATEWAY_FIELDS, problems);
                }
            } else {
                component(kind, c, at + "." + c, v, c.equals("base") ? BASE_FIELDS : COMPONENT_FIELDS, problems);
            }
        });
    }

    /** A component refused as a whole gives one refusal; otherwise each refused or unknown field gives its own. */
    private static void component(Kind kind, String name, String at, JsonNode c, List<String> fields,
            List<String[]> problems) {
        if (c == null || !c.isObject()) {
            return;
        }
        String whole = wholeComponentRefusal(kind, name);
        if (whole != null) {
            // A component written without enabled was written to be installed.
            if (Json.bool(c, "enabled", true)) {
                problems.add(new String[] {at, whole});
            }
            return;
        }
        each(c, (f, v) -> {
            if (!fields.contains(f)) {
                problems.add(new String[] {at + "." + f, "is not a field of an IstioOperator component (one of " + fields
                        + "); check its spelling"});
            } else {
                refuse(kind, "components." + name + "." + f, at + "." + f, problems);
            }
        });
    }

    /**
     * Components refused as a whole unless enabled: false (one refusal at the component, not one per field): gateways
     * in an ILM, the control plane in a GLM, istiodRemote anywhere. Null: the component's fields have their own rules.
     */
    private static String wholeComponentRefusal(Kind kind, String name) {
        if (kind == Kind.ILM) {
            return name.equals("istiodRemote") ? ISTIOD_REMOTE : name.endsWith("Gateways") ? gatewayInIlm(name) : null;
        }
        return name.endsWith("Gateways") ? null : CONTROL_PLANE_IN_GLM;
    }

    private static void values(Kind kind, String at, JsonNode values, String revision, List<String[]> problems) {
        each(values, (g, v) -> {
            if (!VALUES_GROUPS.contains(g)) {
                problems.add(new String[] {at + "." + g, "is not a group of the IstioOperator values (one of "
                        + VALUES_GROUPS + "), so no chart reads it; check its spelling"});
            } else if (g.equals("revision") && kind == Kind.ILM) {
                sameRevision(at + ".revision", v, revision, kind, problems);
            } else if (g.equals("gateways")) {
                each(v, (s, x) -> {
                    if (!VALUES_GATEWAYS.contains(s)) {
                        problems.add(new String[] {at + ".gateways." + s, "is not a field of values.gateways (one of "
                                + VALUES_GATEWAYS + "); check its spelling"});
                    } else if (kind == Kind.GLM && s.startsWith("istio-")) {
                        legacyGateway(at + ".gateways." + s, x, problems);
                    } else {
                        refuse(kind, "values.gateways." + s, at + ".gateways." + s, problems);
                    }
                });
            } else {
                refuse(kind, "values." + g, at + "." + g, problems);
            }
        });
    }

    /** values.gateways.istio-*gateway in a GLM: the gateway injection template is what the upstream chart does. */
    private static void legacyGateway(String at, JsonNode settings, List<String[]> problems) {
        each(settings, (f, v) -> {
            if (!(f.equals("injectionTemplate") && v.asText().equals("gateway"))) {
                problems.add(new String[] {at + "." + f, LEGACY_GATEWAY});
            }
        });
    }

    private static void sameRevision(String at, JsonNode v, String revision, Kind kind, List<String[]> problems) {
        String given = v.isTextual() ? v.asText() : Json.describe(v);
        if (!given.equals(revision)) {
            String field = kind == Kind.ILM ? "the installation's revision" : "the installation's controlPlaneRevision";
            problems.add(new String[] {at, "'" + given + "' differs from " + field + " '" + revision + "'; Meshfleet"
                    + " takes the revision from " + (kind == Kind.ILM ? "spec.installations[].revision"
                            : "spec.installations[].controlPlaneRevision") + ": set it there and remove this"});
        }
    }

    private static void refuse(Kind kind, String field, String at, List<String[]> problems) {
        if (rule(kind, field) instanceof Refused r) {
            problems.add(new String[] {at, r.message()});
        }
    }

    private interface FieldVisitor {
        void visit(String field, JsonNode value);
    }

    /** Each non-null field of an object (nothing for anything else: shapes are FieldChecks'). */
    private static void each(JsonNode node, FieldVisitor visitor) {
        if (node == null || !node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                visitor.visit(e.getKey(), e.getValue());
            }
        }
    }
}
