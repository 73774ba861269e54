package dev.meshfleet.installer.diff;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;

/**
 * Which objects of a changed installation an apply writes (issue 12: the (N+1)th peered cluster costs each other one
 * remote peer Gateway, not its whole peering installation again; ADR 0048). An object is left out when this replica's
 * last write of it, remembered by identity with the digest of its content, had exactly the content rendered now, and
 * the installation's inventory in the cluster, complete, lists it: server-side apply of the same content by the same
 * field manager changes nothing the apply owns. Everything else is applied: an object this replica never wrote (a new
 * owner of the cluster, a restarted replica: their memory is empty), one whose content changed, one the installation
 * did not list (it may belong to nobody yet), and any object after a partial apply (the inventory is incomplete).
 *
 * <p>What is left out is not checked against the cluster: an object changed by someone else since is drift, which the
 * drift repair of the next resync puts back ({@link RepairScope}), as it would have without the plan change. Pure.
 */
public final class ApplyScope {
    private ApplyScope() {
    }

    /**
     * The identities an installation's inventory vouches for: every object it lists when it is complete, none when it
     * is missing or records a partial apply.
     */
    public static Set<String> listed(Inventory current) {
        if (current == null || !current.complete()) {
            return Set.of();
        }
        return current.objects().stream().map(ObjectRef::identity).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param ref     the object
     * @param digest  the digest of its content as it would be applied now (labels, filled secrets and all)
     * @param listed  {@link #listed} of the installation's inventory as read from the cluster this round
     * @param written what this replica last wrote, digest by identity (absent: not written by it, or deleted since)
     * @return whether the apply must write it
     */
    public static boolean mustApply(ObjectRef ref, String digest, Set<String> listed, Map<String, String> written) {
        return !(listed.contains(ref.identity()) && digest.equals(written.get(ref.identity())));
    }
}
