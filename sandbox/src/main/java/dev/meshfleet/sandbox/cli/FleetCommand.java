package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.history.FleetAt;
import dev.meshfleet.sandbox.history.FleetDiff;
import dev.meshfleet.sandbox.history.FleetReport;
import dev.meshfleet.sandbox.history.HistoryTopics;
import dev.meshfleet.sandbox.history.Instants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./meshfleet fleet [--at TIME | --diff T1 T2] [--cluster NAME] [-o table|json]}: the fleet at a past instant. */
@Command(name = "fleet", description = {"Every installation at an instant: the generation of its resource in force then,"
        + " its spec (the tag in the table; in JSON each resource once, with its spec and installations), and the state it was last observed in.",
        "Reads meshfleet.spec-changes (kept forever) and meshfleet.installation-events (30 days by default): where"
                + " retention has dropped the events of the instant, the state is UNKNOWN and the output says so.",
        "Exit status: 0, 2 bad input or Kafka unreachable."})
public final class FleetCommand implements Callable<Integer> {
    @Option(names = "--at", paramLabel = "TIME", description = "RFC 3339 (2026-11-30T14:05:00Z) or a duration ago"
            + " (-2h, -30m). Default: now.")
    String at;
    @Option(names = "--diff", arity = "2", paramLabel = "TIME", description = "What changed between two instants"
            + " (each as for --at), per installation.")
    List<String> diff;
    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this workload cluster.")
    String cluster;
    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", description = "Default: table.")
    String output;
    @Mixin
    KafkaOptions kafka;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
    private final PrintStream out;

    FleetCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException {
        if (!output.equals("table") && !output.equals("json")) {
            throw new UsageException("fleet: -o takes table or json, not '" + output + "'");
        }
        if (diff != null && at != null) {
            throw new UsageException("fleet: give --at TIME or --diff T1 T2, not both");
        }
        Instant now = Instant.now();
        Instant when = at == null ? now : instant("--at", at, now);
        Instant from = diff == null ? null : instant("--diff", diff.get(0), now);
        Instant to = diff == null ? null : instant("--diff", diff.get(1), now);
        Optional<String> only = Optional.ofNullable(cluster).map(String::trim).filter(c -> !c.isEmpty());
        // Events are read only up to the latest instant asked for: not the days after it.
        Instant latest = diff == null ? when : from.isAfter(to) ? from : to;
        HistoryTopics.Records records = HistoryCommand.readUntil(kafka.settings("fleet"), latest);
        if (diff == null) {
            FleetAt.View view = view(records, when, only);
            out.print(output.equals("json") ? FleetReport.json(view) : FleetReport.table(view));
            return Main.HEALTHY;
        }
        FleetAt.View a = view(records, from, only);
        FleetAt.View b = view(records, to, only);
        List<FleetDiff.Difference> differences = FleetDiff.between(a, b);
        out.print(output.equals("json") ? FleetReport.diffJson(a, b, differences) : FleetReport.diffTable(a, b, differences));
        return Main.HEALTHY;
    }

    private static FleetAt.View view(HistoryTopics.Records records, Instant at, Optional<String> cluster) {
        return FleetAt.at(at, records.changes(), records.transitions(), records.eventsRetainedFrom(), cluster);
    }

    static Instant instant(String option, String text, Instant now) throws UsageException {
        try {
            return Instants.parse(text, now);
        } catch (IllegalArgumentException e) {
            throw new UsageException("fleet: " + option + " " + e.getMessage());
        }
    }
}
