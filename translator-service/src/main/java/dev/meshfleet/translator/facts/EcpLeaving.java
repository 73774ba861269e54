package dev.meshfleet.translator.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.translation.EcpFacts;
import dev.meshfleet.translation.EcpSpec;
import dev.meshfleet.translation.EcpValidator;

/**
 * Which remote clusters an ExternalControlPlane's spec dropped and are still leaving (docs/adr/0031, "Removal in
 * order"), pure: a remote cluster removed from {@code spec.remoteClusters} leaves first (its webhooks, which call the
 * external istiod, and its reader), and the external cluster keeps its remote secret until the installer reported it
 * uninstalled. The config cluster is not held so: the spec that drops it names another, whose Secret has the same
 * name ({@code istio-kubeconfig}).
 */
public final class EcpLeaving {
    private EcpLeaving() {
    }

    /**
     * The remote clusters still leaving after the spec went from {@code before} (null: none seen) to {@code after}:
     * those leaving already, and the remote clusters {@code before} names that {@code after} does not; less any that
     * {@code after} names (back in the mesh) or that is its external cluster.
     */
    public static List<EcpFacts.Leaving> after(List<EcpFacts.Leaving> leaving, JsonNode before, JsonNode after) {
        Map<String, EcpFacts.Leaving> still = new LinkedHashMap<>();
        leaving.forEach(l -> still.put(l.cluster(), l));
        EcpSpec old = before == null ? null : EcpSpec.read(before, new ArrayList<>());
        EcpSpec now = after == null ? null : EcpSpec.read(after, new ArrayList<>());
        if (old != null && !old.remoteClusters().isEmpty()) {
            EcpSpec.Remote config = EcpValidator.configCluster(old.remoteClusters());
            for (EcpSpec.Remote r : old.remoteClusters()) {
                if (!r.equals(config) && !r.name().isEmpty()) {
                    still.putIfAbsent(r.name(), new EcpFacts.Leaving(r.name(), r.apiServerAddress()));
                }
            }
        }
        if (now != null) {
            now.remoteClusters().forEach(r -> still.remove(r.name()));
            still.remove(now.externalCluster());
        }
        return List.copyOf(still.values());
    }

    /** The remote clusters still leaving once {@code cluster} was reported uninstalled. */
    public static List<EcpFacts.Leaving> uninstalled(List<EcpFacts.Leaving> leaving, String cluster) {
        return leaving.stream().filter(l -> !l.cluster().equals(cluster)).toList();
    }
}
