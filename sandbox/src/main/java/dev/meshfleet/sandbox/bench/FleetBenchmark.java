package dev.meshfleet.sandbox.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.fleet.Services;
import dev.meshfleet.sandbox.status.InstallationRow;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.sandbox.status.Settle;

/**
 * {@code ./meshfleet bench fleet}: for every combination of cluster count, installer replicas and API
 * latency, a fresh sandbox (readiness after 0s), an ILM naming every cluster, then a GLM naming every
 * cluster; each step timed from the apply until every installation has settled. Prints one Markdown table
 * ({@link FleetReport}) and writes it with a chart ({@link FleetChart}) to the output directory. Prints
 * figures; asserts nothing.
 */
public final class FleetBenchmark {

    /** How often the HEALTHY count is sampled (and settling checked) during a step. */
    /** The longest gap between two samples of the timeline; a change of status is sampled when it happens. */
    private static final Duration SAMPLE = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /** What to run: every combination of the three lists. */
    public record Settings(List<Integer> clusters, List<Integer> installers, List<Duration> apiLatencies, Path out,
            Duration stepTimeout, Duration steadyPeriod) {

        public Settings {
            clusters = List.copyOf(clusters);
            installers = List.copyOf(installers);
            apiLatencies = List.copyOf(apiLatencies);
        }
    }

    private FleetBenchmark() {
    }

