package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.bench.PeeringBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet bench peering}: the writes and the time of the (N+1)th cluster of a peered mesh (ADR 0046). */
@Command(name = "peering", sortOptions = false,
        description = "A fresh sandbox of N+1 clusters (readiness at once): the gloo-extensions-config with Peering and"
                + " N ServiceMeshControllers, until every one is SUCCEEDED with peers (N-1)/(N-1); then the (N+1)th"
                + " controller, until every one has N/N; then its deletion. Prints one Markdown table (times, the"
                + " installers' writes to the new cluster and to the N others, counted at the API servers) and writes"
                + " it to DIR/bench-peering.md.")
final class PeeringBenchCommand implements Callable<Integer> {

    @Option(names = "--clusters", paramLabel = "N", defaultValue = "100",
            description = "Controllers of the mesh before the (N+1)th. Default: ${DEFAULT-VALUE}.")
    String clusters;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-out",
            description = "Where bench-peering.md goes. Default: ${DEFAULT-VALUE}.")
    Path outDir;

    @Option(names = "--step-timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "Longest wait for one step. Default: ${DEFAULT-VALUE}.")
    String stepTimeout;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    PeeringBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        int n = FleetBenchCommand.counts("--clusters", List.of(clusters), SandboxOptions.MAX_CLUSTERS - 1).get(0);
        if (n < 2) {
            throw new UsageException("--clusters: '" + clusters + "' is too few for a mesh; give 2 or more");
        }
        return PeeringBenchmark.run(new PeeringBenchmark.Settings(n, outDir.toAbsolutePath(),
                SandboxOptions.duration("--step-timeout", stepTimeout)), out, err);
    }
}
