package dev.meshfleet.intake.change;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

/**
 * Who made a change, read from metadata.managedFields: the manager of the newest entry that owns
 * something under spec, else the newest entry's manager (a create by a client that only set
 * metadata), else "". Status writers (our own aggregator) own only f:status, so they never show
 * up as the actor of a spec change while a spec owner exists.
 */
public final class Actors {
    private static final String SPEC_FIELD = "f:spec";

    private Actors() {
    }

    public static String of(List<ManagedFieldsEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return "";
        }
        ManagedFieldsEntry newestSpec = null;
        ManagedFieldsEntry newest = null;
        for (ManagedFieldsEntry entry : entries) {
            // ">=" so that, among entries stamped in the same second (the API server's resolution),
            // the later one in the list wins.
            if (newest == null || !time(entry).isBefore(time(newest))) {
                newest = entry;
            }
            if (touchesSpec(entry) && (newestSpec == null || !time(entry).isBefore(time(newestSpec)))) {
                newestSpec = entry;
            }
        }
        ManagedFieldsEntry chosen = newestSpec != null ? newestSpec : newest;
        return chosen.getManager() == null ? "" : chosen.getManager();
    }

    static boolean touchesSpec(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null) {
            return false;
        }
        Map<String, Object> fields = entry.getFieldsV1().getAdditionalProperties();
        return fields != null && fields.containsKey(SPEC_FIELD);
    }

    /** An entry without a readable time sorts before every timed one instead of failing the change. */
    private static Instant time(ManagedFieldsEntry entry) {
        if (entry.getTime() == null || entry.getTime().isBlank()) {
            return Instant.MIN;
        }
        try {
            return Instant.parse(entry.getTime());
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }
}
