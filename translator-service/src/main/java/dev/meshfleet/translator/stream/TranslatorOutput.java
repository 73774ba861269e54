package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;

/** What the translate step emits for one spec change: events for the aggregator, and per-(cluster, owner) plans. */
public sealed interface TranslatorOutput {

    /** An INSTALL_PENDING or FAILED event, keyed by owner. */
    record Event(InstallationEvent event) implements TranslatorOutput {
    }

    /** The owner's installations for one cluster, keyed "cluster|owner"; null plans is a tombstone (the owner left the cluster). */
    record OwnerClusterPlans(ClusterDesiredState plans) implements TranslatorOutput {
    }
}
