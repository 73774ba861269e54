package dev.meshfleet.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void anExamplePrintsChartsAndExactHelmValuesPerClusterAndExitsZero() {
        Result r = run("../examples/ilm-minimal.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("# IstioLifecycleManager gloo-mesh/istiod-control-plane", "cluster cluster1:",
                "cluster cluster2:", "installation 1-24 (tag 1.24.2-solo, default revision)",
                "chart istiod release istiod-1-24 namespace istio-system", "PILOT_SKIP_VALIDATE_TRUST_DOMAIN: \"true\"",
                "trustDomain: cluster2");
        assertThat(r.err()).isEmpty();
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
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata: {name: cp, namespace: gloo-mesh}
                spec:
                  installations:
                    - revision: 1-24
                      clusters: [{name: cluster1}, {}]
                      istioOperatorSpec: {tag: 1.24.2-solo}
                """);
        Result r = run(bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cluster spec:", "FAILED revision 1-24: spec.installations[0].clusters[1].name: is missing")
                .contains("chart istiod release istiod-1-24");
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
            assertThat(r.err()).contains("no IstioLifecycleManager or GatewayLifecycleManager");
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
                + " IstioLifecycleManager or GatewayLifecycleManager");
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
