package dev.meshfleet.aggregator.fold;

import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.v1.ResourceKind;

/** Test builders: events as the translator and the installer emit them. */
final class Events {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", "uid-1");
    static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "istio-ingressgateway", "uid-9");
    static final String OPERATOR = "{\"profile\":\"minimal\",\"revision\":\"1-24\"}";

    private Events() {
    }

    static Event translator(Owner owner, long generation, String cluster, String revision, String state,
            String planHash) {
        return new Event(owner, generation, cluster, revision, state, "", null, planHash, "translator", 0,
                EventOrder.translated(generation, 0), EventOrder.translated(generation, 0));
    }

    static Event translatorFailed(Owner owner, long generation, String cluster, String revision, String message) {
        return new Event(owner, generation, cluster, revision, "FAILED", message, null, "", "translator", 0,
                EventOrder.translated(generation, 1), EventOrder.translated(generation, 1));
    }

    static Event installer(Owner owner, long generation, String cluster, String revision, String state,
            String planHash, String replica, long epoch, long sequence) {
        boolean deployed = state.equals("HEALTHY") || state.startsWith("UPDATING") || state.startsWith("RECONCILING")
                || state.equals("UNHEALTHY");
        return new Event(owner, generation, cluster, revision, state, "", deployed ? OPERATOR : null, planHash,
                "installer/" + replica, epoch, sequence, 100_000 + epoch * 10_000 + sequence);
    }

    /** installer/installer-0, epoch 1, cluster1, revision 1-24, plan h1 of generation 1. */
    static Event ilm(String state, long sequence) {
        return installer(ILM, 1, "cluster1", "1-24", state, "h1", "installer-0", 1, sequence);
    }

    static Event glm(String state, long sequence) {
        return installer(GLM, 1, "cluster1", "1-24", state, "g1", "installer-0", 1, sequence);
    }
}
