package dev.meshfleet.sandbox.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each process's resident set over the soak, one series per service instance (installer replicas apart, Kafka and
 * the sandbox JVM included). A process that is gone (killed, not yet restarted) is not sampled, so a kill shows as
 * a gap and a drop, not as a zero. Thread-safe: the sampler adds while the soak runs.
 */
public final class RssTimeline {

    public record Sample(double seconds, long rssBytes) {
    }

    /**
     * One service's first sample, its first at or after a moment (the churn's start: the fleet installed once, so
     * growth from there is the soak's, not the first install's), its highest and its last.
     */
    public record Figures(long startBytes, long fromBytes, long peakBytes, long endBytes) {
    }

    private final Map<String, List<Sample>> series = new LinkedHashMap<>();

    public synchronized void add(String service, double seconds, long rssBytes) {
        if (rssBytes <= 0) {
            return;
        }
        series.computeIfAbsent(service, s -> new ArrayList<>()).add(new Sample(seconds, rssBytes));
    }

    public synchronized Map<String, List<Sample>> series() {
        Map<String, List<Sample>> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** Per service, in the order first sampled; {@code fromSeconds} as in {@link Figures}. */
    public synchronized Map<String, Figures> figures(double fromSeconds) {
        Map<String, Figures> out = new LinkedHashMap<>();
        series.forEach((service, samples) -> {
            long last = samples.get(samples.size() - 1).rssBytes();
            long from = samples.stream().filter(s -> s.seconds() >= fromSeconds).mapToLong(Sample::rssBytes).findFirst()
                    .orElse(last);
            out.put(service, new Figures(samples.get(0).rssBytes(), from,
                    samples.stream().mapToLong(Sample::rssBytes).max().orElse(0), last));
        });
        return out;
    }
}
