package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.SandboxOptions.Mode;
import dev.meshfleet.sandbox.fencing.FencingCheck;
import dev.meshfleet.sandbox.history.HistoryReport;
import dev.meshfleet.sandbox.history.HistoryTopics;
import dev.meshfleet.sandbox.mesh.MeshRead;
import dev.meshfleet.sandbox.mesh.MeshSummary;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.sandbox.cli.SandboxOptions.Output;
import dev.meshfleet.sandbox.faults.FaultOutcome;
import dev.meshfleet.sandbox.poison.Poisoning;
import dev.meshfleet.sandbox.status.FinalStatus;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.sandbox.writes.StepWrites;
import dev.meshfleet.testkit.WriteLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./meshfleet sandbox run|up}: the local fleet. */
@Command(name = "sandbox", description = "The local fleet: a Kafka broker, the management API server, simulated"
        + " workload clusters and the four services as processes. Say 'run' or 'up'.")
public final class SandboxCommand implements Callable<Integer> {
    /** Links not up printed per mesh at the end of a run; ./meshfleet mesh prints more. */
    static final int MESH_LINES = 5;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("sandbox: say 'run' or 'up', e.g. ./meshfleet sandbox run -f examples/ilm-minimal.yaml");
    }

    /** What run and up share: the options, the help, and starting the fleet in their mode. */
    abstract static class Launch implements Callable<Integer> {
        @Mixin
        SandboxArgs args;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        private final Mode mode;
        private final PrintStream out;
        private final PrintStream err;

        Launch(Mode mode, PrintStream out, PrintStream err) {
            this.mode = mode;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            List<String> history = new java.util.ArrayList<>();
            for (String ref : args.history) {
                try {
                    history.add(HistoryCommand.key(ref));
                } catch (UsageException e) {
                    throw new UsageException("sandbox: --history '" + ref + "' is not Kind/namespace/name with Kind"
                            + " IstioLifecycleManager or GatewayLifecycleManager");
                }
            }
            return execute(SandboxOptions.from(mode, args), Poison.parseAll(args.poison), history, out, err);
        }
    }

    @Command(name = "run", sortOptions = false,
            description = {"Start the fleet, run the steps (-f FILE, --delete Kind/namespace/name; --as USER for those after it) in order, waiting"
                    + " after each until every installation has settled, print the status, stop.",
                    "Exit status: 0 all HEALTHY (or UNINSTALLED/deleted), 1 settled otherwise, 2 timeout or error."})
    public static final class Run extends Launch {
        Run(PrintStream out, PrintStream err) {
            super(Mode.RUN, out, err);
        }
    }

    @Command(name = "up", sortOptions = false,
            description = {"Start the fleet, run the steps if any, write a kubeconfig (users platform-admin and"
                    + " mesh-operator; contexts mgmt, mesh-operator@mgmt and one per cluster) and stay up for kubectl"
                    + " until Ctrl-C."})
    public static final class Up extends Launch {
        Up(PrintStream out, PrintStream err) {
            super(Mode.UP, out, err);
        }
    }

    static int execute(SandboxOptions options, List<Poison> poison, List<String> history, PrintStream out,
            PrintStream err)
            throws Exception {
        Mode mode = options.mode();
        RepoLayout layout = RepoLayout.locate();
        // With -o yaml stdout carries only the List, so it can be piped; the tables go to stderr.
        PrintStream tables = options.output() == Output.YAML ? err : out;

        Sandbox sandbox = Sandbox.start(options, layout, err, true, true);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println("sandbox: stopping ...");
            sandbox.close();
            stopped.countDown();
        }, "meshfleet-sandbox-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Settle.Progress last = null;
            int n = 0;
            List<Poisoning.Written> poisoned = Poisoning.write(sandbox.broker().bootstrapServers(), poison,
                    Instant.now());
            for (Step step : options.steps()) {
                n++;
                if (n == 1) {
                    sandbox.startFaults(options.processFaults());
                }
                err.println("sandbox: step " + n + "/" + options.steps().size() + ": " + step);
                Instant t0 = Instant.now();
                int writesBefore = sandbox.api().writeLog().writes().size();
                if (step instanceof Step.Apply a) {
                    Sandbox.Applied applied = sandbox.tryApply(a.file(), a.user());
                    if (applied instanceof Sandbox.Applied.Refused refused) {
                        err.println("sandbox: the API server refused " + refused.describe());
                        return Main.ERROR;
                    }
                    err.println("sandbox: applied " + ((Sandbox.Applied.Done) applied).refs());
                } else if (step instanceof Step.Delete d) {
                    sandbox.delete(d.ref(), d.user());
                }
                try {
                    last = sandbox.awaitSettled(options.timeout(), err);
                } catch (TimeoutException e) {
                    err.println("sandbox: " + e.getMessage());
                    tables.print(Rendering.table(sandbox.views()));
                    err.println("sandbox: service logs (tails):");
                    err.print(sandbox.logTails(20));
                    return Main.ERROR;
                }
                err.println("sandbox: step " + n + "/" + options.steps().size() + " settled in "
                        + Sandbox.elapsed(Duration.between(t0, Instant.now())) + " (" + last.settled() + "/" + last.total()
                        + " settled)");
                List<WriteLog.Write> writes = sandbox.api().writeLog().writes();
                err.println(StepWrites.line(n, options.steps().size(),
                        StepWrites.byInstallers(writes.subList(Math.min(writesBefore, writes.size()), writes.size()))));
                tables.print(Rendering.table(sandbox.views()));
            }
            if (sandbox.playsFaults()) {
                // Every fault is played, even those timed after the steps settled, and the fleet must settle after them.
                err.println("sandbox: waiting for the faults to be played (the last ends at "
                        + Sandbox.elapsed(sandbox.lastFaultEnd()) + ") and the fleet to settle again ...");
                Instant t0 = Instant.now();
                List<FaultOutcome> outcomes;
                try {
                    outcomes = sandbox.awaitFaults(sandbox.lastFaultEnd().plus(options.timeout()));
                    last = sandbox.awaitSettled(options.timeout(), err);
                } catch (TimeoutException e) {
                    err.println("sandbox: after the faults: " + (e.getMessage() == null ? "not played in time" : e.getMessage()));
                    tables.print(Rendering.table(sandbox.views()));
                    err.println("sandbox: service logs (tails):");
                    err.print(sandbox.logTails(20));
                    return Main.ERROR;
                }
                err.println("sandbox: settled after the faults (" + Sandbox.elapsed(Duration.between(t0, Instant.now()))
                        + " after the last step; " + last.settled() + "/" + last.total() + " settled)");
                for (String line : sandbox.faultReport(outcomes)) {
                    err.println("sandbox: " + line);
                }
                tables.print(Rendering.table(sandbox.views()));
            }
            boolean poisonDeadLettered = true;
            for (Poisoning.Outcome o : Poisoning.outcomes(sandbox.broker().bootstrapServers(), poisoned)) {
                err.println(o.line());
                poisonDeadLettered &= o.ok();
            }
            // What a user compares with an undisturbed run of the same files: the same digest, the same final status.
            FinalStatus finalStatus = FinalStatus.of(sandbox.views());
            Path finalStatusFile = sandbox.runDir().resolve("final-status.txt");
            Files.writeString(finalStatusFile, finalStatus.text());
            err.println("sandbox: final status: " + finalStatus.lines().size() + " installations, digest "
                    + finalStatus.digest() + " (" + finalStatusFile + "; a run of the same files without faults that"
                    + " ends the same prints the same digest, else diff the two files)");
            // The mesh-level summary of the peered namespaces (./meshfleet mesh), short: the headline and a few links.
            for (MeshSummary.Mesh mesh : MeshRead.meshes(sandbox.api().client(), null)) {
                mesh.lines(MESH_LINES).forEach(l -> err.println("sandbox: " + l));
            }
            if (options.output() == Output.YAML) {
                out.print(Rendering.yamlList(sandbox.resourcesAsMaps()));
            }
            for (String key : history) {
                HistoryTopics.Records records = HistoryCommand.read(
                        KafkaClientSettings.bootstrap(sandbox.broker().bootstrapServers()), key);
                tables.println("sandbox: history of " + key + ":");
                tables.print(HistoryReport.table(Map.of(key, records.historyOf(key)), records.eventsRetainedFrom(), null));
            }
            if (mode == Mode.UP) {
                Path kubeconfig = sandbox.writeKubeconfig();
                out.println();
                out.println("The sandbox is up. In another shell:");
                out.println("  export KUBECONFIG=" + kubeconfig);
                out.println("  kubectl --context mgmt get ilm,glm -A");
                out.println("  kubectl --context mgmt apply -f examples/glm-ingress.yaml");
                out.println("  kubectl --context mgmt get ilm -A -o yaml");
                out.println("  kubectl --context cluster1 get deploy,svc -A");
                out.println("  kubectl --context mesh-operator@mgmt get ilm -A     # may edit ILMs and GLMs only");
                out.println("Users: platform-admin (system:masters; contexts mgmt and the clusters), mesh-operator"
                        + " (context mesh-operator@mgmt). The management API server enforces the chart's RBAC, each"
                        + " workload cluster deploy/workload-cluster/installer-role.yaml for the installer.");
                out.println("Contexts: mgmt, mesh-operator@mgmt, " + String.join(", ", options.clusters().size() <= 5 ? options.clusters()
                        : List.of(options.clusters().get(0), "...", options.clusters().get(options.clusters().size() - 1))));
                out.println("Logs: " + sandbox.runDir().resolve("logs") + ". Ctrl-C stops everything.");
                out.flush();
                stopped.await();
                return 0;
            }
            // A write by a replica to a cluster it no longer owned fails the run, however the fleet settled.
            FencingCheck.Result fencing = sandbox.fencing();
            err.println(fencing.line());
            fencing.stale().stream().limit(10).forEach(w -> err.println("sandbox: fencing: " + w));
            // A service refused by the chart's RBAC, or the installer by its role in a workload cluster, would be
            // refused in a real cluster too (ADR 0021).
            List<String> denied = sandbox.serviceRbacDenials();
            List<String> deniedInWorkloads = sandbox.workloadRbacDenials();
            err.println("sandbox: rbac: " + denied.size() + " request(s) of the services refused by the chart's RBAC, "
                    + deniedInWorkloads.size() + " by " + layout.root().relativize(sandbox.workloadRbac().file())
                    + " in the workload clusters");
            denied.stream().limit(10).forEach(d -> err.println("sandbox: rbac: " + d));
            deniedInWorkloads.stream().limit(10).forEach(d -> err.println("sandbox: rbac: " + d));
            // A poison record a service read but did not dead-letter is a record lost: the run did not go well.
            return (last == null || last.allHealthy()) && poisonDeadLettered && fencing.stale().isEmpty()
                    && denied.isEmpty() && deniedInWorkloads.isEmpty() ? Main.HEALTHY : Main.SETTLED_UNHEALTHY;
        } finally {
            if (mode == Mode.RUN) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    sandbox.close();
                } catch (IllegalStateException shuttingDown) {
                    // The hook is already running and closes the sandbox.
                }
            }
        }
    }
}
