package dev.meshfleet.installer.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.meshfleet.installer.model.ObjectRef;

/**
 * Which objects of an installation a drift repair must apply again. Every write to a Kubernetes object
 * moves its resourceVersion, and a deleted object comes back with another uid: an object still at the uid and
 * resourceVersion this replica's last repair left it at, with the same desired content, cannot have drifted,
 * and applying it again would be a no-op that costs a request on both sides. Everything else is applied:
 * objects never repaired by this replica, missing ones, ones written since (by anyone, a controller's status
 * update included), and ones whose desired content changed. Pure.
 */
public final class RepairScope {
    private RepairScope() {
    }

    /** Which incarnation of an object (uid) and which write of it (resourceVersion). */
    public record Version(String uid, String resourceVersion) {
    }

    /**
     * An object as this replica's last apply or repair left it: its uid, resourceVersion and generation, and the digest
     * of what was applied. The generation also tells a watch's copy of the object that predates the write
     * ({@link dev.meshfleet.installer.health.WatchedWorkload}).
     */
    public record Seen(String uid, String resourceVersion, long generation, String desiredDigest) {
    }

    /**
     * @param objects the installation's objects, in apply order
     * @param desired the digest of the installation's desired content now (its rendered, labelled objects)
     * @param live    the versions listed from the cluster now, by identity (absent: not in the cluster)
     * @param seen    what the last apply or repair left, by identity (absent: never written by this replica)
     * @return the objects to apply, in apply order
     */
    public static List<ObjectRef> toApply(List<ObjectRef> objects, String desired, Map<String, Version> live,
            Map<String, Seen> seen) {
        List<ObjectRef> apply = new ArrayList<>();
        for (ObjectRef ref : objects) {
            Version now = live.get(ref.identity());
            Seen last = seen.get(ref.identity());
            boolean unchanged = now != null && last != null && Objects.equals(now.uid(), last.uid())
                    && Objects.equals(now.resourceVersion(), last.resourceVersion())
                    && Objects.equals(desired, last.desiredDigest());
            if (!unchanged) {
                apply.add(ref);
            }
        }
        return apply;
    }
}
