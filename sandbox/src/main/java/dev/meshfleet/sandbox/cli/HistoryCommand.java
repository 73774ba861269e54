package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.history.History;
import dev.meshfleet.sandbox.history.HistoryReport;
import dev.meshfleet.sandbox.history.HistoryTopics;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.time.GoDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./meshfleet history Kind/ns/name [--since D] [-o table|json]}: who changed a resource, what, and what it did. */
@Command(name = "history", description = {"One entry per generation of a resource (and its deletion): when, by whom"
        + " (the admission webhook's record, else the field manager, said so), the changed fields old -> new, and per"
        + " cluster and revision the states it went through, the time to HEALTHY and where it ended.",
        "Exit status: 0, 2 a resource with no change on the topics, bad input or Kafka unreachable."})
public final class HistoryCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "Kind/namespace/name",
            description = "e.g. IstioLifecycleManager/gloo-mesh/istiod-control-plane")
    String resource;
    @Option(names = "--since", paramLabel = "DURATION", description = "Only entries of the last DURATION (Go syntax: 2h, 30m).")
    String since;
    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", description = "Default: table.")
    String output;
    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka. Default: the broker of the sandbox running now (./meshfleet sandbox up).")
    String bootstrapServer;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
    private final PrintStream out;

    HistoryCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException {
        String key = key(resource);
        Duration window = since == null ? null : parseSince(since);
        if (!output.equals("table") && !output.equals("json")) {
            throw new UsageException("history: -o takes table or json, not '" + output + "'");
        }
        String bootstrap = bootstrap();
        HistoryTopics.Records records;
        try {
            records = new HistoryTopics(bootstrap, TIMEOUT).read(key);
        } catch (IllegalStateException e) {
            throw new UsageException("history: " + e.getMessage());
        }
        if (records.changes().isEmpty()) {
            throw new UsageException("history: " + key + " has no change on the topics at " + bootstrap
                    + " (it never existed, or its name is misspelt)");
        }
        List<History.Entry> entries = History.of(records.changes(), records.admissions(), records.transitions());
        if (window != null) {
            Instant from = Instant.now().minus(window);
            entries = entries.stream().filter(e -> !e.when().isBefore(from)).toList();
        }
        out.print(output.equals("json") ? HistoryReport.json(key, entries) : HistoryReport.table(key, entries));
        return Main.HEALTHY;
    }

    static String key(String resource) throws UsageException {
        try {
            var parsed = OwnerKeys.parse(resource);
            return OwnerKeys.of(parsed.kind(), parsed.namespace(), parsed.name());
        } catch (RuntimeException e) {
            throw new UsageException("history: '" + resource + "' is not Kind/namespace/name with Kind"
                    + " IstioLifecycleManager or GatewayLifecycleManager");
        }
    }

    static Duration parseSince(String since) throws UsageException {
        try {
            Duration d = GoDuration.nonNegative(since);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new UsageException("history: --since takes a positive duration such as 2h or 30m, not '" + since + "'");
        }
    }

    private String bootstrap() throws UsageException {
        return KafkaAddress.of(bootstrapServer, "history", "--bootstrap-server");
    }
}
