package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translator.facts.EcpFact;
import dev.meshfleet.translator.facts.EcpUninstalled;
import dev.meshfleet.translator.mesh.PeerSet;
import dev.meshfleet.translator.mesh.PeeringFact;

/**
 * What the translate step reads, keyed by owner: a spec change, a fact another cluster's installer reported, or a peered
 * controller's peers from the mesh step.
 */
sealed interface TranslatorInput {

    /** A resource was created, changed or deleted (meshfleet.spec-changes). */
    record Spec(SpecChange change) implements TranslatorInput {
    }

    /** An ExternalControlPlane's external istiod was reported HEALTHY (read off meshfleet.installation-events). */
    record Fact(EcpFact fact) implements TranslatorInput {
    }

    /** An ExternalControlPlane's installation in a cluster was reported uninstalled (read off installation-events). */
    record Uninstalled(EcpUninstalled fact) implements TranslatorInput {
    }

    /** A peered ServiceMeshController's east-west address was reported (read off installation-events, docs/adr/0046). */
    record EastWest(PeeringFact fact) implements TranslatorInput {
    }

    /** A peered ServiceMeshController's peers changed (from the mesh step, through its repartition topic). */
    record Peers(PeerSet peers) implements TranslatorInput {
    }
}
