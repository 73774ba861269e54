package dev.meshfleet.installer.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;

/**
 * What a drift-repairing apply had to fix, from the objects' versions read before it and those it
 * answered with. Kubernetes does not write on a server-side apply that changes nothing, so a
 * resourceVersion that moved means the apply put something back; an object missing before (or
 * with another uid) was deleted. Pure.
 */
public final class Drift {
    private Drift() {
    }

    /**
     * @param applied the objects applied, in order
     * @param before their versions read before the apply, by identity (absent: not in the cluster)
     * @param after their versions as the apply answered, by identity
     * @param shared identities other installations list too (the shared base layer): each sharer's
     *               apply rewrites their owner labels, so only their deletion counts as drift
     * @return one line per drifted object ("Deployment istio-system/istiod-1-24 was deleted"); empty: none
     */
    public static List<String> describe(List<ObjectRef> applied, Map<String, LiveVersion> before,
            Map<String, LiveVersion> after, Set<String> shared) {
        List<String> drift = new ArrayList<>();
        for (ObjectRef ref : applied) {
            LiveVersion was = before.get(ref.identity());
            LiveVersion now = after.get(ref.identity());
            if (was == null || now != null && !Objects.equals(was.uid(), now.uid())) {
                drift.add(ref + " was deleted");
            } else if (now != null && written(was, now) && !shared.contains(ref.identity())) {
                drift.add(ref + " was changed");
            }
        }
        return drift;
    }

    /**
     * Whether the apply wrote the object. A moved resourceVersion alone is not proof: a controller
     * may have written the status between the read and the apply. When the status moved too, only a
     * changed generation (spec) or changed labels or annotations count.
     */
    private static boolean written(LiveVersion was, LiveVersion now) {
        if (Objects.equals(was.resourceVersion(), now.resourceVersion())) {
            return false;
        }
        if (was.generation() != now.generation() || !Objects.equals(was.metadataDigest(), now.metadataDigest())) {
            return true;
        }
        return Objects.equals(was.statusDigest(), now.statusDigest());
    }
}
