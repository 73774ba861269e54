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

    /** First, highest and last sample of one service. */
    public record Figures(long startBytes, long peakBytes, long endBytes) {
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

    /** Per service, in the order first sampled. */
    public synchronized Map<String, Figures> figures() {
        Map<String, Figures> out = new LinkedHashMap<>();
        series.forEach((service, samples) -> out.put(service, new Figures(samples.get(0).rssBytes(),
                samples.stream().mapToLong(Sample::rssBytes).max().orElse(0),
                samples.get(samples.size() - 1).rssBytes())));
        return out;
    }
}
