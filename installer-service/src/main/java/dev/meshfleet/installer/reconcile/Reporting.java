package dev.meshfleet.installer.reconcile;

import java.time.Clock;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.schemas.EventOrder;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.InstallationEvent;

/**
 * Turns a reported state into an {@link InstallationEvent} (source, epoch and sequence as
 * {@link EventOrder} says) and emits it; logs a state change once, with owner, cluster and
 * revision in the MDC. When to report is the reconciler's decision, not this class's.
 */
final class Reporting {
    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class);

    private final EventSink events;
    private final Clock clock;
    private final String source;
    private final EventOrder.Counter sequence;

    Reporting(EventSink events, Clock clock, String replicaId) {
        this.events = events;
        this.clock = clock;
        this.source = "installer/" + replicaId;
        // From the start time: a replica restarted with static membership keeps its source and epoch.
        this.sequence = EventOrder.Counter.fromStartTime(clock.millis());
    }

    void emit(String cluster, long epoch, InstallationKey key, Owner owner, long generation, String planHash,
            Phase phase, String message, String observedOperatorJson, java.time.Instant caRotateAt,
            java.util.Map<String, String> facts, boolean changed) {
        String state = phase.state(owner.kind()).name();
        InstallationEvent event = InstallationEvent.newBuilder().setOwner(owner.toAvro()).setGeneration(generation)
                .setCluster(cluster).setRevision(key.revision()).setState(state)
                .setMessage(message == null ? "" : message).setObservedOperatorJson(observedOperatorJson)
                .setPlanHash(planHash).setSource(source).setSourceEpoch(epoch).setSequence(sequence.next())
                .setTime(clock.instant()).setCaRotateAt(caRotateAt).setFacts(new java.util.TreeMap<>(facts)).build();
        events.emit(owner.key(), event);
        if (changed) {
            MDC.put("owner", owner.key());
            MDC.put("cluster", cluster);
            MDC.put("revision", Names.revisionLabel(key.revision()));
            try {
                LOG.infof("%s %s in %s: %s%s", owner.key(), Names.revisionLabel(key.revision()), cluster,
                        state, message == null || message.isEmpty() ? "" : " (" + message + ")");
            } finally {
                MDC.remove("owner");
                MDC.remove("cluster");
                MDC.remove("revision");
            }
        }
    }
}
