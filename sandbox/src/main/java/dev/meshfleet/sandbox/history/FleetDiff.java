package dev.meshfleet.sandbox.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What changed between two views of the fleet (pure): per installation, what it was and what it became. */
public final class FleetDiff {
    private FleetDiff() {
    }

    /** One installation that differs; {@code before} or {@code after} empty when absent at that instant. */
    public record Difference(String resource, String cluster, String revision, String before, String after) {
    }

    public static List<Difference> between(FleetAt.View from, FleetAt.View to) {
        Map<String, FleetAt.Installation> a = byId(from);
        Map<String, FleetAt.Installation> b = byId(to);
        List<Difference> out = new ArrayList<>();
        for (String id : new TreeSet<>(union(a, b))) {
            String before = describe(a.get(id));
            String after = describe(b.get(id));
            if (!before.equals(after)) {
                FleetAt.Installation any = a.containsKey(id) ? a.get(id) : b.get(id);
                out.add(new Difference(any.resource(), any.cluster(), any.revision(), before, after));
            }
        }
        return out;
    }

    /** "generation 2 tag 1.24.3-solo HEALTHY", "unknown (retention)", or "" when absent. */
    static String describe(FleetAt.Installation i) {
        if (i == null) {
            return "";
        }
        String tag = FleetReport.tagOf(i);
        String state = i.observed() instanceof FleetAt.Observed.Known k ? k.state()
                : "unknown (events dropped by retention)";
        return (i.deleted() ? "deleted, " : "") + "generation " + i.generation() + (tag.isEmpty() ? "" : " tag " + tag)
                + " " + state;
    }

    private static Map<String, FleetAt.Installation> byId(FleetAt.View view) {
        Map<String, FleetAt.Installation> out = new LinkedHashMap<>();
        view.installations().forEach(i -> out.put(i.id(), i));
        return out;
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> ids = new TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        return ids;
    }
}
