package dev.meshfleet.installer.health;

import dev.meshfleet.installer.diff.RepairScope;

/**
 * Whether a workload as the cluster's watch last delivered it may stand for a read of it now. A watch delivers
 * every change in order but a moment late: right after this replica wrote the object, the watch may still hold
 * the copy from before the write, whose status describes the old spec (an old generation fully rolled out would
 * read as ready). So the copy counts only if it is the incarnation this replica last wrote (same uid) at that
 * write's generation or later; otherwise the object is read from the API. Nothing written by this replica since it
 * owns the cluster (a restart, a handover): the watch's copy counts as it is, as a read would. Pure.
 */
public final class WatchedWorkload {
    private WatchedWorkload() {
    }

    /**
     * @param watchedUid        the watch's copy's uid
     * @param watchedGeneration the watch's copy's metadata.generation
     * @param written           what this replica's last apply or repair of the object left (null: none)
     */
    public static boolean current(String watchedUid, long watchedGeneration, RepairScope.Seen written) {
        if (written == null) {
            return true;
        }
        return written.uid() != null && written.uid().equals(watchedUid) && watchedGeneration >= written.generation();
    }
}
