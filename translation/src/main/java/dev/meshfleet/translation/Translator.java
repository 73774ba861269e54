package dev.meshfleet.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import dev.meshfleet.schemas.time.GoDuration;
import dev.meshfleet.schemas.v1.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IstioOperator spec of an ILM or GLM -> per cluster the installations to apply (Helm releases with
 * values) and the validation errors. Pure: no Kafka, no Kubernetes, no clock; the same input gives
 * byte-identical output.
 *
 * <p>Validation happens here in three layers: per installation (types and shapes of every field read,
 * {@link FieldChecks}; revision, istioOperatorSpec, istioController, kind-specific rules), per cluster
 * entry (missing, mistyped or repeated names, mistyped flags) and across the installations of one
 * resource (the same cluster and revision twice, two default revisions in a cluster); plus
 * spec.helmGlobal.repo for the whole resource. An error only withholds the plans of the clusters it
 * concerns. Rules across resources (claims) are decided downstream, where a cluster's owners meet.
 */
public final class Translator {
    static final long DEFAULT_WAIT_MILLIS = 5 * 60_000L;

    private final TranslatorSettings settings;
    private final ChartSourceAllowList allowed;
    private final SmcTranslator controllers;
    private final EcpTranslator externalControlPlanes;

    /** @throws IllegalArgumentException when an allowed chart source is not one (a configuration error) */
    public Translator(TranslatorSettings settings) {
        this.settings = settings;
        this.allowed = settings.allowList();
        this.controllers = new SmcTranslator(settings);
        this.externalControlPlanes = new EcpTranslator(settings);
    }

    /** One valid cluster entry of an installation. */
    record ClusterEntry(int index, String name, JsonNode node) {
    }

    /** An installation after the first validation pass. */
    record Installation(int index, String path, JsonNode node, String revision, List<ClusterEntry> clusters,
            List<String[]> problems, long waitMillis) {
        boolean broken() {
            return !problems.isEmpty();
        }
    }

    /**
     * @throws IllegalArgumentException for kind {@code Unknown}: a record this build cannot read the kind of is never
     *         translated (docs/adr/0027); the caller refuses it before
     */
    public Translation translate(Owner owner, long generation, JsonNode spec) {
        return translate(owner, generation, spec, EcpFacts.NONE);
    }

    /**
     * As {@link #translate(Owner, long, JsonNode)}, with the facts from other clusters an ExternalControlPlane's plans
     * depend on (docs/adr/0031); the other kinds depend on none and ignore them.
     */
    public Translation translate(Owner owner, long generation, JsonNode spec, EcpFacts facts) {
        return translate(owner, generation, spec, facts, null);
    }

    /**
     * As {@link #translate(Owner, long, JsonNode, EcpFacts)}, a ServiceMeshController with the {@code data} of its
     * namespace's {@code gloo-extensions-config} ConfigMap (null: none; docs/adr/0045); the other kinds ignore it.
     */
    public Translation translate(Owner owner, long generation, JsonNode spec, EcpFacts facts, JsonNode extensions) {
        return translate(owner, generation, spec, facts, extensions, SmcPeering.Inputs.NONE);
    }

