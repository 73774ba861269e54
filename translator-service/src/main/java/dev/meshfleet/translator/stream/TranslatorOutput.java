package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.translator.mesh.MeshChange;

/**
 * What the translate and claims steps emit: events for the aggregator, per-(cluster, owner) plans, per-cluster effective
 * state, and a peered controller's membership for the mesh step.
 */
public sealed interface TranslatorOutput {

    /** An INSTALL_PENDING or FAILED event, keyed by owner. */
    record Event(InstallationEvent event) implements TranslatorOutput {
    }

    /** The owner's installations for one cluster, keyed "cluster|owner"; null plans is a tombstone (the owner left the cluster). */
    record OwnerClusterPlans(ClusterDesiredState plans) implements TranslatorOutput {
    }

    /** A cluster's effective desired state after the cross-resource claims, keyed by cluster: what goes to install-plans. */
    record EffectiveState(ClusterDesiredState state) implements TranslatorOutput {
    }

    /** A ServiceMeshController's membership of its namespace's mesh changed, keyed by namespace (docs/adr/0046). */
    record Member(MeshChange change) implements TranslatorOutput {
    }
}
