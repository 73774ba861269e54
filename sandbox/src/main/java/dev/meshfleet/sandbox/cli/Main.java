package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.bench.ApplyToHealthyBenchmark;
import dev.meshfleet.sandbox.cli.SandboxOptions.Mode;
import dev.meshfleet.sandbox.cli.SandboxOptions.Output;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.Settle;

/**
 * The sandbox's command line: {@code sandbox run|up}, {@code bench}, {@code help}. Exit codes of run:
 * 0 all HEALTHY (or deleted), 1 settled otherwise, 2 timeout, error or bad usage.
 */
public final class Main {

    public static final int HEALTHY = 0;
    public static final int SETTLED_UNHEALTHY = 1;
    public static final int ERROR = 2;

    static final String USAGE = """
            Usage:
              ./meshfleet sandbox run [OPTIONS] STEP...   start the fleet, run the steps, print the status, stop
              ./meshfleet sandbox up  [OPTIONS] [STEP...] start the fleet, run the steps, stay up for kubectl
              ./meshfleet plan ...                        translate a spec offline (translator's PlanCommand)
              ./meshfleet bench [--runs 20]               apply-to-HEALTHY latency: pipeline vs. in-process floor
              ./meshfleet help

            Steps, run in order; after each the sandbox waits until every installation has settled:
              -f FILE                          apply every ILM/GLM document of FILE to the management cluster
              --delete Kind/namespace/name     delete one (Kind may be ilm or glm)

            Options:
              --clusters N | --clusters a,b    workload clusters (default 2: cluster1, cluster2), each registered
              --fault CLUSTER=KIND             repeatable; KIND: never-ready, unreachable, slow=DURATION,
                                               crash-after-ready, unmanaged-istio, reject-apply
              --unregistered CLUSTER[,CLUSTER] simulate the cluster but do not register it (its installations stay
                                               PENDING); the sandbox writes .sandbox/<run>/register/CLUSTER-secret.yaml:
                                               kubectl --context mgmt apply -f that file registers it later
              --ready-after DURATION           the simulator makes Deployments/DaemonSets ready after (default 1s)
              --timeout DURATION               per step (default 5m); durations: 500ms, 30s, 5m, 1m30s
              -o table|yaml                    yaml: after the last step print the resources as a kubectl List

            Exit status of run: 0 all HEALTHY (or UNINSTALLED/deleted), 1 settled otherwise, 2 timeout or error.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.print(USAGE);
            return args.isEmpty() ? ERROR : 0;
        }
        try {
            return switch (args.get(0)) {
                case "sandbox" -> sandbox(args.subList(1, args.size()), out, err);
                case "bench" -> ApplyToHealthyBenchmark.run(args.subList(1, args.size()), out, err);
                default -> throw new UsageException("unknown command '" + args.get(0) + "'; use sandbox, plan, bench or help");
            };
        } catch (UsageException e) {
            err.println("meshfleet: " + e.getMessage());
            return ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("meshfleet: interrupted");
            return ERROR;
        } catch (Exception e) {
            err.println("meshfleet: " + e.getMessage());
            return ERROR;
        }
    }

    private static int sandbox(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || !List.of("run", "up").contains(args.get(0))) {
            throw new UsageException("sandbox: say 'run' or 'up', e.g. ./meshfleet sandbox run -f examples/ilm-minimal.yaml");
        }
        Mode mode = args.get(0).equals("run") ? Mode.RUN : Mode.UP;
        SandboxOptions options = SandboxOptions.parse(mode, args.subList(1, args.size()));
        RepoLayout layout = RepoLayout.locate();
        // With -o yaml stdout carries only the List, so it can be piped; the tables go to stderr.
        PrintStream tables = options.output() == Output.YAML ? err : out;

        Sandbox sandbox = Sandbox.start(options, layout, err);
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
            for (Step step : options.steps()) {
                n++;
                err.println("sandbox: step " + n + "/" + options.steps().size() + ": " + step);
                if (step instanceof Step.Apply a) {
                    err.println("sandbox: applied " + sandbox.apply(a.file()));
                } else if (step instanceof Step.Delete d) {
                    sandbox.delete(d.ref());
                }
                try {
                    last = sandbox.awaitSettled(options.timeout(), err);
                } catch (TimeoutException e) {
                    err.println("sandbox: " + e.getMessage());
                    tables.print(Rendering.table(sandbox.views()));
                    err.println("sandbox: service logs (tails):");
                    err.print(sandbox.logTails(20));
                    return ERROR;
                }
                tables.print(Rendering.table(sandbox.views()));
            }
            if (options.output() == Output.YAML) {
                out.print(Rendering.yamlList(sandbox.resourcesAsMaps()));
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
                out.println("Contexts: mgmt, " + String.join(", ", options.clusters().size() <= 5 ? options.clusters()
                        : List.of(options.clusters().get(0), "...", options.clusters().get(options.clusters().size() - 1))));
                out.println("Logs: " + sandbox.runDir().resolve("logs") + ". Ctrl-C stops everything.");
                out.flush();
                stopped.await();
                return 0;
            }
            return last == null || last.allHealthy() ? HEALTHY : SETTLED_UNHEALTHY;
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