    public static int run(Settings settings, PrintStream out, PrintStream err) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        String ilmExample = Files.readString(layout.examples().resolve("ilm-minimal.yaml"));
        String glmExample = Files.readString(layout.examples().resolve("glm-ingress.yaml"));
        Files.createDirectories(settings.out());
        List<FleetRun> runs = new ArrayList<>();
        for (Duration latency : settings.apiLatencies()) {
            for (int installers : settings.installers()) {
                for (int clusters : settings.clusters()) {
                    err.println("bench fleet: " + clusters + " clusters, " + installers + " installer(s), API latency "
                            + latency.toMillis() + "ms ...");
                    FleetRun run = runOne(layout, settings, clusters, installers, latency, ilmExample, glmExample, err);
                    runs.add(run);
                    err.println("bench fleet: " + run.label() + ": ILM " + run.ilmStep().toMillis() + " ms, GLM "
                            + run.glmStep().toMillis() + " ms, " + run.healthy() + "/" + run.installations()
                            + " HEALTHY");
                }
            }
        }
        String table = FleetReport.markdown(runs);
        Path md = settings.out().resolve("bench-fleet.md");
        Path png = settings.out().resolve("bench-fleet.png");
        Files.writeString(md, "# Meshfleet fleet benchmark\n\n" + table);
        FleetChart.write(runs, png);
        out.print(table);
        err.println("bench fleet: wrote " + md + " and " + png);
        return runs.stream().allMatch(r -> r.healthy() == r.installations()) ? 0 : 1;
    }

    private static FleetRun runOne(RepoLayout layout, Settings settings, int clusterCount, int installers,
            Duration latency, String ilmExample, String glmExample, PrintStream err) throws Exception {
        List<String> clusters = FleetSpecs.clusters(clusterCount);
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters)
                .withReadyAfter(Duration.ZERO).withTimeout(settings.stepTimeout()).withInstallers(installers)
                .withApiLatency(latency);
        try (Sandbox sandbox = Sandbox.start(options, layout, err)) {
            Path dir = Files.createDirectories(sandbox.runDir().resolve("bench-fleet"));
            Path ilm = dir.resolve("ilm.yaml");
            Path glm = dir.resolve("glm.yaml");
            Files.writeString(ilm, FleetSpecs.naming(ilmExample, clusters));
            Files.writeString(glm, FleetSpecs.naming(glmExample, clusters));

            List<FleetRun.Sample> timeline = new ArrayList<>();
            Map<String, ProcessStats> before = stats(sandbox).byService();
            sandbox.api().resetStatusWrites();
            long t0 = System.nanoTime();
            sandbox.apply(ilm);
            Duration ilmStep = awaitSettled(sandbox, t0, t0, settings.stepTimeout(), timeline, err);
            long t1 = System.nanoTime();
            sandbox.apply(glm);
            Duration glmStep = awaitSettled(sandbox, t1, t0, settings.stepTimeout(), timeline, err);
            Map<String, Long> statusWrites = sandbox.api().statusWrites();
            Map<String, ProcessStats> after = stats(sandbox).byService();
            int healthy = healthy(sandbox.views());

            Thread.sleep(settings.steadyPeriod().toMillis());
            Snapshot atRest = stats(sandbox);
            long totalPeakRss = atRest.totalPeakRssBytes();
            Map<String, ProcessStats> rested = atRest.byService();
            Map<String, FleetRun.ServiceFigures> figures = new LinkedHashMap<>();
            for (String service : after.keySet()) {
                ProcessStats a = after.get(service);
                ProcessStats b = before.getOrDefault(service, ProcessStats.NONE);
                ProcessStats r = rested.getOrDefault(service, a);
                double steady = (double) r.cpu().minus(a.cpu()).toNanos() / settings.steadyPeriod().toNanos();
                figures.put(service, new FleetRun.ServiceFigures(Math.max(r.peakRssBytes(), a.peakRssBytes()),
                        a.cpu().minus(b.cpu()), steady));
            }
            return new FleetRun(clusterCount, installers, latency, ilmStep, glmStep, 2 * clusterCount, healthy,
                    statusWrites, figures, totalPeakRss, timeline);
        }
    }

    /**
     * Waits until every resource has settled, sampling the HEALTHY count into the timeline.
     *
     * @return the time from stepStart until settled
     */
    private static Duration awaitSettled(Sandbox sandbox, long stepStart, long benchStart, Duration timeout,
            List<FleetRun.Sample> timeline, PrintStream err) throws InterruptedException, TimeoutException {
        long deadline = stepStart + timeout.toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (true) {
            long seen = sandbox.changes().version();
            List<ResourceView> views = sandbox.views();
            long now = System.nanoTime();
            timeline.add(new FleetRun.Sample((now - benchStart) / 1e9, healthy(views)));
            Settle.Progress p = Settle.evaluate(views);
            if (p.done()) {
                return Duration.ofNanos(now - stepStart);
            }
            if (now > deadline) {
                throw new TimeoutException("bench fleet: not settled after " + timeout + ": "
                        + String.join("; ", p.moving()));
            }
            if (now > nextProgress) {
                err.println("  ... " + (now - stepStart) / 1_000_000_000 + "s: " + healthy(views) + " HEALTHY, "
                        + p.settled() + "/" + p.total() + " resources settled");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            sandbox.awaitChange(seen, SAMPLE);
        }
    }

    private static int healthy(List<ResourceView> views) {
        int n = 0;
        for (ResourceView v : views) {
            for (InstallationRow row : v.installations()) {
                if ("HEALTHY".equals(row.state())) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * One reading of every process: per service (installer replicas folded: largest RSS, summed CPU; Kafka and
     * this JVM added), and the peak RSS of every process added up (each replica counted).
     */
    private record Snapshot(Map<String, ProcessStats> byService, long totalPeakRssBytes) {
    }

    private static Snapshot stats(Sandbox sandbox) {
        Map<String, ProcessStats> out = new LinkedHashMap<>();
        long total = 0;
        for (Services.Running r : sandbox.services().all()) {
            ProcessStats s = ProcessStats.of(r.process().pid());
            total += s.peakRssBytes();
            out.merge(r.module(), s, (x, y) -> new ProcessStats(Math.max(x.peakRssBytes(), y.peakRssBytes()),
                    x.rssBytes() + y.rssBytes(), x.cpu().plus(y.cpu())));
        }
        ProcessStats kafka = ProcessStats.of(sandbox.broker().process().pid());
        ProcessStats self = ProcessStats.of(ProcessHandle.current().pid());
        out.put("kafka", kafka);
        out.put("sandbox", self);
        return new Snapshot(out, total + kafka.peakRssBytes() + self.peakRssBytes());
    }
}
