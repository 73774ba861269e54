package dev.meshfleet.aggregator.status;

import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * When a deleting ILM/GLM may lose the {@code meshfleet.dev/uninstall} finalizer, decided from its
 * status as written: every installation is UNINSTALLED_*, or a FAILED that never installed anything
 * (no observedOperator: a translation error), or there are no installations at all. Anything else
 * still has objects in a workload cluster that the installer is removing, so the CR must stay.
 */
public final class FinalizerPolicy {

    private FinalizerPolicy() {
    }

    public static boolean mayRelease(JsonNode status) {
        if (status == null || status.isNull() || status.isMissingNode()) {
            return true;
        }
        JsonNode clusters = status.path("clusters");
        for (Iterator<JsonNode> c = clusters.elements(); c.hasNext();) {
            for (Iterator<JsonNode> i = c.next().path("installations").elements(); i.hasNext();) {
                if (!gone(i.next())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean gone(JsonNode installation) {
        String state = installation.path("state").asText("");
        if (state.startsWith("UNINSTALLED_")) {
            return true;
        }
        return state.equals("FAILED") && installation.path("observedOperator").isMissingNode();
    }
}
