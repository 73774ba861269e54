package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.soak.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet soak}: a seeded churn of specs and faults on one sandbox, then: did everything settle? */
@Command(name = "soak", sortOptions = false,
        description = "One sandbox; the ILM and GLM (examples/ilm-minimal.yaml, glm-ingress.yaml) on every cluster, then"
                + " for DURATION a seeded random churn: tags up and down (a minor change with skipUpgradeValidation),"
                + " clusters added to and removed from the ILM and GLM, the active gateway moved between revisions,"
                + " a canary revision added and removed, services killed and restarted, installers paused. Then the"
                + " final specs are applied and every installation must settle where they say (HEALTHY, or"
                + " UNINSTALLED for what they no longer name). Prints the summary and writes it to DIR/soak.md, the"
                + " RSS of each service over time to DIR/soak-rss.png and the plan to DIR/soak-plan.txt."
                + " Exit 1 when any installation was stuck.")
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--clusters", paramLabel = "N", defaultValue = "100",
            description = "Workload clusters. Default: ${DEFAULT-VALUE}.")
    String clusters;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long the churn lasts (Go duration). Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the churn plan; the same seed gives the same"
            + " plan. Default: the clock's milliseconds (printed).")
    Long seed;

    @Option(names = "--installers", paramLabel = "N", defaultValue = "2",
            description = "Installer replicas. Default: ${DEFAULT-VALUE}.")
    String installers;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "soak-out",
            description = "Where soak.md, soak-rss.png and soak-plan.txt go. Default: ${DEFAULT-VALUE}.")
    Path outDir;

    @Option(names = "--settle-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "Longest wait for the initial and the final specs to settle. Default: ${DEFAULT-VALUE}.")
    String settleTimeout;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    SoakCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        int clusterCount = FleetBenchCommand.counts("--clusters", List.of(clusters), SandboxOptions.MAX_CLUSTERS).get(0);
        int replicas = FleetBenchCommand.counts("--installers", List.of(installers), SandboxOptions.PLAN_PARTITIONS).get(0);
        Duration d = SandboxOptions.duration("--duration", duration);
        if (d.isZero()) {
            throw new UsageException("--duration: give more than 0");
        }
        long s = seed == null ? System.currentTimeMillis() : seed;
        return Soak.run(new Soak.Settings(clusterCount, d, s, replicas, outDir.toAbsolutePath(),
                SandboxOptions.duration("--settle-timeout", settleTimeout)), out, err);
    }
}
