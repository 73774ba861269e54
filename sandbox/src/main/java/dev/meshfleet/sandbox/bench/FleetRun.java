package dev.meshfleet.sandbox.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The figures of one combination of the fleet benchmark: an ILM step then a GLM step, each naming every
 * cluster, in a fresh sandbox.
 *
 * @param installations   installations the two resources name (clusters x 2)
 * @param healthy         installations HEALTHY at the end of the GLM step
 * @param statusWrites    writes to the status subresource per resource, counted at the API server over both steps
 * @param services        per service (installer replicas folded into one row: RSS the largest, CPU the sum)
 * @param totalPeakRssBytes the peak RSS of every process of the sandbox (each replica counted), added up
 * @param timeline        HEALTHY installations over time since the ILM was applied
 */
public record FleetRun(int clusters, int installers, Duration apiLatency, Duration ilmStep, Duration glmStep,
        int installations, int healthy, Map<String, Long> statusWrites, Map<String, ServiceFigures> services,
        long totalPeakRssBytes, List<Sample> timeline) {

    public FleetRun {
        statusWrites = Map.copyOf(statusWrites);
        services = Map.copyOf(services);
        timeline = List.copyOf(timeline);
    }

    /** One service's cost: peak RSS, CPU used during both steps, CPU share of one core at rest afterwards. */
    public record ServiceFigures(long peakRssBytes, Duration cpuDuringSteps, double steadyCpuOfOneCore) {
    }

    /** HEALTHY installations {@code seconds} after the ILM was applied. */
    public record Sample(double seconds, int healthy) {
    }

    public Duration total() {
        return ilmStep.plus(glmStep);
    }

    /** Installations brought to HEALTHY per second over both steps. */
    public double installationsPerSecond() {
        double s = total().toNanos() / 1e9;
        return s <= 0 ? 0 : healthy / s;
    }

    /**
     * The most status writes any one resource got per second over the steps' time, not counting its first
     * (written at once; each next one comes at least a coalescing window after the last, so n writes span
     * n - 1 windows).
     */
    public double maxStatusWritesPerResourcePerSecond() {
        double s = total().toNanos() / 1e9;
        long most = statusWrites.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return s <= 0 || most == 0 ? 0 : (most - 1) / s;
    }

    public String label() {
        return clusters + " clusters, " + installers + " installer" + (installers == 1 ? "" : "s")
                + (apiLatency.isZero() ? "" : ", " + apiLatency.toMillis() + "ms API latency");
    }
}
