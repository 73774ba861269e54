package dev.meshfleet.sandbox.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.audit.TopicScan;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Reads what {@link History} and {@link FleetAt} need from the topics: spec changes, admissions and installation
 * events, of one resource or of all, converted once into History's records.
 */
public final class HistoryTopics {
    private final TopicScan scan;

    public HistoryTopics(KafkaClientSettings kafka, Duration timeout) {
        this.scan = new TopicScan(kafka, timeout);
    }

    /** The records of {@code key}. @throws IllegalStateException naming the address when Kafka does not answer */
    public Records read(String key) {
        return read(Optional.of(key));
    }

    /** The records of every resource. @throws IllegalStateException naming the address when Kafka does not answer */
    public Records readAll() {
        return read(Optional.empty(), Optional.empty());
    }

    /**
     * How long after its time an installation event may reach the topic: a record is stamped when it is sent (the
     * installer sends an event as it makes it; the producers' delivery timeout is 2 minutes), or with the spec change it
     * comes from (the translator). An event that reaches the topic later than this (a translator catching up after a
     * long stop) is not seen at instants before it arrived.
     */
    public static final Duration LATEST_ARRIVAL = Duration.ofMinutes(10);

    /**
     * The records of every resource as {@link FleetAt} needs them for the fleet at {@code at} or earlier: the
     * installation events up to the first one of each partition stamped {@link #LATEST_ARRIVAL} after {@code at} (by
     * Kafka's timestamp index), not the events of later days; spec changes and admissions, which are few, whole.
     * @throws IllegalStateException naming the address when Kafka does not answer
     */
    public Records readAllUntil(Instant at) {
        return read(Optional.empty(), Optional.of(at.plus(LATEST_ARRIVAL)));
    }

    private Records read(Optional<String> key) {
        return read(key, Optional.empty());
    }

    private Records read(Optional<String> key, Optional<Instant> eventsUntil) {
        scan.checkReachable();
        TopicScan.Scan<History.Change> changes = scan.read(Topics.SPEC_CHANGES, key, SpecChange.class,
                c -> new History.Change(c.getUid(), c.getGeneration(), c.getOperation() == Operation.DELETE,
                        c.getActor(), c.getObservedAt(), c.getSpecJson()));
        TopicScan.Scan<History.Admission> admissions = scan.read(Topics.ADMISSIONS, key, AdmissionRecord.class,
                a -> new History.Admission(a.getUid(), a.getGeneration() == null ? OptionalLong.empty()
                        : OptionalLong.of(a.getGeneration()), a.getSpecHash(), a.getOperation(), a.getUsername(),
                        a.getGroups().stream().map(Object::toString).toList(), a.getAdmittedAt()));
        // A million events name a few thousand clusters, revisions and states: one String each, not one per event.
        Map<String, String> names = new java.util.HashMap<>();
        Function<String, String> once = s -> names.computeIfAbsent(s, n -> n);
        Function<InstallationEvent, History.Transition> transition = e -> new History.Transition(e.getGeneration(),
                once.apply(e.getCluster()), once.apply(e.getRevision()), once.apply(e.getState()), e.getTime());
        TopicScan.Scan<History.Transition> events = eventsUntil.isPresent()
                ? scan.readUntil(Topics.INSTALLATION_EVENTS, InstallationEvent.class, transition, eventsUntil.get())
                : scan.read(Topics.INSTALLATION_EVENTS, key, InstallationEvent.class, transition);
        Map<String, Instant> retainedFrom = new LinkedHashMap<>();
        Map<String, List<History.Change>> changesByKey = byKey(changes);
        Map<String, List<History.Transition>> eventsByKey = byKey(events);
        for (String k : changesByKey.keySet()) {
            events.retainedFrom(k).ifPresent(t -> retainedFrom.put(k, t));
        }
        return new Records(changesByKey, byKey(admissions), eventsByKey, retainedFrom);
    }

    private static <T> Map<String, List<T>> byKey(TopicScan.Scan<T> scan) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        scan.records().forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        return out;
    }

    /**
     * What the topics hold, by resource key, each list in topic order. {@code eventsRetainedFrom}: for a resource whose
     * installation-events partition lost records to retention, when its remaining events begin.
     */
    public record Records(Map<String, List<History.Change>> changes, Map<String, List<History.Admission>> admissions,
            Map<String, List<History.Transition>> transitions, Map<String, Instant> eventsRetainedFrom) {

        public List<History.Change> changesOf(String key) {
            return changes.getOrDefault(key, List.of());
        }

        public List<History.Entry> historyOf(String key) {
            return History.of(changesOf(key), admissions.getOrDefault(key, List.of()),
                    transitions.getOrDefault(key, List.of()));
        }
    }
}
