package dev.meshfleet.sandbox.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.translation.Canonical;

/**
 * The history of one resource (pure): its stored changes (the spec-changes records, in topic order), joined to who asked
 * for each (the admissions records) by uid, generation and spec hash (ADR 0023), with the fields each changed and the
 * transitions each caused per cluster and revision (installation-events). One entry per (uid, generation, operation):
 * spec-intake publishes again after a restart, and a repeat is the same change. An admission record that matches no
 * change (refused later, lost a conflict) is never an entry; a change that no record matches names its field manager
 * and says so.
 */
public final class History {
    private History() {
    }

    /** A SpecChange as read from the topic. */
    public record Change(String uid, long generation, boolean delete, String actor, Instant observedAt, String specJson) {
    }

    /** An AdmissionRecord as read from the topic; generation empty when the API server sent none. */
    public record Admission(String uid, OptionalLong generation, String specHash, String operation, String username,
            List<String> groups, Instant admittedAt) {
        public Admission {
            groups = List.copyOf(groups);
        }
    }

    /** An InstallationEvent of the resource as read from the topic. */
    public record Transition(long generation, String cluster, String revision, String state, Instant time) {
    }

    /** Who made a change: the admitted user, or (no admission record) the field manager, {@code fromAdmission} false. */
    public record Who(String name, List<String> groups, boolean fromAdmission) {
        public Who {
            groups = List.copyOf(groups);
        }

        @Override
        public String toString() {
            return fromAdmission ? name + (groups.isEmpty() ? "" : " " + groups)
                    : (name.isEmpty() ? "(unknown)" : name) + " (field manager; no admission record)";
        }
    }

    /** One generation (or the deletion) of the resource. */
    public record Entry(String uid, long generation, boolean delete, Instant when, Who who,
            List<FieldChanges.FieldChange> changes, Map<String, List<Transition>> transitions) {
    }

    /**
     * The entries, oldest first. {@code changes} and {@code admissions} in topic order (one partition: the key),
     * {@code transitions} in any order. The transitions of an entry are those of its generation from its time on, up to
     * the next entry of the same resource: a deletion keeps the generation of the last spec and takes what came after.
     */
    public static List<Entry> of(List<Change> changes, List<Admission> admissions, List<Transition> transitions) {
        List<Change> distinct = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Change c : changes) {
            if (seen.add(c.uid() + "|" + c.generation() + "|" + c.delete())) {
                distinct.add(c);
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, JsonNode> lastSpecByUid = new LinkedHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            Change c = distinct.get(i);
            JsonNode spec = Canonical.parse(c.specJson());
            Optional<Admission> admitted = admissionOf(c, Canonical.specHash(spec), admissions);
            Instant when = admitted.map(Admission::admittedAt).orElse(c.observedAt());
            Instant until = i + 1 < distinct.size() ? distinct.get(i + 1).observedAt() : null;
            Who who = admitted.map(a -> new Who(a.username(), a.groups(), true))
                    .orElse(new Who(c.actor(), List.of(), false));
            JsonNode before = lastSpecByUid.get(c.uid());
            List<FieldChanges.FieldChange> fields = FieldChanges.between(before, c.delete() ? null : spec);
            lastSpecByUid.put(c.uid(), spec);
            entries.add(new Entry(c.uid(), c.generation(), c.delete(), when, who, fields,
                    transitionsOf(c.generation(), c.observedAt(), until, transitions)));
        }
        return entries;
    }

    /** The first admission of the same uid, generation, spec hash and kind of operation (ADR 0023). */
    static Optional<Admission> admissionOf(Change change, String specHash, List<Admission> admissions) {
        for (Admission a : admissions) {
            boolean sameOperation = change.delete() == a.operation().equals("DELETE");
            if (sameOperation && a.uid().equals(change.uid()) && a.specHash().equals(specHash)
                    && a.generation().isPresent() && a.generation().getAsLong() == change.generation()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static Map<String, List<Transition>> transitionsOf(long generation, Instant from, Instant until,
            List<Transition> all) {
        Map<String, List<Transition>> byInstallation = new java.util.TreeMap<>();
        all.stream().filter(t -> t.generation() == generation && !t.time().isBefore(from)
                && (until == null || t.time().isBefore(until)))
                .sorted(java.util.Comparator.comparing(Transition::time))
                .forEach(t -> {
                    List<Transition> ts = byInstallation.computeIfAbsent(t.cluster() + "/" + t.revision(),
                            k -> new ArrayList<>());
                    // A state reported again (a health check, a resync, another replica) is no transition.
                    if (ts.isEmpty() || !ts.get(ts.size() - 1).state().equals(t.state())) {
                        ts.add(t);
                    }
                });
        return byInstallation;
    }
}
