package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.OperatorFields.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Walks the IstioOperator API's field list (istio-operator-fields.txt, written from the API reference) and holds
 * every field to a rule: translated, pinned by a golden case, or refused by the translator with its message. The
 * README's field table is checked against the same rules. Print the table with -Dmeshfleet.fieldtable.print=true
 * (target/field-table.md).
 */
class FieldTableTest {
    private static final Path README = Path.of("README.md");
    private static final String AT = "spec.installations[0].istioOperatorSpec.";

    static List<String> fields() {
        try (InputStream in = FieldTableTest.class.getResourceAsStream("/istio-operator-fields.txt")) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l.split("\\s+")[0]);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> under(String prefix) {
        return fields().stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length()))
                .filter(f -> !f.contains(".")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> componentFields(String component) {
        return under("components." + component + ".");
    }

    @Test
    void theCodeKnowsTheApiOfTheReferenceNoMoreNoLess() {
        assertThat(under("spec.")).containsExactlyInAnyOrderElementsOf(OperatorFields.SPEC_FIELDS);
        assertThat(fields().stream().filter(f -> f.startsWith("components.")).map(f -> f.split("\\.")[1]).distinct())
                .containsExactlyInAnyOrderElementsOf(OperatorFields.COMPONENTS);
        assertThat(componentFields("base")).containsExactlyInAnyOrderElementsOf(OperatorFields.BASE_FIELDS);
        for (String c : List.of("pilot", "cni", "ztunnel", "istiodRemote")) {
            assertThat(componentFields(c)).as(c).containsExactlyInAnyOrderElementsOf(OperatorFields.COMPONENT_FIELDS);
        }
        for (String c : List.of("ingressGateways", "egressGateways")) {
            assertThat(componentFields(c)).as(c).containsExactlyInAnyOrderElementsOf(OperatorFields.GATEWAY_FIELDS);
        }
        assertThat(under("values.")).containsExactlyInAnyOrderElementsOf(OperatorFields.VALUES_GROUPS);
        assertThat(under("values.gateways.")).containsExactlyInAnyOrderElementsOf(OperatorFields.VALUES_GATEWAYS);
        assertThat(under("k8s.")).containsExactlyInAnyOrderElementsOf(K8sFields.API_FIELDS);
    }

    @Test
    void everyFieldOfTheApiIsTranslatedOrRefusedForBothKinds() {
        List<String> neither = new ArrayList<>();
        int rules = 0;
        for (String f : fields()) {
            if (f.startsWith("k8s.")) {
                for (K8sFields.Component c : K8sFields.Component.values()) {
                    rules++;
                    if (K8sFields.rule(c, f.substring(4)) == null) {
                        neither.add(c + " " + f);
                    }
                }
                continue;
            }
            for (Kind kind : Kind.values()) {
                rules++;
                if (OperatorFields.rule(kind, f) == null) {
                    neither.add(kind + " " + f);
                }
            }
        }
        assertThat(rules).as("rules walked").isGreaterThan(300);
        assertThat(neither).as("fields with no rule").isEmpty();
    }

    @Test
    void everyTranslatedFieldIsSetByTheGoldenCaseThatPinsIt() throws IOException {
        Map<String, Path> inputs = Golden.cases().stream().collect(Collectors.toMap(Golden.Case::name, Golden.Case::input));
        List<String> unpinned = new ArrayList<>();
        int pinned = 0;
        for (String f : fields()) {
            for (Kind kind : Kind.values()) {
                if (f.startsWith("k8s.") || !(OperatorFields.rule(kind, f) instanceof OperatorFields.Translated t)) {
                    continue;
                }
                Path input = inputs.get(t.golden());
                if (input == null) {
                    unpinned.add(kind + " " + f + ": no golden case " + t.golden());
                    continue;
                }
                String text = Files.readString(input);
                boolean kindMatches = text.contains("kind: " + (kind == Kind.ILM ? "IstioLifecycleManager"
                        : "GatewayLifecycleManager"));
                // The shared meshConfig rule is pinned by a case that sets a meshConfig, not every MeshConfig field.
                List<String> words = t == OperatorFields.rule(kind, "meshConfig.*") ? List.of("meshConfig")
                        : List.of(f.replaceFirst("^(spec|components)\\.", "").split("\\."));
                if (!kindMatches || !words.stream().allMatch(w -> text.contains(w + ":"))) {
                    unpinned.add(kind + " " + f + ": golden " + t.golden() + " does not set it");
                } else {
                    pinned++;
                }
            }
        }
        assertThat(pinned).as("translated fields pinned").isGreaterThan(100);
        assertThat(unpinned).isEmpty();
    }

    @Test
    void everyRefusedFieldIsRefusedByTheTranslatorWithItsMessage() {
        Translator translator = new Translator(TranslatorSettings.defaults());
        List<String> silent = new ArrayList<>();
        int refused = 0;
        for (String f : fields()) {
            for (Kind kind : Kind.values()) {
                if (f.startsWith("k8s.") || !(OperatorFields.rule(kind, f) instanceof OperatorFields.Refused r)) {
                    continue;
                }
                refused++;
                ObjectNode spec = spec(kind);
                ObjectNode iop = (ObjectNode) spec.get("installations").get(0).get("istioOperatorSpec");
                List<String> paths = set(iop, f);
                Translation t = translator.translate(new Owner(kind == Kind.ILM ? ResourceKind.IstioLifecycleManager
                        : ResourceKind.GatewayLifecycleManager, "gloo-mesh", "walk", "u"), 1, spec);
                boolean found = t.errors().stream().anyMatch(e -> paths.contains(e.path()) && e.message().equals(r.message()));
                if (!found) {
                    silent.add(kind + " " + f + " -> " + t.errors());
                }
            }
        }
        assertThat(refused).as("refused fields walked").isGreaterThan(30);
        assertThat(silent).as("refused in the table but not by the translator").isEmpty();
    }

    @Test
    void theReadmeFieldTableSaysWhatTheCodeDoes() throws IOException {
        List<String> rows = rows();
        if (Boolean.getBoolean("meshfleet.fieldtable.print")) {
            Files.writeString(Path.of("target/field-table.md"), String.join("\n", rows) + "\n");
        }
        String readme = Files.readString(README);
        List<String> missing = rows.stream().filter(row -> !readme.contains(row + "\n")).toList();
        assertThat(rows).hasSizeGreaterThan(120);
        assertThat(missing).as("field table rows the README lacks or states otherwise").isEmpty();
    }

    /** The README's rows: one per field, a cell per kind (per component for k8s). */
    static List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (String f : fields()) {
            if (f.startsWith("k8s.")) {
                String field = f.substring(4);
                rows.add("| `" + f + "` | " + List.of(K8sFields.Component.values()).stream()
                        .map(c -> cell(K8sFields.rule(c, field))).collect(Collectors.joining(" | ")) + " |");
            } else {
                rows.add("| `" + f + "` | " + cell(OperatorFields.rule(Kind.ILM, f)) + " | "
                        + cell(OperatorFields.rule(Kind.GLM, f)) + " |");
            }
        }
        return rows;
    }

    private static String cell(Object rule) {
        Function<String, String> md = s -> s.replace("|", "\\|");
        if (rule instanceof OperatorFields.Translated t) {
            return md.apply(t.values()) + " (golden `" + t.golden() + "`)";
        }
        if (rule instanceof OperatorFields.Refused r) {
            return "refused: " + md.apply(r.message());
        }
        if (rule instanceof K8sFields.Translated t) {
            return md.apply(t.values());
        }
        return "refused: " + md.apply(((K8sFields.Refused) rule).message());
    }

    private static ObjectNode spec(Kind kind) {
        ObjectNode spec = Json.object();
        ObjectNode inst = spec.putArray("installations").addObject();
        inst.put(kind == Kind.ILM ? "revision" : "gatewayRevision", "1-24");
        inst.putArray("clusters").addObject().put("name", "cluster1").put(kind == Kind.ILM ? "defaultRevision"
                : "activeGateway", true);
        ObjectNode iop = inst.putObject("istioOperatorSpec").put("tag", "1.24.2-solo");
        if (kind == Kind.GLM) {
            iop.putObject("components").putArray("ingressGateways").addObject().put("name", "istio-ingressgateway");
        }
        return spec;
    }

    /** Sets the field in the spec; returns the paths a refusal of it may name (the field, or its whole component). */
    private static List<String> set(ObjectNode iop, String field) {
        String[] p = field.split("\\.");
        JsonNode sample = Canonical.parse("\"x\"");
        if (p[0].equals("spec")) {
            iop.set(p[1], sample);
            return List.of(AT + p[1]);
        }
        if (p[0].equals("values")) {
            ObjectNode values = iop.putObject("values");
            if (p.length == 3) {
                values.putObject("gateways").putObject(p[2]);
            } else {
                values.set(p[1], sample);
            }
            return List.of(AT + field);
        }
        if (p[0].equals("components")) {
            ObjectNode components = iop.has("components") ? (ObjectNode) iop.get("components") : iop.putObject("components");
            JsonNode value = p[2].equals("k8s") || p[2].equals("label") ? Json.object() : sample;
            if (p[1].endsWith("Gateways")) {
                ObjectNode entry = components.has(p[1]) ? (ObjectNode) components.get(p[1]).get(0)
                        : components.putArray(p[1]).addObject().put("name", "istio-gateway");
                entry.set(p[2], value);
                String at = AT + "components." + p[1] + "[0]";
                return List.of(at, at + "." + p[2]);
            }
            components.putObject(p[1]).set(p[2], value);
            return List.of(AT + "components." + p[1], AT + field);
        }
        ObjectNode mesh = iop.putObject("meshConfig");
        mesh.set(p[1], sample);
        return List.of(AT + field);
    }
}
