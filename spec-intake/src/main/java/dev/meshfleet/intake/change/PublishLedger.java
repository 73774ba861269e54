package dev.meshfleet.intake.change;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory record of what this process published, by uid. It starts empty, so after a
 * restart every resource is published again: downstream consumers dedupe on uid + generation, which
 * is cheaper and safer than persisting this ledger (a stale persisted copy could swallow a change).
 */
public final class PublishLedger implements Published {
    private static final long DELETED = Long.MAX_VALUE;

    /** uid -> newest generation published as UPSERT, or DELETED once the DELETE went out. */
    private final Map<String, Long> byUid = new ConcurrentHashMap<>();

    @Override
    public boolean upserted(String uid, long generation) {
        Long published = byUid.get(uid);
        return published != null && published >= generation;
    }

    @Override
    public boolean deleted(String uid) {
        Long published = byUid.get(uid);
        return published != null && published == DELETED;
    }

    public void recordUpsert(String uid, long generation) {
        byUid.merge(uid, generation, Math::max);
    }

    public void recordDelete(String uid) {
        byUid.put(uid, DELETED);
    }

    /** Drops a uid whose resource is gone for good, so the ledger does not grow with every deletion. */
    public void forget(String uid) {
        byUid.remove(uid);
    }

    public int size() {
        return byUid.size();
    }
}
