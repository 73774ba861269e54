package dev.meshfleet.translator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import dev.meshfleet.translation.ChartRelease;
import dev.meshfleet.translation.EcpTranslation;
import dev.meshfleet.translation.Plan;
import dev.meshfleet.translation.SmcTranslation;
import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.TranslationError;

/**
 * A translation as a YAML document for people: the golden files and the plan preview use it. Strings are
 * quoted whenever YAML would read them back as anything else ({@link RoundTripQuoting}).
 */
public final class PlanDocument {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .stringQuotingChecker(RoundTripQuoting.INSTANCE).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private PlanDocument() {
    }

    public static ObjectNode tree(Translation t) {
        return tree(t.owner().key(), t.generation(), t.plansByCluster(), t.errors());
    }

    public static ObjectNode tree(SmcTranslation t) {
        return tree(t.key(), t.generation(), t.plansByCluster(), t.errors());
    }

    /** An ExternalControlPlane's plans, with each cluster's role and the remote secrets (references, no credential). */
    public static ObjectNode tree(EcpTranslation t) {
        ObjectNode doc = tree(t.key(), t.generation(), t.plansByCluster(), t.errors());
        ObjectNode roles = JsonNodeFactory.instance.objectNode();
        t.roles().forEach((cluster, role) -> roles.put(cluster, role.name()));
        ArrayNode secrets = JsonNodeFactory.instance.arrayNode();
        for (EcpTranslation.RemoteSecret s : t.remoteSecrets()) {
            ObjectNode n = secrets.addObject().put("cluster", s.cluster()).put("type", s.type())
                    .put("namespace", s.namespace()).put("secretName", s.secretName())
                    .put("readerServiceAccount", s.readerServiceAccount());
            if (!s.apiServerAddress().isEmpty()) {
                n.put("apiServerAddress", s.apiServerAddress());
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("owner", doc.get("owner").asText()).put("generation", t.generation());
        out.set("roles", roles);
        out.set("remoteSecrets", secrets);
        out.set("clusters", doc.get("clusters"));
        out.set("errors", doc.get("errors"));
        return out;
    }

    private static ObjectNode tree(String owner, long generation, Map<String, List<Plan>> plansByCluster,
            List<TranslationError> translationErrors) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("owner", owner);
        doc.put("generation", generation);
        ObjectNode clusters = doc.putObject("clusters");
        plansByCluster.forEach((cluster, plans) -> {
            ArrayNode list = clusters.putArray(cluster);
            plans.forEach(p -> list.add(plan(p)));
        });
        ArrayNode errors = doc.putArray("errors");
        for (TranslationError e : translationErrors) {
            errors.addObject().put("cluster", e.cluster()).put("revision", e.revision()).put("path", e.path())
                    .put("message", e.message());
        }
        return doc;
    }

    public static ObjectNode plan(Plan p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("revision", p.revision()).put("tag", p.tag());
        n.put("defaultRevision", p.defaultRevision()).put("activeGateway", p.activeGateway());
        if (p.controlPlaneRevision() != null) {
            n.put("controlPlaneRevision", p.controlPlaneRevision());
        }
        n.putObject("upgradePolicy").put("skipUpgradeValidation", p.skipUpgradeValidation())
                .put("waitForResourcesTimeoutMillis", p.waitForResourcesTimeoutMillis());
        ArrayNode charts = n.putArray("charts");
        for (ChartRelease c : p.charts()) {
            ObjectNode cn = charts.addObject();
            cn.put("chart", c.chart()).put("releaseName", c.releaseName()).put("namespace", c.namespace());
            if (c.chartSource() != null) {
                cn.put("chartSource", c.chartSource());
            }
            cn.set("values", parse(c.valuesJson()));
            if (c.hasOverlays()) {
                cn.set("overlays", parse(c.overlaysJson()));
            }
        }
        n.set("observedOperator", parse(p.observedOperatorJson()));
        if (!p.claims().isEmpty()) {
            ArrayNode claims = n.putArray("claims");
            p.claims().forEach(c -> claims.addObject().put("name", c.name()).put("fieldPath", c.fieldPath()));
        }
        if (p.takeOverUnmanaged()) {
            n.put("takeOverUnmanaged", true); // shown only when set: onConflict: Force
        }
        n.put("planHash", p.planHash());
        return n;
    }

    public static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return YAML.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("values are JSON by construction", e);
        }
    }
}
