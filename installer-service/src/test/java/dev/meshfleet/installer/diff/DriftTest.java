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

    private static LiveVersion v(String uid, String resourceVersion) {
        return new LiveVersion(uid, resourceVersion, 1, "labels", "status");
    }

    @Test
    void aStatusWrittenByAControllerBetweenTheReadAndTheApplyIsNotDrift() {
        LiveVersion was = new LiveVersion("u1", "7", 1, "labels", "unready");
        LiveVersion now = new LiveVersion("u1", "8", 1, "labels", "ready");
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), was), Map.of(ISTIOD.identity(), now),
                Set.of())).isEmpty();
    }

    @Test
    void aSpecOrLabelPutBackIsDriftEvenWhenTheStatusMovedToo() {
        LiveVersion was = new LiveVersion("u1", "7", 2, "labels", "unready");
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), was),
                Map.of(ISTIOD.identity(), new LiveVersion("u1", "9", 3, "labels", "ready")), Set.of())).hasSize(1);
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), was),
                Map.of(ISTIOD.identity(), new LiveVersion("u1", "9", 2, "other-labels", "ready")), Set.of()))
                .hasSize(1);
    }

    @Test
    void anApplyThatWroteNothingFoundNoDrift() {
        Map<String, LiveVersion> versions = Map.of(ISTIOD.identity(), v("u1", "7"));
        assertThat(Drift.describe(List.of(ISTIOD), versions, versions, Set.of())).isEmpty();
    }

    @Test
    void anObjectMissingBeforeTheApplyWasDeleted() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(), Map.of(ISTIOD.identity(), v("u2", "9")),
                Set.of())).containsExactly("Deployment istio-system/istiod-1-24 was deleted");
    }

    @Test
    void anObjectWhoseUidChangedWasDeletedAndCreatedAgainBySomeoneElse() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), v("u1", "7")),
                Map.of(ISTIOD.identity(), v("u2", "7")), Set.of()))
                .containsExactly("Deployment istio-system/istiod-1-24 was deleted");
    }

    @Test
    void anObjectTheApplyHadToWriteWasChanged() {
        assertThat(Drift.describe(List.of(ISTIOD), Map.of(ISTIOD.identity(), v("u1", "7")),
                Map.of(ISTIOD.identity(), v("u1", "8")), Set.of()))
                .containsExactly("Deployment istio-system/istiod-1-24 was changed");
    }

    @Test
    void aSharedObjectRelabelledByAnotherInstallationIsNotDriftButItsDeletionIs() {
        Set<String> shared = Set.of(CRD.identity());
        assertThat(Drift.describe(List.of(CRD), Map.of(CRD.identity(), v("u1", "7")),
                Map.of(CRD.identity(), v("u1", "8")), shared)).isEmpty();
        assertThat(Drift.describe(List.of(CRD), Map.of(), Map.of(CRD.identity(), v("u3", "9")), shared))
                .containsExactly("CustomResourceDefinition gateways.networking.istio.io was deleted");
    }
}
