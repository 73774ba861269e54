package dev.meshfleet.installer.reconcile;

import java.time.Instant;

import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.schemas.state.Phase;

/**
 * What was reported last for one installation in a cluster: the only memory a reconcile keeps (to
 * emit on change and to time readiness); {@code since} is when it entered {@code phase}, or when
 * it began waiting for readiness.
 */
public record LastReport(Owner owner, long generation, String planHash, Phase phase, String message,
        String observedOperatorJson, Instant since) {

    public LastReport withSince(Instant instant) {
        return new LastReport(owner, generation, planHash, phase, message, observedOperatorJson, instant);
    }
}
