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
 * and applying it again would be a no-op that costs a request on both sides. Nor has an object whose only writes
 * since were to its status: Kubernetes moves {@code metadata.generation} on every change outside metadata and status
 * of an object that has one (a Deployment, a Gateway, a CRD), so the same uid, the same generation (not 0: a
 * ConfigMap, a ServiceAccount or a Role has none) and the same labels and annotations mean a status update, such as
 * a controller's conditions on each Gateway (issue 12). Everything else is applied: objects never repaired by this
 * replica, missing ones, ones whose spec, labels or annotations were written since (by anyone), ones without a
 * generation written since, and ones whose desired content changed. Pure.
 */
public final class RepairScope {
    private RepairScope() {
    }

    /**
     * Which incarnation of an object (uid), which write of it (resourceVersion), which spec (generation, 0: none) and a
     * digest of its labels and annotations ({@link dev.meshfleet.installer.model.LiveVersion#metadataDigest}).
     */
    public record Version(String uid, String resourceVersion, long generation, String metadataDigest) {
    }

    /**
     * An object as this replica's last apply or repair left it: its uid, resourceVersion and generation, and the digest
     * of what was applied. The generation also tells a watch's copy of the object that predates the write
     * ({@link dev.meshfleet.installer.health.WatchedWorkload}).
     */
    public record Seen(String uid, String resourceVersion, long generation, String metadataDigest,
            String desiredDigest) {
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
                    && Objects.equals(desired, last.desiredDigest())
                    && (Objects.equals(now.resourceVersion(), last.resourceVersion()) || statusOnly(now, last));
            if (!unchanged) {
                apply.add(ref);
            }
        }
        return apply;
    }

    /** Written since only through its status: the same spec (a generation that Kubernetes keeps) and metadata. */
    private static boolean statusOnly(Version now, Seen last) {
        return now.generation() > 0 && now.generation() == last.generation()
                && Objects.equals(now.metadataDigest(), last.metadataDigest());
    }
}
