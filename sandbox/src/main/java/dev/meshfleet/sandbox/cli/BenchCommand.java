package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.bench.ApplyToHealthyBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet bench}: apply-to-HEALTHY latency, the pipeline against the in-process floor. */
@Command(name = "bench", sortOptions = false,
        description = "Apply-to-HEALTHY latency of one ILM on one cluster (readiness at once): through the whole"
                + " pipeline, and as the floor the same render, apply and wait in one process. Prints figures.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "N", defaultValue = "20",
            description = "Measured runs after one warm-up (1 or more). Default: ${DEFAULT-VALUE}.")
    String runs;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        int n;
        try {
            n = Integer.parseInt(runs.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new UsageException("--runs: '" + runs + "' is not a run count; give 1 or more");
        }
        return ApplyToHealthyBenchmark.run(n, out, err);
    }
}
