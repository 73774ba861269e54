package dev.meshfleet.intake.change;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * Which of a resource's annotations go on {@code SpecChange.annotations} (pure; docs/adr/0046): only those Meshfleet
 * acts on, today a ServiceMeshController's under {@code peering.solo.io/} (its {@code data-plane-service-type: nodeport}
 * asks for the seed's alpha NodePort peering). The topic is kept forever and read by audit tools, so a user's other
 * annotations (owners, tickets, tooling state such as {@code kubectl.kubernetes.io/last-applied-configuration}) stay
 * off it, and changing one of them publishes nothing.
 */
public final class ReadAnnotations {
    /** The prefix of the annotations of the seed's peering gateways, as the controller carries them. */
    public static final String PEERING_PREFIX = "peering.solo.io/";

    private ReadAnnotations() {
    }

    /** The annotations of {@code kind} that Meshfleet acts on, sorted by key; empty when none (never null). */
    public static SortedMap<String, String> of(ResourceKind kind, Map<String, String> annotations) {
        SortedMap<String, String> read = new TreeMap<>();
        if (kind != ResourceKind.ServiceMeshController || annotations == null) {
            return read;
        }
        annotations.forEach((key, value) -> {
            if (key != null && key.startsWith(PEERING_PREFIX)) {
                read.put(key, value == null ? "" : value);
            }
        });
        return read;
    }
}
