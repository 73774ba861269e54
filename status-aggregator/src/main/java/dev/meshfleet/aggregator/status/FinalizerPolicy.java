package dev.meshfleet.aggregator.status;

import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Status;

/**
 * When a deleting ILM/GLM may lose the {@code meshfleet.dev/uninstall} finalizer, decided from the
 * folded status (never from the rendered one, where a refused apply and a translation error are
 * both a FAILED without observedOperator): every installation has nothing left in its cluster
 * ({@link Installation#nothingInstalled()}: UNINSTALLED, or a translation failure no installer ever
 * reported on), or
 * there are no installations at all. Anything else may still have objects in a workload cluster
 * that the installer is removing, so the resource must stay.
 */
public final class FinalizerPolicy {

    private FinalizerPolicy() {
    }

    public static boolean mayRelease(Status status) {
        return status == null || status.installations().stream().allMatch(Installation::nothingInstalled);
    }
}
