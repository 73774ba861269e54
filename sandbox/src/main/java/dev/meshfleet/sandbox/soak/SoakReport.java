package dev.meshfleet.sandbox.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.schemas.time.GoDuration;

/** The soak's Markdown summary: what ran, what it did, what was stuck, and each service's RSS. Pure. */
public final class SoakReport {

    private static final double MIB = 1024.0 * 1024.0;

    /** What the soak measured. */
    public record Outcome(long seed, int clusters, int installers, Duration duration, List<SoakStep> applied,
            List<String> faultLines, Duration initialSettle, Duration finalSettle, boolean finalSettled,
            int installationsExpected, List<String> stuck, Map<String, RssTimeline.Figures> rss) {
    }

    private SoakReport() {
    }

    public static String markdown(Outcome o) {
        StringBuilder md = new StringBuilder();
        md.append("# Meshfleet soak\n\n");
        md.append("- seed ").append(o.seed()).append(", ").append(o.clusters()).append(" clusters, ")
                .append(o.installers()).append(" installer replica(s), churn for ").append(GoDuration.format(o.duration()))
                .append('\n');
        md.append("- initial specs settled in ").append(Sandbox.elapsed(o.initialSettle())).append("; final specs ")
                .append(o.finalSettled() ? "settled in " : "NOT settled after ").append(Sandbox.elapsed(o.finalSettle()))
                .append('\n');
        Map<String, Integer> byKind = new TreeMap<>();
        for (SoakStep s : o.applied()) {
            byKind.merge(kind(s), 1, Integer::sum);
        }
        md.append("- steps applied: ").append(o.applied().size()).append("\n\n");
        md.append("| step | count |\n|---|---:|\n");
        byKind.forEach((k, n) -> md.append("| ").append(k).append(" | ").append(n).append(" |\n"));
        md.append("\n## Faults\n\n");
        if (o.faultLines().isEmpty()) {
            md.append("none\n");
        }
        o.faultLines().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n## Stuck installations: ").append(o.stuck().size()).append(" of ")
                .append(o.installationsExpected()).append(" expected HEALTHY (goal 0)\n\n");
        o.stuck().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n## RSS per service (MiB)\n\nstart: when the sandbox was ready; churn start: after the initial specs"
                + " settled; sampled every ").append(GoDuration.format(Soak.SAMPLE_EVERY)).append(".\n\n")
                .append("| service | start | churn start | peak | end | end - churn start |\n|---|---:|---:|---:|---:|---:|\n");
        o.rss().forEach((service, f) -> md.append("| ").append(service).append(" | ").append(mib(f.startBytes()))
                .append(" | ").append(mib(f.fromBytes())).append(" | ").append(mib(f.peakBytes())).append(" | ")
                .append(mib(f.endBytes())).append(" | ").append(mib(f.endBytes() - f.fromBytes())).append(" |\n"));
        return md.toString();
    }

    /** A step's kind for the count: the change, or the fault and its target. */
    static String kind(SoakStep s) {
        if (s instanceof SoakStep.SpecChange c) {
            return c.change().name();
        }
        if (s instanceof SoakStep.Kill k) {
            return "KILL " + k.service();
        }
        return "PAUSE " + ((SoakStep.Pause) s).service();
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f", bytes / MIB);
    }
}
