package dev.meshfleet.intake.change;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

/**
 * Who made a change, read from metadata.managedFields: the manager of the newest entry that owns
 * something under spec, else the newest entry's manager (a create by a client that only set
 * metadata), else "". Status writers (our own aggregator) own only f:status, so they never show
 * up as the actor of a spec change while a spec owner exists.
 */
public final class Actors {
    private static final String SPEC_FIELD = "f:spec";

    /** A managedFields entry whose time is there but is not an RFC 3339 time: who wrote it, and the value. */
    public record UnreadableTime(String manager, String value) {
    }

    /**
     * The actor, and every entry whose time could not be read. Such an entry sorts before every timed one
     * (it cannot be shown to be the newest), which the caller reports instead of hiding it.
     */
    public record Actor(String manager, List<UnreadableTime> unreadable) {
        public Actor {
            unreadable = List.copyOf(unreadable);
        }
    }

    private Actors() {
    }

    /** The actor's manager name; see {@link #read} for the entries whose time could not be read. */
    public static String of(List<ManagedFieldsEntry> entries) {
        return read(entries).manager();
    }

    public static Actor read(List<ManagedFieldsEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return new Actor("", List.of());
        }
        List<UnreadableTime> unreadable = new ArrayList<>();
        ManagedFieldsEntry newestSpec = null;
        ManagedFieldsEntry newest = null;
        Instant newestTime = null;
        Instant newestSpecTime = null;
        for (ManagedFieldsEntry entry : entries) {
            Optional<Instant> parsed = time(entry);
            if (parsed.isEmpty() && entry.getTime() != null && !entry.getTime().isBlank()) {
                unreadable.add(new UnreadableTime(entry.getManager() == null ? "" : entry.getManager(), entry.getTime()));
            }
            // An entry without a readable time sorts before every timed one. ">=" so that, among entries
            // stamped in the same second (the API server's resolution), the later one in the list wins.
            Instant t = parsed.orElse(Instant.MIN);
            if (newest == null || !t.isBefore(newestTime)) {
                newest = entry;
                newestTime = t;
            }
            if (touchesSpec(entry) && (newestSpec == null || !t.isBefore(newestSpecTime))) {
                newestSpec = entry;
                newestSpecTime = t;
            }
        }
        ManagedFieldsEntry chosen = newestSpec != null ? newestSpec : newest;
        return new Actor(chosen.getManager() == null ? "" : chosen.getManager(), unreadable);
    }

    static boolean touchesSpec(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null) {
            return false;
        }
        Map<String, Object> fields = entry.getFieldsV1().getAdditionalProperties();
        return fields != null && fields.containsKey(SPEC_FIELD);
    }

    /** The entry's time, or empty when it has none or it is not an RFC 3339 time. */
    private static Optional<Instant> time(ManagedFieldsEntry entry) {
        if (entry.getTime() == null || entry.getTime().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(entry.getTime()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
