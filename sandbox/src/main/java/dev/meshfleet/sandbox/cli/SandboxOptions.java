package dev.meshfleet.sandbox.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.meshfleet.testkit.Fault;

/**
 * What `meshfleet sandbox run|up` was asked to do. {@link #parse} is the only place that reads the
 * command line; every message of a {@link UsageException} names the option at fault.
 */
public record SandboxOptions(Mode mode, List<String> clusters, Map<String, List<Fault>> faults, List<Step> steps,
        Output output, Duration timeout, Duration readyAfter, int installers, List<String> unregistered) {

    public enum Mode { RUN, UP }

    public enum Output { TABLE, YAML }

    public static final int DEFAULT_CLUSTERS = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_READY_AFTER = Duration.ofSeconds(1);
    /** Enough for the design goal of 1,000 clusters behind one API server; more is a typo. */
    public static final int MAX_CLUSTERS = 5000;

    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public SandboxOptions {
        clusters = List.copyOf(clusters);
        faults = Map.copyOf(faults);
        steps = List.copyOf(steps);
        unregistered = List.copyOf(unregistered);
    }

    /** Defaults for code that drives the sandbox directly (tests, the benchmark). */
    public static SandboxOptions defaults(Mode mode, List<String> clusters) {
        return new SandboxOptions(mode, clusters, Map.of(), List.of(), Output.TABLE, DEFAULT_TIMEOUT,
                DEFAULT_READY_AFTER, 1, List.of());
    }

    public SandboxOptions withReadyAfter(Duration d) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, d, installers, unregistered);
    }

    public SandboxOptions withFaults(Map<String, List<Fault>> f) {
        return new SandboxOptions(mode, clusters, f, steps, output, timeout, readyAfter, installers, unregistered);
    }

    public SandboxOptions withTimeout(Duration t) {
        return new SandboxOptions(mode, clusters, faults, steps, output, t, readyAfter, installers, unregistered);
    }

    /** The clusters that start simulated but without their kubeconfig Secret (see {@code Sandbox.register}). */
    public SandboxOptions withUnregistered(List<String> u) {
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, installers, u);
    }

    /** The clusters registered at start: all but the unregistered ones. */
    public List<String> registeredClusters() {
        return clusters.stream().filter(c -> !unregistered.contains(c)).toList();
    }

    /** Parses the arguments after `sandbox run` or `sandbox up`. */
    public static SandboxOptions parse(Mode mode, List<String> args) throws UsageException {
        List<String> clusters = defaultClusters(DEFAULT_CLUSTERS);
        boolean clustersGiven = false;
        Map<String, List<Fault>> faults = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        Output output = Output.TABLE;
        Duration timeout = DEFAULT_TIMEOUT;
        Duration readyAfter = DEFAULT_READY_AFTER;
        List<String> unregistered = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (option) {
                case "--clusters" -> {
                    if (clustersGiven) {
                        throw new UsageException("--clusters: given twice; give it once, as a count or a comma-separated list");
                    }
                    clusters = parseClusters(inline != null ? inline : value(args, ++i, option));
                    clustersGiven = true;
                }
                case "--fault" -> {
                    String v = inline != null ? inline : value(args, ++i, option);
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
                case "--unregistered" -> {
                    for (String raw : (inline != null ? inline : value(args, ++i, option)).split(",", -1)) {
                        String name = raw.trim();
                        if (name.isEmpty()) {
                            throw new UsageException("--unregistered: an empty cluster name; give CLUSTER[,CLUSTER...]");
                        }
                        if (!unregistered.contains(name)) {
                            unregistered.add(name);
                        }
                    }
                }
                case "-f", "--filename" -> {
                    String v = inline != null ? inline : value(args, ++i, option);
                    Path file = Path.of(v);
                    if (!Files.isRegularFile(file)) {
                        throw new UsageException(option + ": no such file '" + v + "'");
                    }
                    steps.add(new Step.Apply(file));
                }
                case "--delete" -> steps.add(new Step.Delete(ResourceRef.parse(option,
                        inline != null ? inline : value(args, ++i, option))));
                case "-o", "--output" -> {
                    String v = inline != null ? inline : value(args, ++i, option);
                    output = switch (v) {
                        case "table" -> Output.TABLE;
                        case "yaml" -> Output.YAML;
                        default -> throw new UsageException(option + ": '" + v + "' is not an output format; use table or yaml");
                    };
                }
                case "--timeout" -> {
                    timeout = Durations.parse(option, inline != null ? inline : value(args, ++i, option));
                    if (timeout.isZero()) {
                        throw new UsageException("--timeout: must be more than 0");
                    }
                }
                case "--ready-after" -> readyAfter = Durations.parse(option,
                        inline != null ? inline : value(args, ++i, option));
                default -> throw new UsageException("unknown option '" + arg + "'; see ./meshfleet help");
            }
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
        if (mode == Mode.RUN && steps.isEmpty()) {
            throw new UsageException("sandbox run: nothing to do; give at least one -f FILE or --delete Kind/namespace/name");
        }
        return new SandboxOptions(mode, clusters, faults, steps, output, timeout, readyAfter, 1, unregistered);
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

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || (args.get(i).startsWith("-") && args.get(i).length() > 1)) {
            throw new UsageException(option + ": missing value");
        }
        return args.get(i);
    }

    private static String summarize(List<String> clusters) {
        return clusters.size() <= 5 ? String.join(", ", clusters)
                : clusters.get(0) + " .. " + clusters.get(clusters.size() - 1);
    }
}
