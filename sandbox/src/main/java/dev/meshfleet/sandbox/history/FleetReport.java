package dev.meshfleet.sandbox.history;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.translation.Canonical;

/** A view of the fleet, or the difference of two, as a table or JSON. Pure. */
public final class FleetReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DROPPED = "UNKNOWN";

    private FleetReport() {
    }

    public static String table(FleetAt.View view) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RESOURCE", "CLUSTER", "REVISION", "GENERATION", "TAG", "STATE", "SINCE"));
        List<String> notes = new ArrayList<>();
        for (FleetAt.Installation i : view.installations()) {
            String state;
            String since;
            if (i.observed() instanceof FleetAt.Observed.Known k) {
                state = k.state();
                since = k.since().toString();
            } else {
                FleetAt.Observed.Dropped d = (FleetAt.Observed.Dropped) i.observed();
                state = DROPPED;
                since = "-";
                String note = i.resource() + ": installation events before " + d.retainedFrom() + " were dropped by"
                        + " retention; the state at " + view.at() + " cannot be told";
                if (!notes.contains(note)) {
                    notes.add(note);
                }
            }
            rows.add(List.of(i.resource(), i.cluster().isEmpty() ? "-" : i.cluster(),
                    i.revision().isEmpty() ? "-" : i.revision(),
                    i.generation() + (i.deleted() ? " (deleted)" : ""), orDash(tagOf(i)), state, since));
        }
        StringBuilder out = new StringBuilder("fleet at " + view.at() + "\n");
        if (view.installations().isEmpty()) {
            out.append("no installation at that instant\n");
        } else {
            out.append(Rendering.columns(rows));
        }
        notes.forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /** One object per resource (its generation in force and that spec, once), each with its installations. */
    public static String json(FleetAt.View view) {
        ObjectNode root = JSON.createObjectNode().put("at", view.at().toString());
        ArrayNode resources = root.putArray("resources");
        ObjectNode current = null;
        for (FleetAt.Installation i : view.installations()) {
            if (current == null || !current.path("resource").asText().equals(i.resource())) {
                current = resources.addObject().put("resource", i.resource()).put("generation", i.generation())
                        .put("deleted", i.deleted());
                current.set("spec", Canonical.parse(i.specJson()));
                current.putArray("installations");
            }
            ObjectNode n = ((ArrayNode) current.get("installations")).addObject().put("cluster", i.cluster())
                    .put("revision", i.revision()).put("tag", tagOf(i));
            if (i.observed() instanceof FleetAt.Observed.Known k) {
                n.put("state", k.state()).put("since", k.since().toString()).put("eventGeneration", k.eventGeneration());
            } else {
                n.put("state", DROPPED).put("installationEventsRetainedFrom",
                        ((FleetAt.Observed.Dropped) i.observed()).retainedFrom().toString());
            }
        }
        return root.toPrettyString() + "\n";
    }

    public static String diffTable(FleetAt.View from, FleetAt.View to, List<FleetDiff.Difference> differences) {
        StringBuilder out = new StringBuilder("fleet from " + from.at() + " to " + to.at() + "\n");
        if (differences.isEmpty()) {
            return out.append("no installation changed\n").toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RESOURCE", "CLUSTER", "REVISION", "BEFORE", "AFTER"));
        differences.forEach(d -> rows.add(List.of(d.resource(), orDash(d.cluster()), orDash(d.revision()),
                d.before().isEmpty() ? "(absent)" : d.before(), d.after().isEmpty() ? "(absent)" : d.after())));
        return out.append(Rendering.columns(rows)).toString();
    }

    public static String diffJson(FleetAt.View from, FleetAt.View to, List<FleetDiff.Difference> differences) {
        ObjectNode root = JSON.createObjectNode().put("from", from.at().toString()).put("to", to.at().toString());
        ArrayNode list = root.putArray("differences");
        differences.forEach(d -> list.addObject().put("resource", d.resource()).put("cluster", d.cluster())
                .put("revision", d.revision()).put("before", d.before()).put("after", d.after()));
        return root.toPrettyString() + "\n";
    }

    /**
     * The Istio tag the spec in force gives the installation: {@code istioOperatorSpec.tag} of the spec's installation of
     * that revision ({@code revision} of an ILM, {@code gatewayRevision} of a GLM), else of its only installation.
     */
    static String tagOf(FleetAt.Installation i) {
        JsonNode installations = Canonical.parse(i.specJson()).path("installations");
        JsonNode only = installations.size() == 1 ? installations.get(0) : null;
        for (JsonNode installation : installations) {
            String revision = installation.has("gatewayRevision") ? installation.path("gatewayRevision").asText()
                    : installation.path("revision").asText();
            if (revision.equals(i.revision())) {
                return installation.path("istioOperatorSpec").path("tag").asText("");
            }
        }
        return only == null ? "" : only.path("istioOperatorSpec").path("tag").asText("");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
