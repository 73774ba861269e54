package dev.meshfleet.aggregator.status;

/** What writing one status to its CR came to. */
public enum WriteResult {
    /** The status subresource was updated. */
    WRITTEN,
    /** The CR already shows this status: nothing written (STYLE.md 6). */
    UNCHANGED,
    /** No such CR (deleted and gone, or not created yet): nothing to write to. */
    MISSING,
    /** The CR of that name is another resource (re-created, other uid): not ours to write. */
    OTHER_UID
}
