package dev.meshfleet.aggregator.stream;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.meshfleet.aggregator.fold.ClusterEntry;
import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.Summary;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.StatusSummary;

/** The edge between the wire (Avro) and the fold's records: the only place that knows both. */
public final class AvroStatus {

    private AvroStatus() {
    }

    public static Owner owner(OwnerRef ref) {
        return new Owner(ref.getKind(), ref.getNamespace(), ref.getName(), ref.getUid());
    }

    public static OwnerRef ownerRef(Owner owner) {
        return new OwnerRef(owner.kind(), owner.namespace(), owner.name(), owner.uid());
    }

    public static Event event(InstallationEvent e) {
        return new Event(owner(e.getOwner()), e.getGeneration(), e.getCluster(), e.getRevision(), e.getState(),
                e.getMessage(), e.getObservedOperatorJson(), e.getPlanHash(), e.getSource(), e.getSourceEpoch(),
                e.getSequence(), e.getTime() == null ? 0 : e.getTime().toEpochMilli(),
                e.getCaRotateAt() == null ? null : e.getCaRotateAt().toEpochMilli(), e.getFacts());
    }

    /** The fold's status from the stored record; null stays null (no status yet). */
    public static Status status(LifecycleStatus s) {
        if (s == null) {
            return null;
        }
        Owner owner = owner(s.getOwner());
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        s.getClusters().forEach((cluster, cs) -> {
            TreeMap<String, Installation> installations = new TreeMap<>();
            cs.getInstallations().forEach((revision, i) -> installations.put(revision, installation(owner, i)));
            clusters.put(cluster, new ClusterEntry(installations, cs.getInstallerEpoch()));
        });
        return new Status(owner, s.getObservedGeneration(), clusters, s.getDeleted());
    }

    public static LifecycleStatus avro(Status s) {
        Map<String, ClusterStatus> clusters = new LinkedHashMap<>();
        s.clusters().forEach((cluster, entry) -> {
            Map<String, InstallationStatus> installations = new LinkedHashMap<>();
            entry.installations().forEach((revision, i) -> installations.put(revision, avro(i)));
            clusters.put(cluster, new ClusterStatus(installations, entry.installerEpoch()));
        });
        Summary summary = s.summary();
        return new LifecycleStatus(ownerRef(s.owner()), s.observedGeneration(), clusters,
                new StatusSummary(summary.state(), summary.healthy(), summary.total()), s.deleted());
    }

    /** The owner's own fields of {@code s} (no clusters): what the owner store keeps. */
    public static LifecycleStatus ownerRecord(Status s) {
        return avro(new Status(s.owner(), s.observedGeneration(), new TreeMap<>(), s.deleted()));
    }

    /** {@code s} with only {@code cluster}'s entry, which must be present: what the cluster store keeps. */
    public static LifecycleStatus clusterRecord(Status s, String cluster) {
        TreeMap<String, ClusterEntry> one = new TreeMap<>();
        one.put(cluster, s.clusters().get(cluster));
        return avro(new Status(s.owner(), s.observedGeneration(), one, s.deleted()));
    }

    /**
     * The status of an owner from its owner record and its cluster records. A cluster record stored
     * for another incarnation of the owner (another non-empty uid) belongs to a status that a
     * re-created owner reset, and is left out.
     */
    public static Status assemble(LifecycleStatus ownerRecord, Iterable<LifecycleStatus> clusterRecords) {
        Status owner = status(ownerRecord);
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        for (LifecycleStatus record : clusterRecords) {
            String uid = record.getOwner().getUid();
            if (uid != null && !uid.isEmpty() && !owner.owner().uid().isEmpty() && !uid.equals(owner.owner().uid())) {
                continue;
            }
            clusters.putAll(status(record).clusters());
        }
        return new Status(owner.owner(), owner.observedGeneration(), clusters, owner.deleted());
    }

    private static Installation installation(Owner owner, InstallationStatus i) {
        // Stored states were written by this fold for this kind, so the name always parses.
        InstallationState state = InstallationState.of(owner.kind(), i.getState());
        // Records stored before anyApplied existed read it as false: an installer source or an observed
        // operator says something was applied all the same (the finalizer must not go on a default).
        boolean anyApplied = i.getAnyApplied() || i.getSource().startsWith(Event.INSTALLER_PREFIX)
                || i.getObservedOperatorJson() != null && !i.getObservedOperatorJson().isBlank();
        return new Installation(state, i.getMessage(), i.getObservedRevision(), i.getObservedOperatorJson(),
                i.getGeneration(), i.getPlanHash(), i.getSource(), i.getSourceEpoch(), i.getSequence(),
                i.getUpdatedAt() == null ? 0 : i.getUpdatedAt().toEpochMilli(), anyApplied,
                i.getCaRotateAt() == null ? null : i.getCaRotateAt().toEpochMilli(), i.getFacts());
    }

    private static InstallationStatus avro(Installation i) {
        return new InstallationStatus(i.state().name(), i.message(), i.observedRevision(), i.observedOperatorJson(),
                i.generation(), i.planHash(), i.source(), i.sourceEpoch(), i.sequence(),
                Instant.ofEpochMilli(i.updatedAt()), i.anyApplied(),
                i.caRotateAtMillis() == null ? null : Instant.ofEpochMilli(i.caRotateAtMillis()),
                new TreeMap<>(i.facts()));
    }
}
