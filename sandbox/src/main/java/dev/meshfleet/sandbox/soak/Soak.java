package dev.meshfleet.sandbox.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.bench.FleetSpecs;
import dev.meshfleet.sandbox.bench.ProcessStats;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.faults.FaultOutcome;
import dev.meshfleet.sandbox.faults.ProcessFault;
import dev.meshfleet.sandbox.faults.ProcessFaults;
import dev.meshfleet.schemas.time.GoDuration;

/**
 * {@code ./meshfleet soak}: one sandbox, the initial specs applied and settled, then a seeded churn
 * ({@link SoakPlan}) played in time (spec changes on this thread, faults one after another on their own, so a
 * fault never hits a process still down from the last), then the final specs applied again and settled, and the
 * verdict ({@link SoakCheck}). Each process's RSS is sampled every {@link #SAMPLE_EVERY} throughout; the chart and
 * the summary go to the output directory. Not a test: it prints figures and exits 1 when anything was stuck.
 */
public final class Soak {

    public static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration FAULT_TIMEOUT = Duration.ofMinutes(5);

    public record Settings(int clusters, Duration duration, long seed, int installers, Path out, Duration settleTimeout) {
    }

    /** A fault's outcomes (one per process it hit) and when in the churn it started; its own times count from there. */
    private record PlayedFault(Duration at, List<FaultOutcome> outcomes) {
    }

    private Soak() {
    }

