package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.bench.AuditLoad;
import dev.meshfleet.sandbox.history.FleetAt;
import dev.meshfleet.sandbox.history.HistoryTopics;
import dev.meshfleet.sandbox.kafka.KafkaBroker;
import dev.meshfleet.sandbox.process.AgentJar;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./meshfleet bench audit}: a million installation events on the topics, and how long history and fleet --at take. */
@Command(name = "audit", sortOptions = false,
        description = {"Starts a bare Kafka broker (no services), writes --resources ILMs naming --clusters clusters,"
                + " upgraded generation after generation, with about --events installation events (4 per cluster and"
                + " generation, within the last 20 days), then reads them back as ./meshfleet history of one resource"
                + " and fleet --at do, timing each (the read and the fold). With --keep the broker stays up, its address"
                + " printed, for timing the commands themselves (time ./meshfleet history ... --bootstrap-server ADDR)."})
final class AuditBenchCommand implements Callable<Integer> {
    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}.")
    long events;
    @Option(names = "--resources", paramLabel = "N", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int resources;
    @Option(names = "--clusters", paramLabel = "N", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    int clusters;
    @Option(names = "--keep", description = "Keep the broker running after the timings until Ctrl-C.")
    boolean keep;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;

    AuditBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || resources < 1 || clusters < 1) {
            throw new UsageException("bench audit: --events, --resources and --clusters take positive numbers");
        }
        RepoLayout layout = RepoLayout.locate();
        Path dir = layout.sandboxRoot().resolve("bench-audit-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        err.println("bench audit: starting Kafka under " + dir + " ...");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), layout.brokerClassPath(), AgentJar.write(dir),
                dir.resolve("pids"), Duration.ofMinutes(3))) {
            TopicAdmin.ensure(broker.bootstrapServers(), TopicAdmin.definitions(SandboxOptions.PLAN_PARTITIONS), (short) 1);
            KafkaClientSettings kafka = KafkaClientSettings.bootstrap(broker.bootstrapServers());
            Instant t0 = Instant.now();
            AuditLoad.Written w = AuditLoad.write(kafka, events, resources, clusters, t0);
            out.println("bench audit: wrote " + w.events() + " installation events and " + w.specChanges()
                    + " spec changes (" + resources + " resources x " + w.generations() + " generations x " + clusters
                    + " clusters) in " + Sandbox.elapsed(Duration.between(t0, Instant.now())));
            String key = w.keys().get(0);
            Instant t1 = Instant.now();
            HistoryTopics.Records one = new HistoryTopics(kafka, HistoryCommand.TIMEOUT).read(key);
            Instant t2 = Instant.now();
            int entries = one.historyOf(key).size();
            Instant t3 = Instant.now();
            out.println("bench audit: history " + key + ": read " + one.transitions().getOrDefault(key, java.util.List.of())
                    .size() + " events in " + Sandbox.elapsed(Duration.between(t1, t2)) + ", " + entries
                    + " entries folded in " + Sandbox.elapsed(Duration.between(t2, t3)));
            // fleet --at reads the events up to the instant: now (all of them), then early in the topics' span,
            // whose view must be the one every event gives.
            FleetAt.View fromAll = null;
            for (Instant at : java.util.List.of(t0, w.between())) {
                Instant t4 = Instant.now();
                HistoryTopics.Records read = new HistoryTopics(kafka, HistoryCommand.TIMEOUT).readAllUntil(at);
                Instant t5 = Instant.now();
                FleetAt.View view = FleetAt.at(at, read.changes(), read.transitions(), read.eventsRetainedFrom(),
                        Optional.empty());
                Instant t6 = Instant.now();
                out.println("bench audit: fleet --at " + at + ": read " + read.transitions().values().stream()
                        .mapToInt(java.util.List::size).sum() + " events in " + Sandbox.elapsed(Duration.between(t4, t5))
                        + ", " + view.installations().size() + " installations folded in "
                        + Sandbox.elapsed(Duration.between(t5, t6)) + (fromAll == null ? ""
                                : view.equals(fromAll) ? " (the view every event gives)"
                                : " (NOT the view every event gives)"));
                if (fromAll == null) {
                    fromAll = FleetAt.at(w.between(), read.changes(), read.transitions(), read.eventsRetainedFrom(),
                            Optional.empty());
                }
            }
            if (keep) {
                out.println("bench audit: Kafka at " + broker.bootstrapServers() + "; e.g. time ./meshfleet history "
                        + key + " --bootstrap-server " + broker.bootstrapServers() + " >/dev/null; time ./meshfleet"
                        + " fleet --at " + w.between() + " --bootstrap-server " + broker.bootstrapServers()
                        + " >/dev/null. Ctrl-C stops it.");
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    broker.close();
                    stopped.countDown();
                }));
                stopped.await();
            }
        }
        return Main.HEALTHY;
    }
}
