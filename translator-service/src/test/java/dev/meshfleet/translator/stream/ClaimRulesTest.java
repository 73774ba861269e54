package dev.meshfleet.translator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.PlanClaim;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.UpgradePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-resource claim rules as a pure function of (last effective state, candidate state). */
class ClaimRulesTest {

    static InstallationPlan plan(String name, long generation, String revision, String... claims) {
        return InstallationPlan.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager).setNamespace("gloo-mesh")
                        .setName(name).setUid("uid-" + name).build())
                .setGeneration(generation).setRevision(revision).setTag("1.24.2-solo").setCharts(List.of())
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(false)
                        .setWaitForResourcesTimeoutMillis(300_000).build())
                .setObservedOperatorJson("{}").setPlanHash(name + "-" + generation + "-" + revision)
                .setClaims(List.of(claims).stream().map(c -> PlanClaim.newBuilder().setName(c)
                        .setFieldPath("spec.installations[0].clusters[0].defaultRevision").build()).toList())
                .build();
    }

    static ClusterDesiredState state(InstallationPlan... plans) {
        return AvroPlans.desiredState("cluster1", List.of(plans));
    }

    static List<String> names(List<InstallationPlan> plans) {
        return plans.stream().map(p -> p.getOwner().getName() + "@" + p.getGeneration()).toList();
    }

    @Test
    void amongNewCompetingClaimsTheLowestOwnerKeyWins() {
        var r = ClaimRules.resolve("cluster1", null, state(plan("b", 1, "1-25", "default-revision"),
                plan("a", 1, "1-24", "default-revision")));

        assertThat(names(r.effective())).containsExactly("a@1");
        assertThat(r.refusals()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("IstioLifecycleManager/gloo-mesh/b|1-25");
            assertThat(f.message()).contains("already has default revision '1-24' from IstioLifecycleManager gloo-mesh/a");
        });
    }

    @Test
    void theHolderKeepsItsClaimAgainstALowerOwnerKey() {
        var last = state(plan("z", 1, "1-24", "default-revision"));
        var r = ClaimRules.resolve("cluster1", last, state(plan("a", 1, "1-25", "default-revision"),
                plan("z", 2, "1-24", "default-revision")));

        assertThat(names(r.effective())).containsExactly("z@2");
        assertThat(r.refusals()).extracting(ClaimRules.Refusal::key).containsExactly("IstioLifecycleManager/gloo-mesh/a|1-25");
    }

    @Test
    void aHolderThatReleasesTheClaimLetsTheNextClaimantIn() {
        var last = state(plan("z", 1, "1-24", "default-revision"));
        var r = ClaimRules.resolve("cluster1", last, state(plan("a", 1, "1-25", "default-revision"), plan("z", 2, "1-24")));

        assertThat(names(r.effective())).containsExactly("a@1", "z@2");
        assertThat(r.refusals()).isEmpty();
    }

    @Test
    void aRefusedPlanIsReplacedByItsOwnersPreviousPlanOfThatRevision() {
        var last = state(plan("z", 1, "1-24", "default-revision"), plan("a", 1, "1-25"));
        var r = ClaimRules.resolve("cluster1", last, state(plan("a", 2, "1-25", "default-revision"),
                plan("z", 1, "1-24", "default-revision")));

        assertThat(names(r.effective())).containsExactly("a@1", "z@1");
        assertThat(r.refusals()).extracting(f -> f.plan().getGeneration()).containsExactly(2L);
    }

    @Test
    void aPreviousPlanIsNotKeptWhenItWouldTakeAClaimAnotherResourceNowHolds() {
        // a held the default, then moved it away in the same change that made a claim z holds... z wins the default now
        var last = state(plan("a", 1, "1-25", "default-revision", "ingress-gateway/1-25"),
                plan("z", 1, "1-24", "egress-gateway/1-25"));
        var r = ClaimRules.resolve("cluster1", last, state(plan("a", 2, "1-25", "egress-gateway/1-25"),
                plan("z", 2, "1-24", "egress-gateway/1-25", "default-revision")));

        assertThat(names(r.effective())).containsExactly("z@2");
        assertThat(r.refusals()).extracting(f -> f.plan().getOwner().getName()).containsExactly("a");
    }

    @Test
    void claimsOfOneOwnerNeverConflictWithEachOther() {
        var r = ClaimRules.resolve("cluster1", null, state(plan("a", 1, "1-24", "ingress-gateway/1-24"),
                plan("a", 1, "1-25", "ingress-gateway/1-24")));

        assertThat(r.refusals()).isEmpty();
        assertThat(r.effective()).hasSize(2);
    }

    @Test
    void aSecondResourceInstallingARevisionTheClusterAlreadyRunsIsRefusedNamingTheFirst() {
        var last = state(plan("z", 1, "1-24", "control-plane/1-24"));
        var r = ClaimRules.resolve("cluster1", last, state(plan("a", 1, "1-24", "control-plane/1-24"),
                plan("z", 1, "1-24", "control-plane/1-24")));

        assertThat(names(r.effective())).containsExactly("z@1");
        assertThat(r.refusals()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("already runs control plane revision '1-24' from IstioLifecycleManager gloo-mesh/z"));
    }
}