    public static int run(Settings settings, PrintStream out, PrintStream err) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        SoakSpecs specs = new SoakSpecs(Files.readString(layout.examples().resolve("ilm-minimal.yaml")),
                Files.readString(layout.examples().resolve("glm-ingress.yaml")));
        List<String> clusters = FleetSpecs.clusters(settings.clusters());
        SoakPlan plan = SoakPlan.generate(settings.seed(), clusters, settings.installers(), settings.duration());
        Files.createDirectories(settings.out());
        err.println("soak: seed " + settings.seed() + ", " + plan.steps().size() + " steps over "
                + GoDuration.format(settings.duration()) + " (plan in " + settings.out().resolve("soak-plan.txt") + ")");
        Files.write(settings.out().resolve("soak-plan.txt"), plan.describe());

        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters)
                .withInstallers(settings.installers()).withTimeout(settings.settleTimeout());
        RssTimeline rss = new RssTimeline();
        try (Sandbox sandbox = Sandbox.start(options, layout, err)) {
            Path dir = Files.createDirectories(sandbox.runDir().resolve("soak"));
            long ready = System.nanoTime();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("soak-rss"));
            sampler.scheduleAtFixedRate(() -> sample(sandbox, rss, (System.nanoTime() - ready) / 1e9), 0,
                    SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            try {
                long t = System.nanoTime();
                apply(sandbox, specs, plan.initial(), dir, err);
                Duration initialSettle = settle(sandbox, settings.settleTimeout(), t, err);
                err.println("soak: initial specs settled in " + Sandbox.elapsed(initialSettle) + "; churn starts");

                List<SoakStep> applied = Collections.synchronizedList(new ArrayList<>());
                List<PlayedFault> outcomes = Collections.synchronizedList(new ArrayList<>());
                List<String> refusals = new ArrayList<>();
                long churnStart = System.nanoTime();
                double churnStartSeconds = (churnStart - ready) / 1e9;
                ExecutorService faultThread = Executors.newSingleThreadExecutor(daemon("soak-faults"));
                Future<?> faults = faultThread.submit(() -> {
                    playFaults(sandbox, plan, settings.installers(), churnStart, applied, outcomes, err);
                    return null;
                });
                for (SoakStep step : plan.steps()) {
                    if (step instanceof SoakStep.SpecChange change) {
                        sleepUntil(churnStart, change.at());
                        err.println("soak: " + late(churnStart, change) + change.describe());
                        try {
                            apply(sandbox, specs, change.after(), dir, err);
                            applied.add(change);
                        } catch (IOException e) {
                            refusals.add(change.describe() + ": " + e.getMessage());
                            err.println("soak: refused: " + e.getMessage());
                        }
                    }
                }
                sleepUntil(churnStart, settings.duration());
                faults.get(FAULT_TIMEOUT.toMillis() + settings.duration().toMillis(), TimeUnit.MILLISECONDS);
                faultThread.shutdown();

                err.println("soak: churn over; applying the final specs and waiting for them to settle");
                t = System.nanoTime();
                apply(sandbox, specs, plan.finalState(), dir, err);
                boolean settled = true;
                Duration finalSettle;
                try {
                    finalSettle = settle(sandbox, settings.settleTimeout(), t, err);
                } catch (TimeoutException e) {
                    settled = false;
                    finalSettle = settings.settleTimeout();
                    err.println("soak: " + e.getMessage());
                }
                SoakSpecs.Expected expected = specs.expected(plan.finalState());
                List<String> stuck = new ArrayList<>(refusals.stream().map(r -> "refused step: " + r).toList());
                stuck.addAll(SoakCheck.stuck(expected, sandbox.views()));
                sampler.shutdown();
                sampler.awaitTermination(10, TimeUnit.SECONDS);

                List<String> faultLines = new ArrayList<>();
                for (PlayedFault played : List.copyOf(outcomes)) {
                    for (String line : sandbox.faultReport(played.outcomes())) {
                        faultLines.add("at " + Sandbox.elapsed(played.at()) + " of the churn: " + line);
                    }
                }
                int expectedCount = expected.healthy().values().stream().mapToInt(java.util.Set::size).sum();
                SoakReport.Outcome outcome = new SoakReport.Outcome(settings.seed(), settings.clusters(),
                        settings.installers(), settings.duration(), List.copyOf(applied), faultLines, initialSettle,
                        finalSettle, settled, expectedCount, stuck, rss.figures(churnStartSeconds));
                String md = SoakReport.markdown(outcome);
                Path mdFile = settings.out().resolve("soak.md");
                Path png = settings.out().resolve("soak-rss.png");
                Files.writeString(mdFile, md);
                SoakChart.write(rss, png);
                out.print(md);
                err.println("soak: wrote " + mdFile + " and " + png + "; logs in " + sandbox.runDir().resolve("logs"));
                return stuck.isEmpty() && settled ? 0 : 1;
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    /** The faults of the plan, each at its time or once the one before has ended, whichever is later. */
    private static void playFaults(Sandbox sandbox, SoakPlan plan, int installers, long churnStart,
            List<SoakStep> applied, List<PlayedFault> outcomes, PrintStream err)
            throws InterruptedException, TimeoutException {
        for (SoakStep step : plan.steps()) {
            ProcessFault fault;
            if (step instanceof SoakStep.Kill k) {
                fault = ProcessFaults.kill(k.service() + "@0s", installers, k.restartAfter());
            } else if (step instanceof SoakStep.Pause p) {
                fault = ProcessFaults.pause(p.service() + "@0s+" + GoDuration.format(p.duration()), installers);
            } else {
                continue;
            }
            sleepUntil(churnStart, step.at());
            err.println("soak: " + late(churnStart, step) + step.describe());
            Duration at = Duration.ofNanos(System.nanoTime() - churnStart);
            sandbox.startFaults(List.of(fault));
            outcomes.add(new PlayedFault(at, sandbox.awaitFaults(FAULT_TIMEOUT)));
            applied.add(step);
        }
    }

    private static void apply(Sandbox sandbox, SoakSpecs specs, SoakState state, Path dir, PrintStream err)
            throws IOException {
        Path ilm = dir.resolve("ilm.yaml");
        Path glm = dir.resolve("glm.yaml");
        Files.writeString(ilm, specs.ilm(state));
        Files.writeString(glm, specs.glm(state));
        sandbox.apply(ilm);
        sandbox.apply(glm);
    }

    private static Duration settle(Sandbox sandbox, Duration timeout, long since, PrintStream err)
            throws TimeoutException, InterruptedException {
        sandbox.awaitSettled(timeout, err);
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private static void sample(Sandbox sandbox, RssTimeline rss, double seconds) {
        try {
            for (String instance : sandbox.services().instanceNames()) {
                rss.add(instance, seconds, ProcessStats.of(sandbox.services().running(instance).process().pid()).rssBytes());
            }
            rss.add("kafka", seconds, ProcessStats.of(sandbox.broker().process().pid()).rssBytes());
            rss.add("sandbox", seconds, ProcessStats.of(ProcessHandle.current().pid()).rssBytes());
        } catch (RuntimeException e) {
            // A process between its kill and its restart: the next sample finds the new one.
        }
    }

    /** "(+3s late) " when a step runs after its time (the fault before it was still playing), else "". */
    private static String late(long churnStart, SoakStep step) {
        Duration lag = Duration.ofNanos(System.nanoTime() - churnStart).minus(step.at());
        return lag.compareTo(Duration.ofSeconds(1)) < 0 ? "" : "(" + Sandbox.elapsed(lag) + " late) ";
    }

    private static void sleepUntil(long start, Duration at) throws InterruptedException {
        long wait = start + at.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
