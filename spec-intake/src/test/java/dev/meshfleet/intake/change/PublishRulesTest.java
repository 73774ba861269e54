package dev.meshfleet.intake.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.meshfleet.intake.change.PublishDecision.AddFinalizer;
import dev.meshfleet.intake.change.PublishDecision.Nothing;
import dev.meshfleet.intake.change.PublishDecision.Publish;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;

class PublishRulesTest {
    private final PublishLedger ledger = new PublishLedger();

    private static LifecycleResource ilm(String uid, long generation, boolean finalizer, boolean deleting) {
        return new LifecycleResource(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", uid,
                generation, "rv-" + generation, deleting, finalizer, "kubectl", "{\"installations\":[]}");
    }

    private PublishDecision decide(LifecycleResource current, LifecycleResource lastSeen) {
        return PublishRules.decide(Optional.ofNullable(current), Optional.ofNullable(lastSeen), ledger);
    }

    @Test
    void aNewResourceWithoutOurFinalizerGetsTheFinalizerBeforeAnythingIsPublished() {
        LifecycleResource fresh = ilm("u1", 1, false, false);

        assertThat(decide(fresh, null)).isEqualTo(new AddFinalizer(fresh));
    }

    @Test
    void aResourceHoldingTheFinalizerIsPublishedAsUpsertOncePerGeneration() {
        LifecycleResource held = ilm("u1", 1, true, false);

        assertThat(decide(held, null)).isEqualTo(new Publish(Operation.UPSERT, held));
        ledger.recordUpsert("u1", 1, null);
        assertThat(decide(held, held)).isInstanceOf(Nothing.class);
    }

    @Test
    void aStatusOnlyUpdateKeepsTheGenerationAndPublishesNothing() {
        ledger.recordUpsert("u1", 3, null);
        LifecycleResource statusBumped = new LifecycleResource(ResourceKind.IstioLifecycleManager, "gloo-mesh",
                "istiod-control-plane", "u1", 3, "rv-99", false, true, "status-aggregator", "{}");

        assertThat(decide(statusBumped, ilm("u1", 3, true, false))).isInstanceOf(Nothing.class);
    }

    @Test
    void aSpecEditBumpsTheGenerationAndIsPublishedAgain() {
        ledger.recordUpsert("u1", 1, null);
        LifecycleResource edited = ilm("u1", 2, true, false);

        assertThat(decide(edited, ilm("u1", 1, true, false))).isEqualTo(new Publish(Operation.UPSERT, edited));
    }

    @Test
    void aRequestedDeletionIsPublishedOncePerUidAndTheFinalizerIsLeftAlone() {
        ledger.recordUpsert("u1", 1, null);
        LifecycleResource deleting = ilm("u1", 1, true, true);

        assertThat(decide(deleting, ilm("u1", 1, true, false))).isEqualTo(new Publish(Operation.DELETE, deleting));
        ledger.recordDelete("u1");
        assertThat(decide(deleting, deleting)).isInstanceOf(Nothing.class);
    }

    @Test
    void aDeletingResourceWithoutOurFinalizerIsPublishedAsDeleteNotGivenAFinalizer() {
        LifecycleResource deleting = ilm("u1", 1, false, true);

        assertThat(decide(deleting, null)).isEqualTo(new Publish(Operation.DELETE, deleting));
    }

    @Test
    void aResourceThatVanishedWithoutUsSeeingItsDeletionIsPublishedAsDeleteFromTheLastKnownObject() {
        ledger.recordUpsert("u1", 2, null);
        LifecycleResource last = ilm("u1", 2, true, false);

        assertThat(decide(null, last)).isEqualTo(new Publish(Operation.DELETE, last));
        ledger.recordDelete("u1");
        assertThat(decide(null, last)).isInstanceOf(Nothing.class);
    }

    @Test
    void aResourceNeverSeenAndNotInTheCacheNeedsNothing() {
        assertThat(decide(null, null)).isInstanceOf(Nothing.class);
    }

    @Test
    void aResourceReCreatedUnderTheSameNameFirstDeletesTheOldUidThenStartsOver() {
        ledger.recordUpsert("old", 4, null);
        LifecycleResource old = ilm("old", 4, true, false);
        LifecycleResource recreated = ilm("new", 1, false, false);

        assertThat(decide(recreated, old)).isEqualTo(new Publish(Operation.DELETE, old));
        ledger.recordDelete("old");
        assertThat(decide(recreated, old)).isEqualTo(new AddFinalizer(recreated));
    }

    @Test
    void afterARestartTheEmptyLedgerRepublishesEveryLiveResource() {
        LifecycleResource held = ilm("u1", 7, true, false);

        assertThat(decide(held, null)).isEqualTo(new Publish(Operation.UPSERT, held));
    }

    @Test
    void forgettingAUidDropsItFromTheLedger() {
        ledger.recordUpsert("u1", 1, null);
        ledger.recordDelete("u2");
        ledger.forget("u1");
        ledger.forget("u2");

        assertThat(ledger.size()).isZero();
        assertThat(ledger.upserted("u1", 1, null)).isFalse();
        assertThat(ledger.deleted("u2")).isFalse();
    }

    private static LifecycleResource smc(long generation, String extensions) {
        return new LifecycleResource(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "u1", generation,
                "rv-" + generation, false, true, "kubectl", "{\"cluster\":\"cluster1\"}", extensions);
    }

    @Test
    void aControllerIsPublishedAgainAtTheSameGenerationWhenItsExtensionsConfigChanged() {
        LifecycleResource before = smc(2, "{\"beta\":\"a\"}");
        ledger.recordUpsert("u1", 2, before.beside());
        assertThat(decide(before, before)).as("unchanged").isInstanceOf(Nothing.class);

        LifecycleResource changed = smc(2, "{\"beta\":\"b\"}");
        assertThat(decide(changed, before)).isEqualTo(new Publish(Operation.UPSERT, changed));
        LifecycleResource removed = smc(2, null);
        assertThat(decide(removed, before)).as("the ConfigMap deleted").isEqualTo(new Publish(Operation.UPSERT, removed));
    }

    @Test
    void aControllerWithoutExtensionsConfigIsPublishedOncePerGenerationAsBefore() {
        LifecycleResource none = smc(1, null);
        ledger.recordUpsert("u1", 1, null);
        assertThat(decide(none, none)).isInstanceOf(Nothing.class);
        assertThat(ledger.upserted("u1", 1, Published.Beside.of("{}", null))).as("an empty ConfigMap appearing is a change").isFalse();
    }

    @Test
    void aNewerGenerationPublishedCoversAnOlderCopyWhateverItsExtensions() {
        ledger.recordUpsert("u1", 3, Published.Beside.of("{\"beta\":\"b\"}", null));
        assertThat(ledger.upserted("u1", 2, Published.Beside.of("{\"beta\":\"a\"}", null))).isTrue();
    }
}