    /**
     * As {@link #translate(Owner, long, JsonNode, EcpFacts, JsonNode)}, a peered ServiceMeshController with its peers
     * (docs/adr/0046); the other kinds ignore them.
     */
    public Translation translate(Owner owner, long generation, JsonNode spec, EcpFacts facts, JsonNode extensions,
            SmcPeering.Inputs peering) {
        switch (owner.kind()) {
            case ServiceMeshController -> {
                SmcTranslation t = controllers.translate(owner.namespace(), owner.name(), generation, spec, extensions,
                        peering);
                return Translation.of(owner, generation, t.plansByCluster(), t.errors());
            }
            case ExternalControlPlane -> {
                EcpTranslation t = externalControlPlanes.translate(owner.namespace(), owner.name(), generation, spec, facts);
                return Translation.of(owner, generation, t.plansByCluster(), t.errors());
            }
            case Unknown -> throw new IllegalArgumentException("kind Unknown is never translated (docs/adr/0027)");
            default -> {
            }
        }
        List<TranslationError> errors = new ArrayList<>();
        Map<String, List<Plan>> plans = new TreeMap<>();
        JsonNode list = spec == null ? null : spec.get("installations");
        if (list == null || list.isNull()) {
            return Translation.of(owner, generation, plans, errors);
        }
        if (!list.isArray()) {
            errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, "", "spec.installations",
                    "must be a list of installations"));
            return Translation.of(owner, generation, plans, errors);
        }
        boolean gateway = owner.kind() == ResourceKind.GatewayLifecycleManager;
        String[] chartSourceProblem = new String[2];
        String chartSource = chartSource(spec, chartSourceProblem);
        List<Installation> installations = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Installation inst = firstPass(i, list.get(i), gateway, errors);
            if (chartSourceProblem[0] != null) {
                // A resource-wide field: every installation is concerned, so every cluster's status shows it.
                inst.problems().add(chartSourceProblem);
            }
            installations.add(inst);
        }
        // Errors of a whole installation are reported once per cluster it names, so each cluster's status shows them.
        for (Installation inst : installations) {
            for (String[] problem : inst.problems()) {
                if (inst.clusters().isEmpty()) {
                    errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, inst.revision(), problem[0], problem[1]));
                }
                for (ClusterEntry c : inst.clusters()) {
                    errors.add(new TranslationError(c.name(), inst.revision(), problem[0], problem[1]));
                }
            }
        }
        Set<String> excluded = crossInstallationChecks(installations, gateway, errors);
        for (Installation inst : installations) {
            if (inst.broken()) {
                continue;
            }
            for (ClusterEntry c : inst.clusters()) {
                if (excluded.contains(inst.index() + "|" + c.name())) {
                    continue;
                }
                Plan plan = gateway ? GatewayPlans.plan(owner, generation, inst, c, settings, chartSource)
                        : ControlPlanePlans.plan(owner, generation, inst, c, settings, chartSource);
                plans.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(plan);
            }
        }
        plans.values().forEach(l -> l.sort(java.util.Comparator.comparing(Plan::revision)));
        return Translation.of(owner, generation, plans, errors);
    }

    /**
     * spec.helmGlobal.repo (seed 001 for GLM; the same field on ILM is a Meshfleet extension): the chart
     * source of every release of the resource. Empty: the configured default-chart-source, else the
     * installer's default. A value that is none of the accepted forms sets problem to {path, message}.
     */
    private String chartSource(JsonNode spec, String[] problem) {
        JsonNode helmGlobal = spec.get("helmGlobal");
        if (helmGlobal == null || helmGlobal.isNull()) {
            return settings.defaultChartSource();
        }
        if (!helmGlobal.isObject()) {
            problem[0] = "spec.helmGlobal";
            problem[1] = "must be an object such as {repo: https://charts.example/istio}, got " + Json.describe(helmGlobal);
            return null;
        }
        JsonNode repo = helmGlobal.get("repo");
        if (repo == null || repo.isNull() || (repo.isTextual() && repo.asText().isBlank())) {
            return settings.defaultChartSource();
        }
        if (!repo.isTextual()) {
            problem[0] = "spec.helmGlobal.repo";
            problem[1] = "must be a string (a chart repository URL, an oci:// reference or a directory), got "
                    + Json.describe(repo);
            return null;
        }
        String wrong = ChartSources.check(repo.asText(), allowed);
        if (wrong != null) {
            problem[0] = "spec.helmGlobal.repo";
            problem[1] = wrong;
            return null;
        }
        return repo.asText().trim();
    }

    private Installation firstPass(int i, JsonNode node, boolean gateway, List<TranslationError> errors) {
        String path = "spec.installations[" + i + "]";
        String revisionField = gateway ? "gatewayRevision" : "revision";
        String raw = Json.text(node, revisionField);
        String revision = "auto".equals(raw) ? settings.defaultRevision() : raw;
        List<String[]> problems = new ArrayList<>();
        if (node == null || !node.isObject()) {
            problems.add(new String[] {path, "must be an object with clusters, " + revisionField + " and istioOperatorSpec, got "
                    + Json.describe(node)});
            errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, "", path, problems.get(0)[1]));
            return new Installation(i, path, node, "", List.of(), problems, DEFAULT_WAIT_MILLIS);
        }
        FieldChecks.string(node, revisionField, path, problems);
        FieldChecks.bool(node, "skipUpgradeValidation", path, problems);
        FieldChecks.istioController(path, node, problems);
        if ("default".equals(revision)) {
            // status shows a revisionless installation under the key "default" (docs/adr/0003)
            problems.add(new String[] {path + "." + revisionField, "'default' is the name status gives a revisionless"
                    + " installation; leave " + revisionField + " empty for one, or name a revision such as 1-24"});
        } else if (!revision.isEmpty()) {
            String wrong = Labels.checkRevision(revision);
            if (wrong != null) {
                problems.add(new String[] {path + "." + revisionField, wrong + "; use a short name such as 1-24, or auto"});
            }
        }
        List<ClusterEntry> clusters = clusters(path, node, revision, gateway, errors);
        JsonNode iop = node == null ? null : node.get("istioOperatorSpec");
        if (iop == null || iop.isNull()) {
            problems.add(new String[] {path + ".istioOperatorSpec",
                    "is missing; add the IstioOperator spec (hub, tag, profile, components) of this installation"});
        } else if (!iop.isObject()) {
            problems.add(new String[] {path + ".istioOperatorSpec", "must be an object with the IstioOperator spec (hub, tag,"
                    + " profile, components) of this installation, got " + Json.describe(iop)});
        } else {
            FieldChecks.operatorSpec(path, iop, problems);
        }
        long waitMillis = DEFAULT_WAIT_MILLIS;
        JsonNode timeoutNode = node.path("istioController").path("waitForResourcesTimeout");
        String timeout = timeoutNode.isTextual() ? timeoutNode.asText() : "";
        if (!timeout.isEmpty()) {
            GoDuration.Parsed parsed = GoDuration.parse(timeout);
            if (parsed instanceof GoDuration.Invalid invalid) {
                problems.add(new String[] {path + ".istioController.waitForResourcesTimeout", invalid.describe()});
            } else if (((GoDuration.Valid) parsed).duration().isNegative()) {
                problems.add(new String[] {path + ".istioController.waitForResourcesTimeout", "'" + timeout
                        + "' is negative; use a Go duration such as 300s, 5m or 2h45m"});
            } else {
                waitMillis = ((GoDuration.Valid) parsed).duration().toMillis();
            }
        }
        if (iop != null && iop.isObject()) {
            if (gateway) {
                GatewayPlans.validate(path, node, iop, GatewayPlans.controlPlaneRevision(node, revision, settings), problems);
            } else {
                ControlPlanePlans.validate(path, revisionField, revision, iop, problems);
            }
        }
        return new Installation(i, path, node, revision, clusters, problems, waitMillis);
    }

    /** The installation's usable cluster entries; missing and repeated names become errors here. */
    private static List<ClusterEntry> clusters(String path, JsonNode node, String revision, boolean gateway,
            List<TranslationError> errors) {
        JsonNode list = node == null ? null : node.get("clusters");
        List<ClusterEntry> out = new ArrayList<>();
        if (list != null && !list.isNull() && !list.isArray()) {
            String example = list.isTextual() ? "[{name: " + list.asText() + "}]" : "[{name: cluster1}]";
            errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, revision, path + ".clusters",
                    "must be a list of cluster entries such as " + example + ", got " + Json.describe(list)));
            return out;
        }
        if (list == null || list.isNull() || list.isEmpty()) {
            errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, revision, path + ".clusters",
                    "lists no cluster; add at least one entry with the name of a registered cluster"));
            return out;
        }
        Map<String, List<Integer>> indexes = new LinkedHashMap<>();
        for (int j = 0; j < list.size(); j++) {
            String at = path + ".clusters[" + j + "]";
            JsonNode entry = list.get(j);
            if (!entry.isObject()) {
                String example = entry.isValueNode() ? "{name: " + entry.asText() + "}" : "{name: cluster1}";
                errors.add(new TranslationError(entry.isTextual() && !entry.asText().isBlank() ? entry.asText().trim()
                        : TranslationError.SPEC_CLUSTER, revision, at,
                        "must be a cluster entry such as " + example + ", got " + Json.describe(entry)));
                continue;
            }
            JsonNode nameNode = entry.get("name");
            if (nameNode != null && !nameNode.isNull() && !nameNode.isTextual()) {
                errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, revision, at + ".name",
                        "must be a string, got " + Json.describe(nameNode) + "; quote it"));
                continue;
            }
            String name = Json.text(entry, "name").trim();
            if (name.isEmpty()) {
                errors.add(new TranslationError(TranslationError.SPEC_CLUSTER, revision, at + ".name",
                        "is missing or empty; set it to the name the cluster was registered with"));
                continue;
            }
            List<String[]> entryProblems = new ArrayList<>();
            FieldChecks.bool(entry, gateway ? "activeGateway" : "defaultRevision", at, entryProblems);
            FieldChecks.string(entry, "trustDomain", at, entryProblems);

            if (!entryProblems.isEmpty()) {
                entryProblems.forEach(pr -> errors.add(new TranslationError(name, revision, pr[0], pr[1])));
                continue;
            }
            indexes.computeIfAbsent(name, k -> new ArrayList<>()).add(j);
        }
        indexes.forEach((name, at) -> {
            if (at.size() > 1) {
                String where = at.stream().map(j -> path + ".clusters[" + j + "]").toList().toString();
                errors.add(new TranslationError(name, revision, path + ".clusters[" + at.get(1) + "].name",
                        "cluster '" + name + "' is listed more than once, at " + where + "; keep one entry per cluster"));
            } else {
                out.add(new ClusterEntry(at.get(0), name, list.get(at.get(0))));
            }
        });
        return out;
    }

    /**
     * Rules across installations of one resource: a (cluster, revision) may come from one installation
     * only (they would share one status entry and one set of objects), and an ILM may make at most one
     * revision the default of a cluster. Returns "installationIndex|cluster" pairs that get no plan.
     */
    private static Set<String> crossInstallationChecks(List<Installation> installations, boolean gateway,
            List<TranslationError> errors) {
        Set<String> excluded = new HashSet<>();
        Map<String, Installation> firstByKey = new HashMap<>();
        Map<String, Installation> defaultByCluster = new HashMap<>();
        for (Installation inst : installations) {
            for (ClusterEntry c : inst.clusters()) {
                String key = c.name() + "|" + inst.revision();
                Installation first = firstByKey.putIfAbsent(key, inst);
                if (first != null) {
                    excluded.add(first.index() + "|" + c.name());
                    excluded.add(inst.index() + "|" + c.name());
                    errors.add(new TranslationError(c.name(), inst.revision(), inst.path() + ".clusters[" + c.index() + "].name",
                            "cluster '" + c.name() + "' with revision '" + inst.revision() + "' is also in " + first.path()
                                    + "; one installation per cluster and revision: remove one or use another revision"));
                    continue;
                }
                if (!gateway && Json.bool(c.node(), "defaultRevision", false)) {
                    Installation other = defaultByCluster.putIfAbsent(c.name(), inst);
                    if (other != null) {
                        excluded.add(inst.index() + "|" + c.name());
                        errors.add(new TranslationError(c.name(), inst.revision(),
                                inst.path() + ".clusters[" + c.index() + "].defaultRevision",
                                "cluster '" + c.name() + "' already has its default revision '" + other.revision() + "' from "
                                        + other.path() + "; at most one default revision per cluster"));
                    }
                }
            }
        }
        return excluded;
    }

    /** Hash of everything in a plan except the owner's uid. */
    static String planHash(Owner owner, long generation, String cluster, String revision, String tag,
            List<ChartRelease> charts, boolean defaultRevision, boolean activeGateway, String controlPlaneRevision,
            boolean skipUpgradeValidation, long waitMillis, String observedOperatorJson) {
        return planHash(owner.kind().name(), owner.namespace(), owner.name(), generation, cluster, revision, tag, charts,
                defaultRevision, activeGateway, controlPlaneRevision, skipUpgradeValidation, waitMillis,
                observedOperatorJson);
    }

    /** The plan hash of an owner given by its kind's name (a ServiceMeshController has no ResourceKind yet). */
    static String planHash(String kind, String namespace, String name, long generation, String cluster, String revision,
            String tag, List<ChartRelease> charts, boolean defaultRevision, boolean activeGateway,
            String controlPlaneRevision, boolean skipUpgradeValidation, long waitMillis, String observedOperatorJson) {
        ObjectNode h = Json.object();
        h.put("kind", kind).put("namespace", namespace).put("name", name);
        h.put("generation", generation).put("cluster", cluster).put("revision", revision).put("tag", tag);
        var chartList = h.putArray("charts");
        for (ChartRelease c : charts) {
            ObjectNode n = chartList.addObject();
            n.put("chart", c.chart()).put("releaseName", c.releaseName()).put("namespace", c.namespace());
            n.set("values", Canonical.parse(c.valuesJson()));
            n.put("chartSource", c.chartSource());
        }
        h.put("defaultRevision", defaultRevision).put("activeGateway", activeGateway);
        h.put("controlPlaneRevision", controlPlaneRevision);
        h.put("skipUpgradeValidation", skipUpgradeValidation).put("waitForResourcesTimeoutMillis", waitMillis);
        h.set("observedOperator", Canonical.parse(observedOperatorJson));
        return Canonical.sha256(Canonical.json(h));
    }
}
