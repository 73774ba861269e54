package dev.meshfleet.installer.reconcile;

import java.time.Instant;
import java.util.Map;

import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.schemas.state.Phase;

/**
 * What was reported last for one installation in a cluster: the only memory a reconcile keeps (to
 * emit on change and to time readiness); {@code since} is when it entered {@code phase}, or when
 * it began waiting for readiness; {@code facts} are what its last event observed for other clusters
 * (a peering installation's east-west address and links, docs/adr/0046; empty for every other installation).
 */
public record LastReport(Owner owner, long generation, String planHash, Phase phase, String message,
        String observedOperatorJson, Instant since, Map<String, String> facts) {

    public LastReport {
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    /** A report without facts. */
    public LastReport(Owner owner, long generation, String planHash, Phase phase, String message,
            String observedOperatorJson, Instant since) {
        this(owner, generation, planHash, phase, message, observedOperatorJson, since, Map.of());
    }

    public LastReport withSince(Instant instant) {
        return new LastReport(owner, generation, planHash, phase, message, observedOperatorJson, instant, facts);
    }
}
