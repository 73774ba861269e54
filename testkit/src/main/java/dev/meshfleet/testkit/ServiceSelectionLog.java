package dev.meshfleet.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Records every change to the Services and Deployments of one namespace of a cluster store, and
 * replays them to check a gateway switch: a Service is never deleted, and each of its states selects
 * (selector {@link #GATEWAY_REVISION_LABEL}) a revision whose Deployment {@code <service>-<revision>} exists at
 * that moment, the gateway chart's naming. Used by the installer's reconciler test and the sandbox
 * E2E, which both watch an {@code activeGateway} move.
 */
public final class ServiceSelectionLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The selector key of a gateway's own revision (the translator's GatewayPlans.GATEWAY_REVISION_LABEL, ADR 0035):
     * istio.io/rev names the injecting control plane, which a gateway's revisions may share.
     */
    public static final String GATEWAY_REVISION_LABEL = "meshfleet.dev/gateway-revision";

    private final ClusterStore store;
    private final Set<String> deploymentsAtStart;
    private final List<ClusterStore.Change> changes = new CopyOnWriteArrayList<>();
    private final Consumer<ClusterStore.Change> listener;

    private ServiceSelectionLog(ClusterStore store, String namespace, Set<String> deploymentsAtStart) {
        this.store = store;
        this.deploymentsAtStart = Set.copyOf(deploymentsAtStart);
        this.listener = change -> {
            if (change.path().contains("/namespaces/" + namespace + "/services/")
                    || change.path().contains("/namespaces/" + namespace + "/deployments/")) {
                changes.add(change);
            }
        };
        store.addListener(listener);
    }

    /** Starts recording; {@code deploymentsAtStart} are the Deployment names in the namespace now. */
    public static ServiceSelectionLog start(ClusterStore store, String namespace, Set<String> deploymentsAtStart) {
        return new ServiceSelectionLog(store, namespace, deploymentsAtStart);
    }

    /** How many changes were recorded so far (a mark for {@link #violations(int)}). */
    public int size() {
        return changes.size();
    }

    /** Whether a Service was created or changed among the changes before {@code mark}. */
    public boolean serviceWrittenBefore(int mark) {
        return changes.subList(0, Math.min(mark, changes.size())).stream()
                .anyMatch(c -> c.path().contains("/services/") && c.after() != null);
    }

    /** Whether a Service changed at or after {@code mark}. */
    public boolean serviceChangedSince(int mark) {
        return changes.subList(Math.min(mark, changes.size()), changes.size()).stream()
                .anyMatch(c -> c.path().contains("/services/"));
    }

    /**
     * Replays every change and checks each Service change from {@code mark} on; one line per state
     * that broke the rule, empty when none did.
     */
    public List<String> violations(int mark) {
        Set<String> deployments = new HashSet<>(deploymentsAtStart);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            ClusterStore.Change change = changes.get(i);
            String name = change.path().substring(change.path().lastIndexOf('/') + 1);
            if (change.path().contains("/deployments/")) {
                if (change.after() == null) {
                    deployments.remove(name);
                } else {
                    deployments.add(name);
                }
                continue;
            }
            if (i < mark) {
                continue;
            }
            if (change.after() == null) {
                problems.add("change " + i + ": Service " + name + " was deleted");
                continue;
            }
            String revision = revision(change.after());
            if (!deployments.contains(name + "-" + revision)) {
                problems.add("change " + i + ": Service " + name + " selects revision '" + revision
                        + "' but Deployment " + name + "-" + revision + " does not exist (present: " + deployments + ")");
            }
        }
        return problems;
    }

    private static String revision(String service) {
        try {
            return JSON.readTree(service).path("spec").path("selector").path(GATEWAY_REVISION_LABEL).asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store recorded a Service that is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.removeListener(listener);
    }
}
