package dev.meshfleet.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anExamplePrintsChartsAndExactHelmValuesPerClusterAndExitsZero() {
        Result r = run("plan", "-f", "../examples/ilm-minimal.yaml");
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
        Result r = run("plan", "-f", both.toString(), "../examples/ilm-ambient.yaml");
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
        Result r = run("plan", "-f", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cluster *:", "FAILED revision 1-24: spec.installations[0].clusters[1].name: is missing")
                .contains("chart istiod release istiod-1-24");
    }

    @Test
    void clusterFilterShowsOnlyThatCluster() {
        Result r = run("plan", "-f", "../examples/glm-egress.yaml", "--cluster", "cluster2");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("cluster cluster2:").doesNotContain("cluster cluster1:");
    }

    @Test
    void clustersMissingFromRegisteredAreReportedAsPending() {
        Result r = run("plan", "-f", "../examples/glm-ingress.yaml", "--registered", "cluster1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("not registered: would be PENDING until cluster cluster2 is registered");
        assertThat(r.out().split("cluster cluster2:")[1]).doesNotContain("values:");
        assertThat(r.out().split("cluster cluster2:")[0]).contains("values:");
    }

    @Test
    void usageErrorsExitTwoAndSayWhatIsWrong() throws Exception {
        assertThat(run()).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("expected the subcommand 'plan'", "usage:");
        });
        assertThat(run("plan")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("give at least one manifest with -f FILE");
        });
        assertThat(run("plan", "-f")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("-f needs at least one file");
        });
        assertThat(run("plan", "-f", "../examples/ilm-minimal.yaml", "--bogus")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("unknown argument '--bogus'");
        });
        assertThat(run("plan", "-f", "no/such/file.yaml")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("cannot read no/such/file.yaml");
        });
        Path notYaml = tmp.resolve("broken.yaml");
        Files.writeString(notYaml, "kind: [unclosed\n");
        assertThat(run("plan", "-f", notYaml.toString())).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("not valid YAML");
        });
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assertThat(run("plan", "-f", other.toString())).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("no IstioLifecycleManager or GatewayLifecycleManager");
        });
    }
}
