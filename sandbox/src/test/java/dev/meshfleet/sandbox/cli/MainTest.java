package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("./meshfleet sandbox run", "--fault CLUSTER=KIND", "--unregistered CLUSTER",
                "-o table|yaml", "Exit status");
    }

    @Test
    void badUsageExitsWithTwoAndAMessageNamingTheOptionBeforeStartingAnything() {
        assertThat(run("sandbox", "run", "--clusters", "0", "-f", "x.yaml")).isEqualTo(Main.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("meshfleet: --clusters:");
    }

    @Test
    void aMissingSubcommandOrUnknownCommandIsRefused() {
        assertThat(run("sandbox")).isEqualTo(Main.ERROR);
        assertThat(run("deploy")).isEqualTo(Main.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("say 'run' or 'up'", "unknown command 'deploy'");
    }

    @Test
    void theBenchmarkRefusesABadRunCount() {
        assertThat(run("bench", "--runs", "0")).isEqualTo(Main.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--runs");
    }
}
