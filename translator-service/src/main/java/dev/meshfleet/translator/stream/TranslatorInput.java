package dev.meshfleet.translator.stream;

import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translator.facts.EcpFact;
import dev.meshfleet.translator.facts.EcpUninstalled;

/** What the translate step reads, keyed by owner: a spec change, or a fact another cluster's installer reported. */
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
}
