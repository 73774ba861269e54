package dev.meshfleet.sandbox.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet benchmark's Markdown table, one row per combination. Pure: runs in, text out. Ratios compare
 * runs of the same invocation only (the machine is shared and noisy, so absolute figures of two invocations
 * are not comparable):
 * <ul>
 * <li>{@code T/T(min)}: this row's time to all HEALTHY over the time of the row with the fewest clusters and
 * the same installers and latency (linear cost gives clusters/min-clusters);</li>
 * <li>{@code xN vs 1}: this row's installations per second over the row with one installer and the same
 * clusters and latency.</li>
 * </ul>
 */
public final class FleetReport {

    /** Column order of the per-service cells. */
    public static final List<String> SERVICES = List.of("spec-intake", "translator-service", "installer-service",
            "status-aggregator", "kafka", "sandbox");

    private FleetReport() {
    }

    public static String markdown(List<FleetRun> runs) {
        StringBuilder s = new StringBuilder();
        s.append("| clusters | installers | API latency | ILM step | GLM step | all HEALTHY | installations/s"
                + " | T/T(min) | throughput vs 1 installer | status writes/resource/s (max)"
                + " | peak RSS MiB (" + abbreviations() + ") | sandbox total peak RSS MiB"
                + " | CPU s in the steps (" + abbreviations() + ") | steady CPU % of a core (" + abbreviations()
                + ") | steady CPU % total |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|---:|\n");
        for (FleetRun r : runs) {
            s.append("| ").append(r.clusters())
                    .append(" | ").append(r.installers())
                    .append(" | ").append(r.apiLatency().toMillis()).append(" ms")
                    .append(" | ").append(seconds(r.ilmStep()))
                    .append(" | ").append(seconds(r.glmStep()))
                    .append(" | ").append(r.healthy()).append('/').append(r.installations())
                    .append(" | ").append(fmt(r.installationsPerSecond(), 1))
                    .append(" | ").append(scaling(runs, r).map(v -> fmt(v, 2) + "x").orElse("-"))
                    .append(" | ").append(speedup(runs, r).map(v -> fmt(v, 2) + "x").orElse("-"))
                    .append(" | ").append(fmt(r.maxStatusWritesPerResourcePerSecond(), 2))
                    .append(" | ").append(perService(r, f -> Long.toString(f.peakRssBytes() / (1024 * 1024))))
                    .append(" | ").append(r.totalPeakRssBytes() / (1024 * 1024))
                    .append(" | ").append(perService(r, f -> fmt(f.cpuDuringSteps().toMillis() / 1000.0, 1)))
                    .append(" | ").append(perService(r, f -> fmt(100 * f.steadyCpuOfOneCore(), 1)))
                    .append(" | ").append(fmt(100 * r.services().values().stream()
                            .mapToDouble(FleetRun.ServiceFigures::steadyCpuOfOneCore).sum(), 1))
                    .append(" |\n");
        }
        s.append("\nColumns in parentheses: ").append(SERVICES.stream().map(n -> abbreviation(n) + " = " + n)
                .collect(Collectors.joining(", "))).append(" (the API servers and the workload simulator of every"
                        + " cluster run in the sandbox's own JVM). Installer replicas: RSS of the largest, CPU summed.\n");
        return s.toString();
    }

    /** Total time over the total time of the fewest-clusters run with the same installers and latency. */
    static Optional<Double> scaling(List<FleetRun> runs, FleetRun r) {
        return runs.stream().filter(o -> o.installers() == r.installers() && o.apiLatency().equals(r.apiLatency()))
                .min(java.util.Comparator.comparingInt(FleetRun::clusters))
                .filter(base -> base.clusters() < r.clusters() && !base.total().isZero())
                .map(base -> (double) r.total().toNanos() / base.total().toNanos());
    }

    /** Installations per second over those of the one-installer run with the same clusters and latency. */
    static Optional<Double> speedup(List<FleetRun> runs, FleetRun r) {
        if (r.installers() == 1) {
            return Optional.empty();
        }
        return runs.stream().filter(o -> o.installers() == 1 && o.clusters() == r.clusters()
                && o.apiLatency().equals(r.apiLatency())).findFirst()
                .filter(base -> base.installationsPerSecond() > 0)
                .map(base -> r.installationsPerSecond() / base.installationsPerSecond());
    }

    private static String perService(FleetRun r, java.util.function.Function<FleetRun.ServiceFigures, String> f) {
        return SERVICES.stream().map(n -> Optional.ofNullable(r.services().get(n)).map(f).orElse("-"))
                .collect(Collectors.joining(" / "));
    }

    private static String abbreviations() {
        return SERVICES.stream().map(FleetReport::abbreviation).collect(Collectors.joining("/"));
    }

    static String abbreviation(String service) {
        return switch (service) {
            case "spec-intake" -> "int";
            case "translator-service" -> "tr";
            case "installer-service" -> "inst";
            case "status-aggregator" -> "agg";
            case "kafka" -> "kafka";
            default -> "sbx";
        };
    }

    private static String seconds(Duration d) {
        return fmt(d.toMillis() / 1000.0, 1) + " s";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
