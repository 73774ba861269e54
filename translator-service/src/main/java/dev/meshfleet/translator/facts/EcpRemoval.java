package dev.meshfleet.translator.facts;

import java.util.ArrayList;
import java.util.List;

/**
 * The order a deleted ExternalControlPlane leaves its clusters (docs/adr/0031, "Removal in order"), pure: the remote
 * clusters first (their injection and validation webhooks, which call the external istiod, and the reader's token,
 * which the external istiod's kubeconfig Secrets hold), the external cluster (the external istiod, its routing and the
 * remote secrets) only once the installer reported every remote cluster uninstalled. A removal step says which
 * clusters leave now ({@code leaveNow}), which one is held back ({@code held}, "" for none) and which removals it
 * waits for ({@code waitingFor}).
 */
public record EcpRemoval(List<String> leaveNow, String held, List<String> waitingFor) {
    public EcpRemoval {
        leaveNow = List.copyOf(leaveNow);
        held = held == null ? "" : held;
        waitingFor = List.copyOf(waitingFor);
    }

    /**
     * The first step of the deletion of an ECP installed in {@code clusters} whose external cluster is
     * {@code externalCluster} ("" when unknown: everything leaves at once, as for any other kind).
     */
    public static EcpRemoval start(List<String> clusters, String externalCluster) {
        List<String> remotes = new ArrayList<>(clusters);
        boolean external = remotes.remove(externalCluster);
        if (!external || remotes.isEmpty()) {
            return new EcpRemoval(clusters, "", List.of());
        }
        return new EcpRemoval(remotes, externalCluster, remotes);
    }

    /** After {@code cluster} was reported uninstalled: the held cluster leaves once nothing is awaited any more. */
    public EcpRemoval after(String cluster) {
        if (held.isEmpty() || !waitingFor.contains(cluster)) {
            return this;
        }
        List<String> still = new ArrayList<>(waitingFor);
        still.remove(cluster);
        return still.isEmpty() ? new EcpRemoval(List.of(held), "", List.of()) : new EcpRemoval(List.of(), held, still);
    }
}
