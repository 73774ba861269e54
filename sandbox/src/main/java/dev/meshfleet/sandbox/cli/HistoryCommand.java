package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.meshfleet.sandbox.history.ChainCheck;
import dev.meshfleet.sandbox.history.ClusterHistory;
import dev.meshfleet.sandbox.history.History;
import dev.meshfleet.sandbox.history.HistoryReport;
import dev.meshfleet.sandbox.history.HistoryTopics;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.time.GoDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./meshfleet history Kind/ns/name | --cluster NAME [--since D] [-o table|json]}: who changed a resource (or
 * every resource on one cluster), what, and what it did.
 */
@Command(name = "history", description = {"One entry per generation of a resource (and its deletion): when, by whom"
        + " (the admission webhook's record, else the field manager, said so), the changed fields old -> new, and per"
        + " cluster and revision the states it went through, the time to HEALTHY and where it ended."
        + " With --cluster NAME instead of a resource: every change that touched that cluster, across resources.",
        "Reads meshfleet.spec-changes and meshfleet.admissions (kept forever) and meshfleet.installation-events"
                + " (30 days by default: older transitions are gone, and the history says from when it has them).",
        "Exit status: 0, 1 --verify found a break, 2 a resource with no change on the topics, bad input or Kafka"
                + " unreachable."})
public final class HistoryCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", arity = "0..1", paramLabel = "Kind/namespace/name",
            description = "e.g. IstioLifecycleManager/gloo-mesh/istiod-control-plane")
    String resource;
    @Option(names = "--cluster", paramLabel = "NAME", description = "Every change that touched this workload cluster,"
            + " across resources (instead of a resource).")
    String cluster;
    @Option(names = "--verify", description = "Check the hash chain of the resource's records on meshfleet.spec-changes"
            + " and meshfleet.admissions (docs/adr/0033) instead; exit 1 naming the first record it does not hold.")
    boolean verify;
    @Option(names = "--since", paramLabel = "DURATION", description = "Only entries of the last DURATION (Go syntax: 2h, 30m).")
    String since;
    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", description = "Default: table.")
    String output;
    @Mixin
    KafkaOptions kafka;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
    private final PrintStream out;

    HistoryCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException {
        if ((resource == null) == (cluster == null || cluster.isBlank())) {
            throw new UsageException("history: name a resource (Kind/namespace/name) or give --cluster NAME, not both");
        }
        String key = resource == null ? null : key(resource);
        if (verify) {
            return verify(key);
        }
        Duration window = since == null ? null : parseSince(since);
        if (!output.equals("table") && !output.equals("json")) {
            throw new UsageException("history: -o takes table or json, not '" + output + "'");
        }
        KafkaClientSettings settings = kafka.settings("history");
        Instant from = window == null ? null : Instant.now().minus(window);
        if (key != null) {
            HistoryTopics.Records records = read(settings, key);
            if (records.changesOf(key).isEmpty()) {
                throw new UsageException("history: " + key + " has no change on the topics at "
                        + settings.bootstrapServers() + " (it never existed, or its name is misspelt)");
            }
            out.print(render(Map.of(key, since(records.historyOf(key), from)), records, null));
            return Main.HEALTHY;
        }
        HistoryTopics.Records records = readAll(settings);
        Map<String, List<History.Entry>> all = new LinkedHashMap<>();
        records.changes().keySet().forEach(k -> all.put(k, since(records.historyOf(k), from)));
        Map<String, List<History.Entry>> touching = ClusterHistory.of(all, cluster.trim());
        out.print(render(touching, records, cluster.trim()));
        return Main.HEALTHY;
    }

    private int verify(String key) throws UsageException {
        if (key == null) {
            throw new UsageException("history: --verify checks one resource: name it (Kind/namespace/name)");
        }
        KafkaClientSettings settings = kafka.settings("history");
        List<ChainCheck.TopicVerdict> verdicts;
        try {
            verdicts = new ChainCheck(settings, TIMEOUT).check(key);
        } catch (IllegalStateException e) {
            throw new UsageException("history: " + e.getMessage());
        }
        if (verdicts.stream().allMatch(v -> v.verdict() instanceof AuditChain.Verdict.Intact i
                && i.chained() + i.unchained() == 0)) {
            throw new UsageException("history: " + key + " has no record on the topics at " + settings.bootstrapServers()
                    + " (it never existed, or its name is misspelt)");
        }
        out.print(ChainCheck.report(key, verdicts));
        return ChainCheck.intact(verdicts) ? Main.HEALTHY : Main.SETTLED_UNHEALTHY;
    }

    private String render(Map<String, List<History.Entry>> histories, HistoryTopics.Records records, String cluster) {
        return output.equals("json") ? HistoryReport.json(histories, records.eventsRetainedFrom(), cluster)
                : HistoryReport.table(histories, records.eventsRetainedFrom(), cluster);
    }

    private static List<History.Entry> since(List<History.Entry> entries, Instant from) {
        return from == null ? entries : entries.stream().filter(e -> !e.when().isBefore(from)).toList();
    }

    static HistoryTopics.Records read(KafkaClientSettings settings, String key) throws UsageException {
        try {
            return new HistoryTopics(settings, TIMEOUT).read(key);
        } catch (IllegalStateException e) {
            throw new UsageException("history: " + e.getMessage());
        }
    }

    static HistoryTopics.Records readAll(KafkaClientSettings settings) throws UsageException {
        try {
            return new HistoryTopics(settings, TIMEOUT).readAll();
        } catch (IllegalStateException e) {
            throw new UsageException("history: " + e.getMessage());
        }
    }

    /** What the fleet at {@code at} or earlier needs ({@link HistoryTopics#readAllUntil}). */
    static HistoryTopics.Records readUntil(KafkaClientSettings settings, Instant at) throws UsageException {
        try {
            return new HistoryTopics(settings, TIMEOUT).readAllUntil(at);
        } catch (IllegalStateException e) {
            throw new UsageException("fleet: " + e.getMessage());
        }
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
}
