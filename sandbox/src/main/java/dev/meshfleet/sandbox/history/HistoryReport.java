package dev.meshfleet.sandbox.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.sandbox.history.History.Entry;
import dev.meshfleet.sandbox.history.History.Transition;
import dev.meshfleet.schemas.time.GoDuration;

/** A history as text (one block per entry) or JSON. Pure. */
public final class HistoryReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryReport() {
    }

    /**
     * The histories of several resources (one for {@code history Kind/ns/name}; those touching {@code cluster} for
     * {@code --cluster}, when not null), each under its key when there are several or a cluster was asked, with a line
     * where retention dropped a resource's earlier installation events.
     */
    public static String table(Map<String, List<Entry>> histories, Map<String, Instant> eventsRetainedFrom,
            String cluster) {
        StringBuilder out = new StringBuilder();
        boolean headed = cluster != null || histories.size() > 1;
        histories.forEach((key, entries) -> {
            if (headed) {
                out.append("== ").append(key).append('\n');
            }
            Instant from = eventsRetainedFrom.get(key);
            if (from != null) {
                out.append(retentionNote(from)).append('\n');
            }
            out.append(table(key, entries));
        });
        if (cluster != null && histories.isEmpty()) {
            out.append("no change touched cluster ").append(cluster).append(" in the time asked\n");
        }
        return out.toString();
    }

    static String retentionNote(Instant from) {
        return "  (installation events before " + from + " were dropped by retention: no transitions before then)";
    }

    public static String json(Map<String, List<Entry>> histories, Map<String, Instant> eventsRetainedFrom,
            String cluster) {
        if (cluster == null && histories.size() == 1) {
            var only = histories.entrySet().iterator().next();
            return json(only.getKey(), only.getValue(), eventsRetainedFrom.get(only.getKey())).toPrettyString() + "\n";
        }
        ObjectNode root = JSON.createObjectNode();
        if (cluster != null) {
            root.put("cluster", cluster);
        }
        ArrayNode resources = root.putArray("resources");
        histories.forEach((key, entries) -> resources.add(json(key, entries, eventsRetainedFrom.get(key))));
        return root.toPrettyString() + "\n";
    }

    public static String table(String key, List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(e.delete() ? "DELETED (generation " + e.generation() + ")" : "GENERATION " + e.generation())
                    .append("  ").append(e.when()).append("  by ").append(e.who()).append('\n');
            if (e.changes().isEmpty() && !e.delete()) {
                out.append("  (spec unchanged)\n");
            }
            e.changes().forEach(c -> out.append("  ").append(c).append('\n'));
            for (Map.Entry<String, List<Transition>> installation : e.transitions().entrySet()) {
                out.append("  ").append(installation.getKey()).append(": ");
                List<Transition> ts = installation.getValue();
                out.append(String.join(", ", ts.stream().map(t -> t.state() + " " + t.time()).toList()));
                healthyAfter(e.when(), ts).ifPresent(d -> out.append("  (HEALTHY after ").append(GoDuration.format(d))
                        .append(')'));
                out.append("  ended ").append(ts.get(ts.size() - 1).state()).append('\n');
            }
        }
        if (entries.isEmpty()) {
            out.append(key).append(": no change in the time asked\n");
        }
        return out.toString();
    }

    public static String json(String key, List<Entry> entries) {
        return json(key, entries, null).toPrettyString() + "\n";
    }

    private static ObjectNode json(String key, List<Entry> entries, Instant eventsRetainedFrom) {
        ObjectNode root = JSON.createObjectNode().put("resource", key);
        if (eventsRetainedFrom != null) {
            root.put("installationEventsRetainedFrom", eventsRetainedFrom.toString());
        }
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries) {
            ObjectNode n = list.addObject().put("uid", e.uid()).put("generation", e.generation())
                    .put("operation", e.delete() ? "DELETE" : "UPSERT").put("time", e.when().toString());
            n.putObject("by").put("name", e.who().name()).put("source", e.who().fromAdmission() ? "admission"
                    : "field-manager").set("groups", JSON.valueToTree(e.who().groups()));
            ArrayNode changes = n.putArray("changes");
            e.changes().forEach(c -> changes.addObject().put("path", c.path()).put("old", c.oldValue())
                    .put("new", c.newValue()));
            ObjectNode installations = n.putObject("transitions");
            e.transitions().forEach((installation, ts) -> {
                ObjectNode i = installations.putObject(installation);
                ArrayNode states = i.putArray("states");
                ts.forEach(t -> states.addObject().put("state", t.state()).put("time", t.time().toString()));
                healthyAfter(e.when(), ts).ifPresent(d -> i.put("healthyAfter", GoDuration.format(d)));
                i.put("ended", ts.get(ts.size() - 1).state());
            });
        }
        return root;
    }

    /** From the change to the first HEALTHY of the installation. */
    static java.util.Optional<Duration> healthyAfter(Instant when, List<Transition> transitions) {
        return transitions.stream().filter(t -> t.state().equals("HEALTHY")).findFirst()
                .map(t -> Duration.between(when, t.time()));
    }
}
