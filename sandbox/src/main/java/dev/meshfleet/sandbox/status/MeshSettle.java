package dev.meshfleet.sandbox.status;

import java.util.List;
import java.util.Map;

import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * When a peered ServiceMeshController's links have settled (docs/adr/0046), beside its phase: a controller that is
 * SUCCEEDED can still be waiting for its peers to follow a controller added to or removed from its mesh (the
 * controllers of its namespace), and a step is not done while one does. Pure, over the views of one reading.
 *
 * <p>The rule, for a controller that is SUCCEEDED, not being deleted, with {@code peers: n/m} in its status (any other
 * controller is left to its phase: {@link Settle}); its mesh's others are the controllers of its namespace but itself:
 * <ul>
 * <li><b>too few peers</b>: m is below the number of the others that are SUCCEEDED with peers and not being deleted.
 * Such a one has a programmed east-west Gateway with an address (its peering installation is HEALTHY only then), so
 * the translator plans a remote peer for it in every other member, and this controller's installer, which answers
 * (its controller is SUCCEEDED), applies it and reports it: m reaches that number by itself.</li>
 * <li><b>too many peers</b>: m is above the number of the others that still exist (one being deleted counts until it
 * is gone). A gone controller's tombstone takes its remote peer out of every plan, and the installer prunes it.</li>
 * <li><b>a link Pending</b>: a remote peer Gateway without a {@code PeeringSucceeded} condition of its current
 * generation. Istio (the simulator) sets one on every remote peer Gateway, True or with a reason.</li>
 * </ul>
 * A link down for a reason (AddressMismatch, PeerNotFound, ...) is settled: it says what is wrong, and waiting would
 * not change it. None of the three can hang: each ends by the work of a party that answers, and a controller whose
 * cluster stops answering leaves SUCCEEDED (UNKNOWN), and so this rule, and settles by its phase. The bounds are
 * conservative: a member that is not SUCCEEDED may already be a peer, so m is never required to reach it.
 */
final class MeshSettle {

    private MeshSettle() {
    }

    /** null when the controller's links have settled (or it has none to wait for), else why not. */
    static String whyPeersMoving(ResourceView v, List<ResourceView> all) {
        ResourceView.Peers peers = v.peers();
        if (peers == null || v.gone() || v.deleting() || !succeeded(v)) {
            return null;
        }
        int floor = 0;
        int ceiling = 0;
        for (ResourceView other : all) {
            if (other == v || other.gone() || other.ref().kind() != ResourceKind.ServiceMeshController
                    || !other.ref().namespace().equals(v.ref().namespace())
                    || other.ref().equals(v.ref())) {
                continue;
            }
            ceiling++;
            if (!other.deleting() && other.peers() != null && succeeded(other)) {
                floor++;
            }
        }
        if (peers.of() < floor) {
            return "(peers " + peers.up() + "/" + peers.of() + ": " + floor + " other controllers of " + v.ref().namespace()
                    + " are SUCCEEDED)";
        }
        if (peers.of() > ceiling) {
            return "(peers " + peers.up() + "/" + peers.of() + ": " + ceiling + " other controllers of "
                    + v.ref().namespace() + " remain)";
        }
        List<String> pending = peers.downReasons().entrySet().stream().filter(e -> "Pending".equals(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        if (!pending.isEmpty()) {
            return "(peers " + peers.up() + "/" + peers.of() + ", pending: " + Settle.brief(pending) + ")";
        }
        return null;
    }

    private static boolean succeeded(ResourceView v) {
        return v.installations().size() == 1 && "HEALTHY".equals(v.installations().get(0).state());
    }
}
