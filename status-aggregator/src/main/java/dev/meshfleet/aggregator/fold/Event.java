package dev.meshfleet.aggregator.fold;

import java.util.Map;
import java.util.Objects;

/**
 * One observed state of one installation, as folded. The state is kept as the name on the wire so
 * that a name the owner's kind does not have is an ignored event rather than a decoding failure.
 *
 * @param cluster   workload cluster; empty for a translator error that concerns the whole resource
 * @param revision  installation revision; empty for a revisionless installation
 * @param timeMillis when the source observed it (data carried by the event; the fold reads no clock)
 * @param caRotateAtMillis when the installation's intermediate CA is replaced (ServiceMeshController); null: not said
 * @param facts     what the installer observed that other clusters need (InstallationEvent.facts, docs/adr/0046):
 *                  a peering installation's east-west address and peer links; empty for every other event
 */
public record Event(Owner owner, long generation, String cluster, String revision, String state, String message,
        String observedOperatorJson, String planHash, String source, long sourceEpoch, long sequence,
        long timeMillis, Long caRotateAtMillis, Map<String, String> facts) {

    public static final String TRANSLATOR = "translator";
    public static final String INSTALLER_PREFIX = "installer/";

    public Event {
        Objects.requireNonNull(owner, "owner");
        cluster = cluster == null ? "" : cluster;
        revision = revision == null ? "" : revision;
        state = state == null ? "" : state;
        message = message == null ? "" : message;
        planHash = planHash == null ? "" : planHash;
        source = source == null ? "" : source;
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    /** An event without facts. */
    public Event(Owner owner, long generation, String cluster, String revision, String state, String message,
            String observedOperatorJson, String planHash, String source, long sourceEpoch, long sequence,
            long timeMillis, Long caRotateAtMillis) {
        this(owner, generation, cluster, revision, state, message, observedOperatorJson, planHash, source, sourceEpoch,
                sequence, timeMillis, caRotateAtMillis, Map.of());
    }

    /** An event that says nothing of an intermediate CA. */
    public Event(Owner owner, long generation, String cluster, String revision, String state, String message,
            String observedOperatorJson, String planHash, String source, long sourceEpoch, long sequence,
            long timeMillis) {
        this(owner, generation, cluster, revision, state, message, observedOperatorJson, planHash, source, sourceEpoch,
                sequence, timeMillis, null);
    }

    public boolean fromInstaller() {
        return source.startsWith(INSTALLER_PREFIX);
    }

    public boolean fromTranslator() {
        return TRANSLATOR.equals(source);
    }
}
