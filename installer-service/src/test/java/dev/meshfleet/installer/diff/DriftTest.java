package dev.meshfleet.installer.diff;

import static dev.meshfleet.installer.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;

class DriftTest {
    private static final ObjectRef ISTIOD = deployment("istiod-1-24");
    private static final ObjectRef CRD = new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
            "gateways.networking.istio.io");

    @Test
    void anApplyThatWroteNothingFoundNoDrift() {
        Map<String, LiveVersion> versions = Map.of(ISTIOD.identity(), new LiveVersion("u1", "7"));
        assertThat(Drift.describe(List.of(ISTIOD), versions, versions, Set.of())).isEmpty();
    }

    @Test
    void anObjectMissingBeforeTheApplyWasDeleted() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(), Map.of(ISTIOD.identity(), new LiveVersion("u2", "9")),
                Set.of())).containsExactly("Deployment istio-system/istiod-1-24 was deleted");
    }

    @Test
    void anObjectWhoseUidChangedWasDeletedAndCreatedAgainBySomeoneElse() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), new LiveVersion("u1", "7")),
                Map.of(ISTIOD.identity(), new LiveVersion("u2", "7")), Set.of()))
                .containsExactly("Deployment istio-system/istiod-1-24 was deleted");
    }

    @Test
    void anObjectTheApplyHadToWriteWasChanged() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), new LiveVersion("u1", "7")),
                Map.of(ISTIOD.identity(), new LiveVersion("u1", "8")), Set.of()))
                .containsExactly("Deployment istio-system/istiod-1-24 was changed");
    }

    @Test
    void aSharedObjectRelabelledByAnotherInstallationIsNotDriftButItsDeletionIs() {
        Set<String> shared = Set.of(CRD.identity());
        assertThat(Drift.describe(List.of(CRD), Map.of(CRD.identity(), new LiveVersion("u1", "7")),
                Map.of(CRD.identity(), new LiveVersion("u1", "8")), shared)).isEmpty();
        assertThat(Drift.describe(List.of(CRD), Map.of(), Map.of(CRD.identity(), new LiveVersion("u3", "9")), shared))
                .containsExactly("CustomResourceDefinition gateways.networking.istio.io was deleted");
    }
}
