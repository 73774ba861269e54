package dev.meshfleet.sandbox.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.WriteLog;

/**
 * {@code ./meshfleet bench peering}: what the (N+1)th cluster of a peered mesh costs (issue 12, ADR 0046: "about 2N
 * writes, not a re-apply of the whole mesh"). A fresh sandbox of N+1 clusters (readiness at once); the
 * {@code gloo-extensions-config} with Peering and N controllers ({@link PeeringSpecs}), until every one is SUCCEEDED
 * with peers (N-1)/(N-1); then, the API servers' write log cleared, the (N+1)th controller, until every controller has
 * N/N; then its deletion, until every one left has (N-1)/(N-1) again. Counts the installers' writes of each of the two
 * steps ({@link PeeringWrites}) and prints a Markdown table. Prints figures; asserts nothing.
 */
public final class PeeringBenchmark {

    static final String NAMESPACE = "gloo-mesh";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    public record Settings(int clusters, Path out, Duration stepTimeout) {
    }

    /** One step's figures: when the joining (leaving) controller was SUCCEEDED (gone), when every peer followed. */
    record Step(Duration controller, Duration peers, PeeringWrites writes) {
    }

    private PeeringBenchmark() {
    }

    public static int run(Settings settings, PrintStream out, PrintStream err) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        String example = Files.readString(layout.examples().resolve("smc-peering.yaml"));
        int n = settings.clusters();
        List<String> all = FleetSpecs.clusters(n + 1);
        List<String> mesh = all.subList(0, n);
        String joiner = all.get(n);
        Files.createDirectories(settings.out());
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, all).withReadyAfter(Duration.ZERO)
                .withTimeout(settings.stepTimeout());
        try (Sandbox sandbox = Sandbox.start(options, layout, err)) {
            Path dir = Files.createDirectories(sandbox.runDir().resolve("bench-peering"));
            Path meshFile = dir.resolve("mesh.yaml");
            Path joinerFile = dir.resolve("joiner.yaml");
            Files.writeString(meshFile, PeeringSpecs.controllers(example, mesh, true));
            Files.writeString(joinerFile, PeeringSpecs.controllers(example, List.of(joiner), false));

            err.println("bench peering: " + n + " peered controllers ...");
            long t0 = System.nanoTime();
            sandbox.apply(meshFile);
            await(sandbox, "every one of the " + n + " SUCCEEDED with peers " + (n - 1) + "/" + (n - 1), t0, settings,
                    views -> everyPeered(views, mesh, n - 1), err);
            awaitSettled(sandbox, settings, err);
            Duration meshTime = Duration.ofNanos(System.nanoTime() - t0);
            err.println("bench peering: the mesh of " + n + " is up in " + Sandbox.elapsed(meshTime));

            err.println("bench peering: adding " + joiner + " ...");
            sandbox.api().writeLog().clear();
            long t1 = System.nanoTime();
            sandbox.apply(joinerFile);
            Duration joined = await(sandbox, joiner + " SUCCEEDED", t1, settings,
                    views -> everyPeered(views, List.of(joiner), -1), err);
            Duration followed = await(sandbox, "every one of the " + (n + 1) + " with peers " + n + "/" + n, t1,
                    settings, views -> everyPeered(views, all, n), err);
            awaitSettled(sandbox, settings, err);
            List<WriteLog.Write> addWrites = sandbox.api().writeLog().writes();
            Step add = new Step(joined, followed, PeeringWrites.of(addWrites, joiner, mesh));
            err.println("bench peering: added in " + Sandbox.elapsed(followed) + ", " + (add.writes().clusterGateways()
                    + add.writes().clusterOther() + add.writes().others()) + " writes by the installers");

            err.println("bench peering: deleting " + joiner + "'s controller ...");
            sandbox.api().writeLog().clear();
            long t2 = System.nanoTime();
            sandbox.delete(new ResourceRef(ResourceKind.ServiceMeshController, NAMESPACE, "managed-istio-" + joiner));
            Duration gone = await(sandbox, joiner + "'s controller gone", t2, settings,
                    views -> views.stream().noneMatch(v -> v.ref().name().equals("managed-istio-" + joiner) && !v.gone()),
                    err);
            Duration left = await(sandbox, "every one of the " + n + " with peers " + (n - 1) + "/" + (n - 1), t2,
                    settings, views -> everyPeered(views, mesh, n - 1), err);
            awaitSettled(sandbox, settings, err);
            List<WriteLog.Write> removeWrites = sandbox.api().writeLog().writes();
            Step remove = new Step(gone, left, PeeringWrites.of(removeWrites, joiner, mesh));

            String table = markdown(n, meshTime, add, remove);
            Path md = settings.out().resolve("bench-peering.md");
            Files.writeString(md, "# Meshfleet peering benchmark: the (N+1)th cluster\n\n" + table);
            out.print(table);
            err.println("bench peering: wrote " + md);
            return 0;
        }
    }

    /** Whether each named cluster's controller is SUCCEEDED with peers {@code peers}/{@code peers} (any, for -1). */
    static boolean everyPeered(List<ResourceView> views, List<String> clusters, int peers) {
        Map<String, ResourceView> byName = views.stream().filter(v -> !v.gone() && v.ref().namespace().equals(NAMESPACE))
                .collect(Collectors.toMap(v -> v.ref().name(), v -> v, (a, b) -> a));
        for (String c : clusters) {
            ResourceView v = byName.get("managed-istio-" + c);
            if (v == null || v.deleting() || v.installations().size() != 1
                    || !"HEALTHY".equals(v.installations().get(0).state()) || v.peers() == null) {
                return false;
            }
            if (peers >= 0 && (v.peers().up() != peers || v.peers().of() != peers)) {
                return false;
            }
        }
        return true;
    }

    private static Duration await(Sandbox sandbox, String what, long start, Settings settings,
            Predicate<List<ResourceView>> done, PrintStream err) throws Exception {
        long deadline = start + settings.stepTimeout().toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (true) {
            long seen = sandbox.changes().version();
            List<ResourceView> views = sandbox.views();
            long now = System.nanoTime();
            if (done.test(views)) {
                return Duration.ofNanos(now - start);
            }
            if (now > deadline) {
                throw new java.util.concurrent.TimeoutException("bench peering: not " + what + " after "
                        + settings.stepTimeout() + ": " + String.join("; ", Settle.evaluate(views).moving()));
            }
            if (now > nextProgress) {
                Settle.Progress p = Settle.evaluate(views);
                err.println("  ... " + (now - start) / 1_000_000_000 + "s: waiting for " + what + "; "
                        + p.settled() + "/" + p.total() + " settled");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            sandbox.awaitChange(seen, Duration.ofSeconds(1));
        }
    }

    private static void awaitSettled(Sandbox sandbox, Settings settings, PrintStream err) throws Exception {
        sandbox.awaitSettled(settings.stepTimeout(), err);
    }

    /** The table: one column for the join, one for the removal. */
    static String markdown(int n, Duration meshTime, Step add, Step remove) {
        StringBuilder sb = new StringBuilder();
        String joiner = "cluster" + (n + 1);
        sb.append("N = ").append(n).append(" peered controllers (mesh up, every one ").append(n - 1).append('/')
                .append(n - 1).append(", in ").append(Sandbox.elapsed(meshTime)).append("); the (N+1)th is ")
                .append(joiner).append(". Writes: the installers' requests that change an object (POST, PUT, PATCH,")
                .append(" DELETE), counted at the API servers from the step's start until every peer followed and")
                .append(" the fleet settled.\n\n");
        sb.append("| | add ").append(joiner).append(" | remove it |\n|---|---|---|\n");
        row(sb, "time until its controller is SUCCEEDED (add) / gone (remove)", Sandbox.elapsed(add.controller()),
                Sandbox.elapsed(remove.controller()));
        row(sb, "time until every peer has " + n + "/" + n + " (add) / " + (n - 1) + "/" + (n - 1) + " (remove)",
                Sandbox.elapsed(add.peers()), Sandbox.elapsed(remove.peers()));
        PeeringWrites a = add.writes();
        PeeringWrites r = remove.writes();
        row(sb, "writes, all", String.valueOf(a.clusterGateways() + a.clusterOther() + a.others()),
                String.valueOf(r.clusterGateways() + r.clusterOther() + r.others()));
        row(sb, "writes to " + joiner + ": its Gateways", String.valueOf(a.clusterGateways()),
                String.valueOf(r.clusterGateways()));
        row(sb, "writes to " + joiner + ": its control plane (not Gateways)", String.valueOf(a.clusterOther()),
                String.valueOf(r.clusterOther()));
        row(sb, "writes to " + joiner + ", by method and resource", kinds(a.clusterByKind()), kinds(r.clusterByKind()));
        row(sb, "writes to the " + n + " others: total", String.valueOf(a.others()), String.valueOf(r.others()));
        row(sb, "writes to the " + n + " others: min / max per cluster", a.othersMin() + " / " + a.othersMax(),
                r.othersMin() + " / " + r.othersMax());
        row(sb, "writes to the " + n + " others that were not Gateways", String.valueOf(a.othersNotGateways()),
                String.valueOf(r.othersNotGateways()));
        row(sb, "writes to the " + n + " others, by method and resource", kinds(a.othersByKind()),
                kinds(r.othersByKind()));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, String add, String remove) {
        sb.append("| ").append(what).append(" | ").append(add).append(" | ").append(remove).append(" |\n");
    }

    private static String kinds(Map<String, Integer> byKind) {
        return byKind.isEmpty() ? "-" : byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
