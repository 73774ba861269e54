package dev.meshfleet.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.translation.Canonical;
import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(List<String> files, String cluster, Set<String> registered) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCommand.plan(files.stream().map(Path::of).toList(), cluster, registered,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... files) {
        return run(List.of(files), null, null);
    }

    /** Plans an IstioLifecycleManager gloo-mesh/cp with these installations (YAML list items, 4 spaces in). */
    Result runIlm(String installations) throws Exception {
        Path file = tmp.resolve("ilm.yaml");
        Files.writeString(file, """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata: {name: cp, namespace: gloo-mesh}
                spec:
                  installations:
                """ + installations);
        return run(file.toString());
    }

    /** Strings that a plain YAML scalar would turn into numbers, booleans, nulls or times. */
    private static final List<String> NUMBER_LIKE = List.of("21", "1.20", "true", "yes", "off", "null", "~", "0x1F",
            "0o17", "017", "1e3", "1_000", ".inf", "-.5", "12:30", "+12", "2024-01-02");

    @Test
    void printedValuesReadBackAsThePublishedValuesWithNumberLikeStringsStillStrings() throws Exception {
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < NUMBER_LIKE.size(); i++) {
            env.append("                      - {name: V").append(i).append(", value: '").append(NUMBER_LIKE.get(i))
                    .append("'}\n");
        }
        Path glm = tmp.resolve("quoting.yaml");
        Files.writeString(glm, """
                apiVersion: admin.gloo.solo.io/v2
                kind: GatewayLifecycleManager
                metadata: {name: gw, namespace: gloo-mesh}
                spec:
                  installations:
                    - gatewayRevision: 1-20
                      clusters: [{name: cluster1, activeGateway: true}]
                      istioOperatorSpec:
                        tag: "1.20"
                        components:
                          ingressGateways:
                            - name: istio-ingressgateway
                              label: {istio: ingressgateway, version: "21"}
                              k8s:
                                env:
                """ + env);
        Result r = run(glm.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();

        JsonNode printed = YAML.readTree(valuesBlock(r.out()));
        assertThat(printed.path("labels").path("version").isTextual()).as("label printed as " + printed.path("labels")).isTrue();
        assertThat(printed.path("labels").path("version").asText()).isEqualTo("21");
        assertThat(printed.path("global").path("tag").isTextual()).isTrue();
        assertThat(printed.path("global").path("tag").asText()).isEqualTo("1.20");
        // k8s.env is a strategic merge patch on the gateway's container, printed with the release's overlays.
        JsonNode overlays = YAML.readTree(overlaysBlock(r.out()));
        JsonNode printedEnv = overlays.at("/0/strategicMerge/spec/template/spec/containers/0/env");
        assertThat(printedEnv.size()).isEqualTo(NUMBER_LIKE.size());
        for (int i = 0; i < NUMBER_LIKE.size(); i++) {
            JsonNode v = printedEnv.get(i).path("value");
            assertThat(printedEnv.get(i).path("name").asText()).isEqualTo("V" + i);
            assertThat(v.isTextual()).as("V%d printed as %s", i, v).isTrue();
            assertThat(v.asText()).isEqualTo(NUMBER_LIKE.get(i));
        }
        // And the whole tree is exactly what the translator publishes.
        Translation t = new Translator(TranslatorSettings.defaults()).translate(
                Manifests.read(Files.newBufferedReader(glm), "quoting.yaml").get(0).owner(), 1,
                Manifests.read(Files.newBufferedReader(glm), "quoting.yaml").get(0).spec());
        assertThat(printed).isEqualTo(Canonical.parse(t.plans("cluster1").get(0).charts().get(0).valuesJson()));
        assertThat(overlays).isEqualTo(Canonical.parse(t.plans("cluster1").get(0).charts().get(0).overlaysJson()));
    }

    /** The YAML under the first "overlays:" line of the plan output, de-indented. */
    private static String overlaysBlock(String out) {
        return block(out, "overlays");
    }

    /** The YAML under the first "values:" line of the plan output, de-indented. */
    private static String valuesBlock(String out) {
        return block(out, "values");
    }

    private static String block(String out, String key) {
        List<String> lines = out.lines().toList();
        int start = lines.indexOf("      " + key + ":") + 1;
        assertThat(start).as("a %s block in %s", key, out).isPositive();
        StringBuilder yaml = new StringBuilder();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("        "); i++) {
            yaml.append(lines.get(i).substring(8)).append('\n');
        }
        return yaml.toString();
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void anExamplePrintsChartsAndExactHelmValuesPerClusterAndExitsZero() {
        Result r = run("../examples/ilm-minimal.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("# IstioLifecycleManager gloo-mesh/istiod-control-plane", "cluster cluster1:",
                "cluster cluster2:", "installation 1-24 (tag 1.24.2-solo, default revision)",
                "chart istiod release istiod-1-24 namespace istio-system", "- name: PILOT_SKIP_VALIDATE_TRUST_DOMAIN",
                "value: \"true\"",
                "trustDomain: cluster2");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theOverlaysOfAReleaseArePrintedAfterItsValuesAndReadBackAsTheSpecWroteThem() throws Exception {
        Path seed004 = Path.of("src/test/resources/golden/ilm-overlays-external-istiod/input.yaml");
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

        Result r = run(seed004.toString());

        assertThat(r.code()).isZero();
        String printed = r.out().substring(r.out().indexOf("      overlays:\n") + "      overlays:\n".length());
        var overlays = (com.fasterxml.jackson.databind.node.ArrayNode) yaml.readTree(printed.lines()
                .takeWhile(l -> l.startsWith("        ")).map(l -> l.substring(8)).reduce("", (a, b) -> a + b + "\n"));
        // First the strategic merge patch of k8s.env (istioctl applies the k8s fields before the overlays).
        assertThat(overlays).hasSize(2);
        assertThat(overlays.get(0).path("field").asText())
                .isEqualTo("spec.installations[0].istioOperatorSpec.components.pilot.k8s.env");
        assertThat(overlays.get(1).path("field").asText())
                .isEqualTo("spec.installations[0].istioOperatorSpec.components.pilot.k8s.overlays[0]");
        ((com.fasterxml.jackson.databind.node.ObjectNode) overlays.get(1)).remove("field");
        assertThat(overlays.get(1)).as("the overlay as the spec wrote it")
                .isEqualTo(yaml.readTree(seed004.toFile()).at("/spec/installations/0/istioOperatorSpec/components/pilot"
                        + "/k8s/overlays/0"));
    }

    @Test
    void severalFilesAndMultiDocumentYamlAreAllPlanned() throws Exception {
        Path both = tmp.resolve("both.yaml");
        Files.writeString(both, Files.readString(Path.of("../examples/glm-ingress.yaml")) + "\n---\n"
                + Files.readString(Path.of("../examples/glm-egress.yaml")));
        Result r = run(both.toString(), "../examples/ilm-ambient.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("istio-ingressgateway-1-24", "istio-egressgateway-1-24", "release ztunnel");
    }

    @Test
    void aValidationErrorIsPrintedWithItsFieldPathAndExitsOne() throws Exception {
        Result r = runIlm("""
                    - revision: 1-24
                      clusters: [{name: cluster1}, {}]
                      istioOperatorSpec: {tag: 1.24.2-solo}
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cluster *:", "FAILED revision 1-24: spec.installations[0].clusters[1].name: is missing")
                .contains("chart istiod release istiod-1-24");
    }

    @Test
    void anIstioOperatorFieldTheChartsCannotExpressIsPrintedAsFailedNamingItAndExitsOne() throws Exception {
        Result r = runIlm("""
                    - revision: 1-24
                      clusters: [{name: cluster1}]
                      istioOperatorSpec:
                        tag: 1.24.2-solo
                        installPackagePath: /charts
                        components: {istiodRemote: {enabled: true}}
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED revision 1-24: spec.installations[0].istioOperatorSpec.installPackagePath:"
                + " Meshfleet installs the charts from spec.helmGlobal.repo",
                "spec.installations[0].istioOperatorSpec.components.istiodRemote: Meshfleet installs no istiod-remote chart")
                .doesNotContain("chart istiod release istiod-1-24");
    }

    @Test
    void anExternalControlPlaneIsPlannedPerClusterWithItsRoleAndTheGuidesWebhookUrl() {
        Result r = run("src/test/resources/golden-ecp/ecp-guide/input.yaml");
        assertThat(r.code()).as(r.err()).isEqualTo(PlanCommand.OK);
        assertThat(r.out()).contains("# ExternalControlPlane gloo-mesh/mesh1: cluster cluster1 is external",
                "# ExternalControlPlane gloo-mesh/mesh1: cluster cluster2 is config",
                "# ExternalControlPlane gloo-mesh/mesh1: cluster cluster3 is remote",
                "chart istiod release external-istiod namespace external-istiod",
                "injectionURL: https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster3:ENV:net=network2");
    }

    @Test
    void aRefusedExternalControlPlaneIsPrintedNamingTheFieldAndExitsOne() {
        Result r = run("src/test/resources/golden-ecp/ecp-refused/input.yaml");
        assertThat(r.code()).isEqualTo(PlanCommand.INVALID);
        assertThat(r.out()).contains("FAILED: spec.remoteClusters[1].configCluster: a mesh has one config cluster");
    }

    @Test
    void clusterFilterShowsOnlyThatCluster() {
        Result r = run(List.of("../examples/glm-egress.yaml"), "cluster2", null);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("cluster cluster2:").doesNotContain("cluster cluster1:");
    }

    @Test
    void clustersMissingFromRegisteredAreReportedAsPending() {
        Result r = run(List.of("../examples/glm-ingress.yaml"), null, Set.of("cluster1"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("not registered: would be PENDING until cluster cluster2 is registered");
        assertThat(r.out().split("cluster cluster2:")[1]).doesNotContain("values:");
        assertThat(r.out().split("cluster cluster2:")[0]).contains("values:");
    }

    @Test
    void unreadableInputExitsTwoAndSaysWhatIsWrong() throws Exception {
        assertThat(run("no/such/file.yaml")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(PlanCommand.UNREADABLE);
            assertThat(r.err()).contains("cannot read no/such/file.yaml");
        });
        Path notYaml = tmp.resolve("broken.yaml");
        Files.writeString(notYaml, "kind: [unclosed\n");
        assertThat(run(notYaml.toString())).satisfies(r -> {
            assertThat(r.code()).isEqualTo(PlanCommand.UNREADABLE);
            assertThat(r.err()).contains("not valid YAML");
        });
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "---\n---\n");
        assertThat(run(empty.toString())).satisfies(r -> {
            assertThat(r.code()).isEqualTo(PlanCommand.UNREADABLE);
            assertThat(r.err()).contains("no IstioLifecycleManager, GatewayLifecycleManager, ServiceMeshController or"
                    + " ExternalControlPlane");
        });
    }

    @Test
    void aMisspelledKindIsNamedWithItsFileAndDocumentAndExitsTwoWhileTheOthersAreStillPlanned() throws Exception {
        Path mixed = tmp.resolve("mixed.yaml");
        Files.writeString(mixed, Files.readString(Path.of("../examples/glm-egress.yaml")) + """

                ---
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManger
                metadata: {name: typo, namespace: gloo-mesh}
                spec: {installations: []}
                """);
        Result r = run(mixed.toString());
        assertThat(r.code()).isEqualTo(PlanCommand.UNREADABLE);
        assertThat(r.err()).contains("not planned: " + mixed + ": document 2 (kind 'IstioLifecycleManger'): is not"
                + " IstioLifecycleManager, GatewayLifecycleManager, ServiceMeshController (operator.gloo.solo.io/v1) or"
                + " ExternalControlPlane (meshfleet.dev/v1alpha1)");
        assertThat(r.out()).contains("# GatewayLifecycleManager", "istio-egressgateway-1-24");
    }

    @Test
    void anotherKindAloneIsNamedToo() throws Exception {
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        Result r = run(other.toString());
        assertThat(r.code()).isEqualTo(PlanCommand.UNREADABLE);
        assertThat(r.err()).contains(other + ": document 1 (kind 'ConfigMap')");
    }

    @Test
    void theLibraryReaderRefusesAMisspelledKindNamingIt() {
        assertThatThrownBy(() -> Manifests.read(new StringReader("kind: GatewayLifecycleManger\nmetadata: {name: g}\n"),
                "in.yaml")).isInstanceOf(IOException.class).hasMessageContaining("in.yaml: document 1 (kind 'GatewayLifecycleManger')");
    }
}
