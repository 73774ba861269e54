package dev.meshfleet.sandbox.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meshfleet.sandbox.fleet.ChartRbac;
import java.util.regex.Pattern;

import dev.meshfleet.sandbox.faults.ProcessFault;
import dev.meshfleet.sandbox.faults.ProcessFaults;
import dev.meshfleet.schemas.time.GoDuration;
import dev.meshfleet.testkit.Fault;
import picocli.CommandLine;

/**
 * What `meshfleet sandbox run|up` was asked to do. picocli reads the command line ({@link SandboxArgs});
 * {@link #from} checks every value, and every message of a {@link UsageException} names the option at fault.
 */
public record SandboxOptions(Mode mode, List<String> clusters, Map<String, List<Fault>> faults, List<Step> steps,
        Output output, Duration timeout, Duration readyAfter, int installers, List<String> unregistered,
        Duration apiLatency, Duration resync, Duration driftRepair, List<ProcessFault> processFaults,
        String otlpEndpoint) {

    public enum Mode { RUN, UP }

    public enum Output { TABLE, YAML }

    public static final int DEFAULT_CLUSTERS = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_READY_AFTER = Duration.ofSeconds(1);
    /** Enough for the design goal of 1,000 clusters behind one API server; more is a typo. */
    public static final int MAX_CLUSTERS = 5000;
    /** The partitions the sandbox gives every topic; more installer replicas than this would sit idle. */
    public static final int PLAN_PARTITIONS = 12;

    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public SandboxOptions {
        clusters = List.copyOf(clusters);
        faults = Map.copyOf(faults);
        steps = List.copyOf(steps);
        unregistered = List.copyOf(unregistered);
        processFaults = List.copyOf(processFaults);
    }

    /** Defaults for code that drives the sandbox directly (tests, the benchmark). */
    public static SandboxOptions defaults(Mode mode, List<String> clusters) {
        return new SandboxOptions(mode, clusters, Map.of(), List.of(), Output.TABLE, DEFAULT_TIMEOUT,
                DEFAULT_READY_AFTER, 1, List.of(), Duration.ZERO, null, null, List.of(), null);
    }

    public SandboxOptions withReadyAfter(Duration d) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, d, installers, unregistered, apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    public SandboxOptions withFaults(Map<String, List<Fault>> f) {
        return new SandboxOptions(mode, clusters, f, steps, output, timeout, readyAfter, installers, unregistered,
                apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    public SandboxOptions withTimeout(Duration t) {
        return new SandboxOptions(mode, clusters, faults, steps, output, t, readyAfter, installers, unregistered,
                apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    /** The clusters that start simulated but without their kubeconfig Secret (see {@code Sandbox.register}). */
    public SandboxOptions withUnregistered(List<String> u) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, u, apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    public SandboxOptions withInstallers(int n) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, n, unregistered,
                apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    public SandboxOptions withApiLatency(Duration d) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, unregistered, d, resync, driftRepair, processFaults, otlpEndpoint);
    }

    /**
     * How often each installer checks every cluster it owns and how often it also repairs drift (and
     * re-emits every state); null leaves the installer's own default (30s and 10m).
     */
    public SandboxOptions withResync(Duration period, Duration repair) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, unregistered,
                apiLatency, period, repair, processFaults, otlpEndpoint);
    }

    /** The kills and pauses to play while the steps run ({@code --kill}, {@code --pause}). */
    public SandboxOptions withProcessFaults(List<ProcessFault> f) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, unregistered,
                apiLatency, resync, driftRepair, f, otlpEndpoint);
    }

    /**
     * Where the services send their traces (OTLP over HTTP/protobuf, e.g. {@code http://127.0.0.1:4318/v1/traces});
     * null: tracing off, as by default in the services.
     */
    public SandboxOptions withOtlpEndpoint(String endpoint) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, unregistered,
                apiLatency, resync, driftRepair, processFaults, endpoint);
    }

    /** The clusters registered at start: all but the unregistered ones. */
    public List<String> registeredClusters() {
        return clusters.stream().filter(c -> !unregistered.contains(c)).toList();
    }

    /** Parses the arguments after `sandbox run` or `sandbox up` (as the CLI does, for tests and tools). */
    public static SandboxOptions parse(Mode mode, List<String> args) throws UsageException {
        SandboxArgs parsed = new SandboxArgs();
        try {
            new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return from(mode, parsed);
    }

    /** Checks what picocli read; every refusal names the option. */
    public static SandboxOptions from(Mode mode, SandboxArgs args) throws UsageException {
        List<String> clusters = parseClusters(args.clusters);
        Map<String, List<Fault>> faults = new LinkedHashMap<>();
        for (String v : args.faults) {
            int sep = v.indexOf('=');
            if (sep <= 0 || sep == v.length() - 1) {
                throw new UsageException("--fault: '" + v + "' must be CLUSTER=KIND, e.g. cluster2=unreachable; kinds: "
                        + String.join(", ", Fault.KINDS));
            }
            String cluster = v.substring(0, sep);
            try {
                faults.computeIfAbsent(cluster, c -> new ArrayList<>()).add(Fault.parse(v.substring(sep + 1)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--fault: " + e.getMessage());
            }
        }
        List<String> unregistered = new ArrayList<>();
        for (String value : args.unregistered) {
            for (String raw : value.split(",", -1)) {
                String name = raw.trim();
                if (name.isEmpty()) {
                    throw new UsageException("--unregistered: an empty cluster name; give CLUSTER[,CLUSTER...]");
                }
                if (!unregistered.contains(name)) {
                    unregistered.add(name);
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        String user = ChartRbac.PLATFORM_ADMIN;
        for (String[] step : args.steps) {
            if (step[0].equals("--as")) {
                if (!ChartRbac.USERS.contains(step[1])) {
                    throw new UsageException("--as: no user '" + step[1] + "' in the sandbox; the users are "
                            + String.join(", ", ChartRbac.USERS));
                }
                user = step[1];
            } else if (step[0].equals("-f")) {
                Path file = Path.of(step[1]);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("-f: no such file '" + step[1] + "'");
                }
                steps.add(new Step.Apply(file, user));
            } else {
                steps.add(new Step.Delete(ResourceRef.parse("--delete", step[1]), user));
            }
        }
        Output output = switch (args.output) {
            case "table" -> Output.TABLE;
            case "yaml" -> Output.YAML;
            default -> throw new UsageException("-o: '" + args.output + "' is not an output format; use table or yaml");
        };
        Duration timeout = duration("--timeout", args.timeout);
        if (timeout.isZero()) {
            throw new UsageException("--timeout: must be more than 0");
        }
        Duration readyAfter = duration("--ready-after", args.readyAfter);
        Duration apiLatency = duration("--api-latency", args.apiLatency);
        Duration resync = args.resync == null ? null : positive("--resync", args.resync);
        Duration driftRepair = args.driftRepair == null ? null : positive("--drift-repair", args.driftRepair);
        int installers;
        try {
            installers = Integer.parseInt(args.installers.trim());
        } catch (NumberFormatException e) {
            installers = -1;
        }
        if (installers < 1 || installers > PLAN_PARTITIONS) {
            throw new UsageException("--installers: '" + args.installers + "' is out of range; give 1 to " + PLAN_PARTITIONS
                    + " (the partitions of meshfleet.install-plans; more replicas would sit idle)");
        }
        for (String cluster : faults.keySet()) {
            if (!clusters.contains(cluster)) {
                throw new UsageException("--fault: no cluster named '" + cluster + "'; the clusters are "
                        + summarize(clusters));
            }
        }
        for (String cluster : unregistered) {
            if (!clusters.contains(cluster)) {
                throw new UsageException("--unregistered: no cluster named '" + cluster + "'; the clusters are "
                        + summarize(clusters));
            }
        }
        Duration restartAfter = duration("--restart-after", args.restartAfter);
        List<ProcessFault> processFaults = new ArrayList<>();
        for (String v : args.kills) {
            try {
                processFaults.add(ProcessFaults.kill(v, installers, restartAfter));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--kill: " + e.getMessage());
            }
        }
        for (String v : args.pauses) {
            try {
                processFaults.add(ProcessFaults.pause(v, installers));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pause: " + e.getMessage());
            }
        }
        if (!processFaults.isEmpty() && steps.isEmpty()) {
            throw new UsageException((args.kills.isEmpty() ? "--pause" : "--kill")
                    + ": the delay counts from the start of the first step; give at least one -f FILE");
        }
        if (mode == Mode.RUN && steps.isEmpty()) {
            throw new UsageException("sandbox run: nothing to do; give at least one -f FILE or --delete Kind/namespace/name");
        }
        String otlpEndpoint = args.otlpEndpoint;
        if (otlpEndpoint != null && !otlpEndpoint.matches("https?://\\S+")) {
            throw new UsageException("--otlp-endpoint: '" + otlpEndpoint + "' is not an http(s) URL; give e.g."
                    + " http://127.0.0.1:4318/v1/traces (OTLP over HTTP/protobuf)");
        }
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, unregistered,
                apiLatency, resync, driftRepair, processFaults, otlpEndpoint);
    }

    private static Duration positive(String option, String text) throws UsageException {
        Duration d = duration(option, text);
        if (d.isZero()) {
            throw new UsageException(option + ": must be more than 0");
        }
        return d;
    }

    /** A Go duration that is not negative, or a UsageException naming the option. */
    static Duration duration(String option, String text) throws UsageException {
        try {
            return GoDuration.nonNegative(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    static List<String> parseClusters(String text) throws UsageException {
        if (text.matches("\\d+")) {
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                n = Integer.MAX_VALUE;
            }
            if (n < 1 || n > MAX_CLUSTERS) {
                throw new UsageException("--clusters: " + text + " is out of range; give 1 to " + MAX_CLUSTERS);
            }
            return defaultClusters(n);
        }
        List<String> names = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String name = raw.trim();
            if (!CLUSTER_NAME.matcher(name).matches()) {
                throw new UsageException("--clusters: '" + name + "' is not a valid cluster name (lower-case letters, digits"
                        + " and '-', at most 63 characters, starting and ending with a letter or digit)");
            }
            if (names.contains(name)) {
                throw new UsageException("--clusters: '" + name + "' is listed twice");
            }
            names.add(name);
        }
        return names;
    }

    static List<String> defaultClusters(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            names.add("cluster" + i);
        }
        return names;
    }

    private static String summarize(List<String> clusters) {
        return clusters.size() <= 5 ? String.join(", ", clusters)
                : clusters.get(0) + " .. " + clusters.get(clusters.size() - 1);
    }
}
