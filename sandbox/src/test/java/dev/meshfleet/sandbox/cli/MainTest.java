package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommandAndSucceeds() {
        assertThat(run("help")).isZero();
        assertThat(out()).contains("Usage: meshfleet", "sandbox", "plan", "bench", "completion", "help", "Exit status");
    }

    @Test
    void everyOptionOfSandboxRunHasItsHelpWithItsDefault() {
        assertThat(run("help", "sandbox", "run")).isZero();
        assertThat(out()).contains("--clusters=N|NAME,NAME...", "Default: 2.", "--fault=CLUSTER=KIND",
                "--unregistered=CLUSTER[,CLUSTER...]", "-o, --output=table|yaml", "Default: table.",
                "--timeout=DURATION", "Default: 5m.", "--ready-after=DURATION", "Default: 1s.", "--installers=N",
                "Default: 1.", "--api-latency=DURATION", "Default: 0.", "-f, --filename=FILE", "--delete=Kind/namespace/name",
                "Exit status");
        out.reset();
        assertThat(run("sandbox", "up", "--help")).isZero();
        assertThat(out()).contains("Usage: meshfleet sandbox up", "--clusters=N|NAME,NAME...");
    }

    @Test
    void meshIsInTheTreeWithItsOptionsAndExitStatus() {
        assertThat(run("help")).isZero();
        assertThat(out()).contains("  mesh ");
        out.reset();
        assertThat(run("help", "mesh")).isZero();
        assertThat(out()).contains("Usage: meshfleet mesh", "-n, --namespace=NAMESPACE", "--kubeconfig=FILE",
                "--context=NAME", "-o, --output=table|yaml|json", "--limit=N", "Default: 20.",
                "Exit status: 0 every link of every mesh up", "2 bad input or the API server unreachable");
    }

    @Test
    void dlqListAndReplayAreInTheTreeWithTheirHelpAndPoisonIsAnOptionOfTheSandbox() {
        assertThat(run("help")).isZero();
        assertThat(out()).contains("dlq");
        out.reset();
        assertThat(run("help", "dlq", "list")).isZero();
        assertThat(out()).contains("Usage: meshfleet dlq list", "TOPIC", "--bootstrap-servers=HOST:PORT[,...]",
                "Default: the broker of the sandbox running now");
        out.reset();
        assertThat(run("dlq", "replay", "--help")).isZero();
        assertThat(out()).contains("Usage: meshfleet dlq replay", "then remove them from the DLQ");
        out.reset();
        assertThat(run("help", "sandbox", "run")).isZero();
        assertThat(out()).contains("--poison=TOPIC[=N]", "N default: 10");
    }

    @Test
    void planAndBenchAreInTheSameTreeWithTheirHelp() {
        assertThat(run("help", "plan")).isZero();
        assertThat(out()).contains("Usage: meshfleet plan", "-f, --filename=FILE", "Repeatable", "--cluster=NAME",
                "--registered=CLUSTER[,CLUSTER...]");
        out.reset();
        assertThat(run("bench", "--help")).isZero();
        assertThat(out()).contains("--runs=N", "Default: 20.");
    }

    @Test
    void soakIsInTheTreeWithItsDefaultsAndRefusesABadCountOrDurationNamingTheOption() {
        assertThat(run("help", "soak")).isZero();
        assertThat(out()).contains("Usage: meshfleet soak", "--clusters=N", "Default: 100.", "--duration=DURATION",
                "Default: 1h.", "--seed=N", "--installers=N", "Default: 2.", "--out=DIR", "soak-rss.png");
        assertThat(run("soak", "--installers", "0")).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: --installers: '0' is not a count from 1 to 12");
        err.reset();
        assertThat(run("soak", "--duration", "ten minutes")).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: --duration");
    }

    @Test
    void planTakesSeveralFilesAsRepeatedDashF() {
        assertThat(run("plan", "-f", "../examples/glm-ingress.yaml", "-f", "../examples/glm-egress.yaml")).isZero();
        assertThat(out()).contains("istio-ingressgateway-1-24", "istio-egressgateway-1-24");
    }

    @Test
    void planFailsAChartSourceOffTheAllowListNamingTheFieldAndTheSetting(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path glm = dir.resolve("glm.yaml");
        Files.writeString(glm, Files.readString(Path.of("../examples/glm-ingress.yaml"))
                .replace("\nspec:\n", "\nspec:\n  helmGlobal:\n    repo: https://charts.example.com.evil.io/istio\n"));
        assertThat(run("plan", "-f", glm.toString())).isEqualTo(1);
        assertThat(out()).contains("spec.helmGlobal.repo: 'https://charts.example.com.evil.io/istio' is not on the"
                + " allow-list meshfleet.translator.allowed-chart-sources");
        out.reset();
        assertThat(run("plan", "-f", glm.toString(), "--allowed-chart-sources", "https://charts.example.com.evil.io"))
                .isZero();
        assertThat(out()).contains("istio-ingressgateway-1-24");
    }

    @Test
    void planRefusesAMissingFileOptionNamingIt() {
        assertThat(run("plan")).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: ").contains("--filename");
    }

    @Test
    void completionPrintsABashScriptThatKnowsEveryCommandAndOption() {
        assertThat(run("completion", "bash")).isZero();
        assertThat(out()).contains("complete -F", "sandbox", "plan", "bench", "--clusters", "--installers",
                "--api-latency", "--ready-after", "--registered");
        assertThat(run("completion", "fish")).isEqualTo(Main.ERROR);
        assertThat(err()).contains("fish");
    }

    @Test
    void badUsageExitsWithTwoAndAMessageNamingTheOptionBeforeStartingAnything() {
        assertThat(run("sandbox", "run", "--clusters", "0", "-f", "x.yaml")).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: --clusters:");
    }

    @Test
    void anUnknownOptionExitsWithTwoNamingIt() {
        assertThat(run("sandbox", "run", "--verbose")).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: ").contains("--verbose", "./meshfleet help sandbox run");
    }

    @Test
    void aMissingSubcommandOrUnknownCommandIsRefused() {
        assertThat(run("sandbox")).isEqualTo(Main.ERROR);
        assertThat(run("deploy")).isEqualTo(Main.ERROR);
        assertThat(err()).contains("say 'run' or 'up'", "unknown command 'deploy'");
        assertThat(run()).isEqualTo(Main.ERROR);
    }

    @Test
    void theBenchmarkRefusesABadRunCount() {
        assertThat(run("bench", "--runs", "0")).isEqualTo(Main.ERROR);
        assertThat(err()).contains("--runs");
    }

    @Test
    void theLauncherHasNoUsageTextOfItsOwnToDriftFromThisOne() throws Exception {
        String launcher = Files.readString(Path.of("../meshfleet"));
        assertThat(launcher).doesNotContain("Usage:").doesNotContain("<<'USAGE'")
                .contains("dev.meshfleet.sandbox.cli.Main");
    }
}
