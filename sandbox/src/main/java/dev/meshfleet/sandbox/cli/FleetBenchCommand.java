package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.bench.FleetBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet bench fleet}: time to all HEALTHY at fleet size, per combination, with the cost of each service. */
@Command(name = "fleet", sortOptions = false,
        description = "For every combination of --clusters, --installers and --api-latency: a fresh sandbox"
                + " (readiness at once), an ILM then a GLM each naming every cluster. Prints one Markdown table"
                + " (step times, installations per second, T(N)/T(fewest), N installers against 1, status writes per"
                + " resource per second, peak RSS and CPU per service, CPU at rest) and writes it with a chart of"
                + " HEALTHY installations over time to DIR/bench-fleet.md and DIR/bench-fleet.png.")
final class FleetBenchCommand implements Callable<Integer> {

    @Option(names = "--clusters", paramLabel = "N[,N...]", defaultValue = "100,1000", split = ",",
            description = "Cluster counts to run. Default: ${DEFAULT-VALUE}.")
    List<String> clusters;

    @Option(names = "--installers", paramLabel = "N[,N...]", defaultValue = "1,4", split = ",",
            description = "Installer replica counts to run. Default: ${DEFAULT-VALUE}.")
    List<String> installers;

    @Option(names = "--api-latency", paramLabel = "DURATION[,DURATION...]", defaultValue = "0", split = ",",
            description = "Delay of every request to a workload cluster's API (Go durations). Default: ${DEFAULT-VALUE}.")
    List<String> apiLatency;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-out",
            description = "Where bench-fleet.md and bench-fleet.png go. Default: ${DEFAULT-VALUE}.")
    Path outDir;

    @Option(names = "--step-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "Longest wait for one step to settle. Default: ${DEFAULT-VALUE}.")
    String stepTimeout;

    @Option(names = "--steady", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long CPU is measured at rest after both steps. Default: ${DEFAULT-VALUE}.")
    String steady;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    FleetBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> clusterCounts = counts("--clusters", clusters, SandboxOptions.MAX_CLUSTERS);
        List<Integer> installerCounts = counts("--installers", installers, SandboxOptions.PLAN_PARTITIONS);
        List<Duration> latencies = new ArrayList<>();
        for (String l : apiLatency) {
            latencies.add(SandboxOptions.duration("--api-latency", l));
        }
        Duration timeout = SandboxOptions.duration("--step-timeout", stepTimeout);
        Duration steadyPeriod = SandboxOptions.duration("--steady", steady);
        return FleetBenchmark.run(new FleetBenchmark.Settings(clusterCounts, installerCounts, latencies,
                outDir.toAbsolutePath(), timeout, steadyPeriod), this.out, err);
    }

    static List<Integer> counts(String option, List<String> values, int max) throws UsageException {
        List<Integer> counts = new ArrayList<>();
        for (String v : values) {
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > max) {
                throw new UsageException(option + ": '" + v + "' is not a count from 1 to " + max);
            }
            counts.add(n);
        }
        return counts;
    }
}
