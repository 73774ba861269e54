package dev.meshfleet.intake.change;

import java.util.Map;
import java.util.Objects;
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
    /** uid -> what its newest UPSERT carried besides the spec (gloo-extensions-config data, annotations). */
    private final Map<String, Beside> besideByUid = new ConcurrentHashMap<>();

    @Override
    public boolean upserted(String uid, long generation, Beside beside) {
        Long published = byUid.get(uid);
        if (published == null || published < generation) {
            return false;
        }
        return published > generation || Objects.equals(besideByUid.getOrDefault(uid, Beside.NONE),
                beside == null ? Beside.NONE : beside);
    }

    @Override
    public boolean deleted(String uid) {
        Long published = byUid.get(uid);
        return published != null && published == DELETED;
    }

    public void recordUpsert(String uid, long generation, Beside beside) {
        if (byUid.merge(uid, generation, Math::max) == generation) {
            besideByUid.put(uid, beside == null ? Beside.NONE : beside);
        }
    }

    public void recordDelete(String uid) {
        byUid.put(uid, DELETED);
    }

    /** Drops a uid whose resource is gone for good, so the ledger does not grow with every deletion. */
    public void forget(String uid) {
        byUid.remove(uid);
        besideByUid.remove(uid);
    }

    public int size() {
        return byUid.size();
    }
}
