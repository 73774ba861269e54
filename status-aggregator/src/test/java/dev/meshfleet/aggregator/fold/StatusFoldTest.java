package dev.meshfleet.aggregator.fold;

import static dev.meshfleet.aggregator.fold.Events.GLM;
import static dev.meshfleet.aggregator.fold.Events.ILM;
import static dev.meshfleet.aggregator.fold.Events.OPERATOR;
import static dev.meshfleet.aggregator.fold.Events.glm;
import static dev.meshfleet.aggregator.fold.Events.ilm;
import static dev.meshfleet.aggregator.fold.Events.installer;
import static dev.meshfleet.aggregator.fold.Events.translator;
import static dev.meshfleet.aggregator.fold.Events.translatorFailed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.aggregator.fold.FoldOutcome.Reason;
import dev.meshfleet.schemas.state.GlmState;
import dev.meshfleet.schemas.state.IlmState;
import dev.meshfleet.schemas.v1.ResourceKind;

class StatusFoldTest {

    private static Status fold(Event... events) {
        return StatusFold.foldAll(null, List.of(events));
    }

    private static Installation only(Status status) {
        assertThat(status.installations()).hasSize(1);
        return status.installations().get(0);
    }

    @Test
    void ilmInstallationWalksThroughTheDesignSequenceToHealthy() {
        Status status = fold(translator(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1"),
                ilm("INSTALLING_CONTROLLER", 1), ilm("INSTALLING_CONTROL_PLANE", 2), ilm("HEALTHY", 3));

        Installation installation = status.installation("cluster1", "1-24").orElseThrow();
        assertThat(installation.state()).isEqualTo(IlmState.HEALTHY);
        assertThat(installation.observedRevision()).isEqualTo("1-24");
        assertThat(installation.observedOperatorJson()).isEqualTo(OPERATOR);
        assertThat(status.summary()).isEqualTo(new Summary("HEALTHY", 1, 1));
        assertThat(status.observedGeneration()).isEqualTo(1);
    }

    /** An installer event with the intermediate CA's rotation time (a ServiceMeshController's cacerts, ADR 0028). */
    private static Event withCa(Event e, Long rotateAt) {
        return new Event(e.owner(), e.generation(), e.cluster(), e.revision(), e.state(), e.message(),
                e.observedOperatorJson(), e.planHash(), e.source(), e.sourceEpoch(), e.sequence(), e.timeMillis(), rotateAt);
    }

    @Test
    void theIntermediateCasRotationTimeIsTheInstallersLatestAndAChangeAloneIsPublished() {
        Status healthy = fold(translator(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1"),
                ilm("INSTALLING_CONTROL_PLANE", 1), withCa(ilm("HEALTHY", 2), 5_000L));
        assertThat(only(healthy).caRotateAtMillis()).isEqualTo(5_000L);

        // An installer event that does not say (a progress step) and a translator event keep it.
        Status updating = StatusFold.foldAll(healthy, List.of(ilm("UPDATING_CONTROL_PLANE", 3),
                translator(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1")));
        assertThat(updating.installation("cluster1", "1-24").orElseThrow().caRotateAtMillis()).isEqualTo(5_000L);

        // Replaced while HEALTHY: the same state, a new time, and a status worth writing.
        FoldOutcome rotated = StatusFold.fold(healthy, withCa(ilm("HEALTHY", 4), 9_000L));
        assertThat(rotated).isInstanceOfSatisfying(Applied.class, a -> {
            assertThat(a.after().caRotateAtMillis()).isEqualTo(9_000L);
            assertThat(a.after().reportsSameAs(a.before())).isFalse();
        });
    }

    /** An installer event with facts (a peering installation's east-west address and links, ADR 0046). */
    private static Event withFacts(Event e, java.util.Map<String, String> facts) {
        return new Event(e.owner(), e.generation(), e.cluster(), e.revision(), e.state(), e.message(),
                e.observedOperatorJson(), e.planHash(), e.source(), e.sourceEpoch(), e.sequence(), e.timeMillis(),
                e.caRotateAtMillis(), facts);
    }

    @Test
    void theFactsAreTheNewestInstallerEventsAndANewAddressOrAPeerUpAloneIsPublished() {
        java.util.Map<String, String> pending = java.util.Map.of("eastwest.address", "192.0.2.10",
                "eastwest.addressType", "IPAddress", "peers.up", "", "peers.down", "cluster2=Pending");
        Status healthy = fold(translator(ILM, 1, "cluster1", "peering", "INSTALL_PENDING", "h1"),
                withFacts(installer(ILM, 1, "cluster1", "peering", "INSTALLING_CONTROL_PLANE", "h1", "installer-0", 1, 1),
                        java.util.Map.of()),
                withFacts(installer(ILM, 1, "cluster1", "peering", "HEALTHY", "h1", "installer-0", 1, 2), pending));
        assertThat(only(healthy).facts()).isEqualTo(pending);

        // The translator observes nothing in the cluster: its event keeps what the installer said.
        Status replanned = StatusFold.foldAll(healthy, List.of(translator(ILM, 1, "cluster1", "peering",
                "INSTALL_PENDING", "h1")));
        assertThat(only(replanned).facts()).isEqualTo(pending);

        // The same state with cluster2's link up: a status worth writing.
        java.util.Map<String, String> up = java.util.Map.of("eastwest.address", "192.0.2.10",
                "eastwest.addressType", "IPAddress", "peers.up", "cluster2", "peers.down", "");
        FoldOutcome linked = StatusFold.fold(healthy,
                withFacts(installer(ILM, 1, "cluster1", "peering", "HEALTHY", "h1", "installer-0", 1, 3), up));
        assertThat(linked).isInstanceOfSatisfying(Applied.class, a -> {
            assertThat(a.after().facts()).isEqualTo(up);
            assertThat(a.after().reportsSameAs(a.before())).isFalse();
        });

        // An installer event with none (the installation went) clears them.
        Status removed = StatusFold.foldAll(linked.status(), List.of(
                installer(ILM, 1, "cluster1", "peering", "UNINSTALLING_CONTROL_PLANE", "h1", "installer-0", 1, 4)));
        assertThat(only(removed).facts()).isEmpty();
    }

    @Test
    void glmInstallationUsesGatewayStateNames() {
        Status status = fold(translator(GLM, 1, "cluster1", "1-24", "INSTALL_PENDING", "g1"),
                glm("NO_CONTROL_PLANE_AVAILABLE", 1), glm("INSTALLING_GATEWAY", 2), glm("HEALTHY", 3));

        assertThat(only(status).state()).isEqualTo(GlmState.HEALTHY);
        assertThat(status.summary().state()).isEqualTo("HEALTHY");
    }

    @Test
    void aGatewayStateNameIsNotAcceptedForAnIstioLifecycleManager() {
        FoldOutcome outcome = StatusFold.fold(null, ilm("INSTALLING_GATEWAY", 1));

        assertThat(outcome).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.UNKNOWN_STATE));
        assertThat(outcome.status().installations()).isEmpty();
    }

    @Test
    void aDuplicateEventChangesNothing() {
        Status healthy = fold(ilm("INSTALLING_CONTROL_PLANE", 1), ilm("HEALTHY", 2));

        FoldOutcome again = StatusFold.fold(healthy, ilm("HEALTHY", 2));

        assertThat(again).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.DUPLICATE));
        assertThat(again.status()).isEqualTo(healthy);
    }

    @Test
    void anOlderSequenceFromTheSameSourceArrivingLateIsDropped() {
        Status status = fold(ilm("HEALTHY", 3), ilm("INSTALLING_CONTROL_PLANE", 2), ilm("INSTALLING_CONTROLLER", 1));

        assertThat(only(status).state()).isEqualTo(IlmState.HEALTHY);
        assertThat(only(status).sequence()).isEqualTo(3);
    }

    @Test
    void aClusterNamedAgainAndDroppedBeforeTheInstallerActedEndsUninstalledNotPendingForGood() {
        // Seen in a soak: generation 9 names cluster13 again (the translator's INSTALL_PENDING), generation 10 drops
        // it before the installer read generation 9's plan; the installer removes what generation 8 installed and
        // reports the removal under generation 8, the one it applied.
        Status status = fold(translator(GLM, 8, "cluster13", "1-24", "INSTALL_PENDING", "g8"),
                installer(GLM, 8, "cluster13", "1-24", "HEALTHY", "g8", "installer-0", 1, 1),
                translator(GLM, 9, "cluster13", "1-24", "INSTALL_PENDING", "g9"),
                translator(GLM, 10, "cluster7", "1-24", "INSTALL_PENDING", "g10"),
                installer(GLM, 8, "cluster13", "1-24", "UNINSTALLING_GATEWAY", "g8", "installer-0", 1, 2),
                installer(GLM, 8, "cluster13", "1-24", "UNINSTALLED_GATEWAY", "g8", "installer-0", 1, 3));

        assertThat(status.installation("cluster13", "1-24").orElseThrow().state()).isEqualTo(GlmState.UNINSTALLED_GATEWAY);
    }

    @Test
    void aLateRemovalOfAnOlderGenerationDoesNotOverrideAnInstallationTheNewestGenerationNames() {
        // Generation 9 names cluster13 again and is the newest: the installer's removal under generation 8, which
        // it carried out before it read generation 9, arrives late and is dropped; the install of generation 9 follows.
        Status status = fold(translator(GLM, 8, "cluster13", "1-24", "INSTALL_PENDING", "g8"),
                installer(GLM, 8, "cluster13", "1-24", "HEALTHY", "g8", "installer-0", 1, 1),
                translator(GLM, 9, "cluster13", "1-24", "INSTALL_PENDING", "g9"),
                installer(GLM, 8, "cluster13", "1-24", "UNINSTALLED_GATEWAY", "g8", "installer-0", 1, 2));

        assertThat(only(status).state()).isEqualTo(GlmState.INSTALL_PENDING);
        assertThat(only(status).generation()).isEqualTo(9);
    }

    @Test
    void anEventForAnOlderGenerationIsDropped() {
        Status gen2 = fold(installer(ILM, 2, "cluster1", "1-24", "INSTALLING_CONTROLLER", "h2", "installer-0", 1, 7));

        FoldOutcome late = StatusFold.fold(gen2, installer(ILM, 1, "cluster1", "1-24", "HEALTHY", "h1",
                "installer-0", 1, 9));

        assertThat(late).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.STALE_GENERATION));
        assertThat(only(late.status()).state()).isEqualTo(IlmState.INSTALLING_CONTROLLER);
    }

    @Test
    void aReplicaThatLostThePartitionCannotOverwriteTheNewOwnersState() {
        Status status = fold(installer(ILM, 1, "cluster1", "1-24", "HEALTHY", "h1", "installer-1", 2, 1));

        FoldOutcome stale = StatusFold.fold(status,
                installer(ILM, 1, "cluster1", "1-24", "UNKNOWN", "h1", "installer-0", 1, 50));
        FoldOutcome staleOtherRevision = StatusFold.fold(status,
                installer(ILM, 1, "cluster1", "1-25", "INSTALLING_CONTROLLER", "h1", "installer-0", 1, 51));

        assertThat(stale).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.STALE_EPOCH));
        assertThat(staleOtherRevision).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.STALE_EPOCH));
        assertThat(status.installerEpoch("cluster1")).isEqualTo(2);
    }

    @Test
    void anEpochIsPerClusterSoAnotherClustersOlderEpochStillCounts() {
        Status status = fold(installer(ILM, 1, "cluster1", "1-24", "HEALTHY", "h1", "installer-1", 5, 1),
                installer(ILM, 1, "cluster2", "1-24", "HEALTHY", "h1", "installer-0", 3, 1));

        assertThat(status.installation("cluster2", "1-24")).isPresent();
        assertThat(status.installerEpoch("cluster1")).isEqualTo(5);
        assertThat(status.installerEpoch("cluster2")).isEqualTo(3);
    }

    @Test
    void theNewPartitionOwnerIsTheAuthorityEvenForATransitionTheTableForbids() {
        // installer-0 saw it uninstalled; the replica that took the partition over finds it installed.
        Status status = fold(ilm("UNINSTALLED_CONTROL_PLANE", 4),
                installer(ILM, 1, "cluster1", "1-24", "HEALTHY", "h1", "installer-1", 2, 1));

        assertThat(only(status).state()).isEqualTo(IlmState.HEALTHY);
        assertThat(only(status).source()).isEqualTo("installer/installer-1");
    }

    @Test
    void anInstallationUninstalledAndInstalledAgainByTheSameProcessWithinOnePlanShowsWhatRuns() {
        // The installer forgets an installation once UNINSTALLED; when the same plan is desired again (its
        // cluster's plan record read again, its cluster registered again) it installs it and says so, in order.
        record Row(String why, List<Event> after, GlmState expected) {
        }
        List<Event> uninstalled = List.of(glm("INSTALLING_GATEWAY", 1), glm("HEALTHY", 2),
                glm("UNINSTALLING_GATEWAY", 3), glm("UNINSTALLED_GATEWAY", 4));
        List<Row> rows = List.of(
                new Row("applied again", List.of(glm("INSTALLING_GATEWAY", 5)), GlmState.INSTALLING_GATEWAY),
                new Row("applied again, then ready", List.of(glm("INSTALLING_GATEWAY", 5), glm("HEALTHY", 6)),
                        GlmState.HEALTHY),
                new Row("found in sync (UNINSTALLED said 'nothing installed' of an unregistered cluster)",
                        List.of(glm("HEALTHY", 5)), GlmState.HEALTHY),
                new Row("its control plane gone meanwhile", List.of(glm("NO_CONTROL_PLANE_AVAILABLE", 5)),
                        GlmState.NO_CONTROL_PLANE_AVAILABLE),
                new Row("an older HEALTHY of the same process is still stale", List.of(glm("HEALTHY", 2)),
                        GlmState.UNINSTALLED_GATEWAY));
        for (Row row : rows) {
            List<Event> events = new java.util.ArrayList<>(uninstalled);
            events.addAll(row.after());
            assertThat(only(fold(events.toArray(Event[]::new))).state()).as(row.why()).isEqualTo(row.expected());
        }
    }

    @Test
    void aSequenceRestartFromANewEpochIsNotTakenForADuplicate() {
        Status status = fold(ilm("HEALTHY", 40),
                installer(ILM, 1, "cluster1", "1-24", "UNHEALTHY", "h1", "installer-0", 2, 1));

        assertThat(only(status).state()).isEqualTo(IlmState.UNHEALTHY);
    }

    @Test
    void translatorInstallPendingForThePlanTheInstallerReportsDoesNotMoveItBack() {
        Status healthy = fold(translator(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1"), ilm("HEALTHY", 3));

        Event replay = new Event(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "", null, "h1", "translator", 0,
                1005, 1005);
        FoldOutcome outcome = StatusFold.fold(healthy, replay);

        assertThat(outcome).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.ALREADY_REPORTED));
        assertThat(only(outcome.status()).state()).isEqualTo(IlmState.HEALTHY);
    }

    @Test
    void translatorInstallPendingForANewerGenerationRestartsTheInstallation() {
        Status healthy = fold(ilm("HEALTHY", 3));

        Status status = fold(healthy, translator(ILM, 2, "cluster1", "1-24", "INSTALL_PENDING", "h2"));

        assertThat(only(status).state()).isEqualTo(IlmState.INSTALL_PENDING);
        assertThat(only(status).generation()).isEqualTo(2);
        assertThat(only(status).observedOperatorJson())
                .as("what runs in the cluster does not change until the installer says so").isEqualTo(OPERATOR);
        assertThat(status.observedGeneration()).isEqualTo(2);
    }

    @Test
    void translatorInstallPendingWithAnotherPlanHashForTheSameGenerationRestartsTheInstallation() {
        Status healthy = fold(ilm("HEALTHY", 3));

        Status status = fold(healthy, translator(ILM, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1-new-defaults"));

        assertThat(only(status).state()).isEqualTo(IlmState.INSTALL_PENDING);
    }

    @Test
    void anyInstallerStateForANewerGenerationIsAccepted() {
        Status status = fold(ilm("UNINSTALLED_CONTROL_PLANE", 9),
                installer(ILM, 2, "cluster1", "1-24", "INSTALLING_CONTROLLER", "h2", "installer-0", 1, 10));

        assertThat(only(status).state()).isEqualTo(IlmState.INSTALLING_CONTROLLER);
    }

    @Test
    void theInstallerNeverReportsInstallPending() {
        FoldOutcome outcome = StatusFold.fold(fold(ilm("HEALTHY", 1)), ilm("INSTALL_PENDING", 2));

        assertThat(outcome).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.ILLEGAL_TRANSITION));
    }

    @Test
    void theTranslatorOnlyReportsInstallPendingAndFailed() {
        Event odd = new Event(ILM, 1, "cluster1", "1-24", "HEALTHY", "", null, "h1", "translator", 0, 1000, 1);

        assertThat(StatusFold.fold(null, odd)).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.ILLEGAL_TRANSITION));
    }

    @Test
    void anEventFromAnUnknownSourceIsIgnored() {
        Event odd = new Event(ILM, 1, "cluster1", "1-24", "HEALTHY", "", null, "h1", "someone", 0, 1, 1);

        assertThat(StatusFold.fold(null, odd)).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.UNKNOWN_SOURCE));
    }

    @Test
    void aTranslationFailureReplacesTheStateAndALaterGoodGenerationClearsIt() {
        Status healthy = fold(ilm("HEALTHY", 3));

        Status failed = fold(healthy, translatorFailed(ILM, 2, "cluster1", "1-24",
                "spec.installations[0].revision: 'Bad_Rev' is not a valid label value"));
        assertThat(only(failed).state()).isEqualTo(IlmState.FAILED);
        assertThat(only(failed).message()).contains("spec.installations[0].revision");
        assertThat(failed.summary().state()).isEqualTo("FAILED");

        Status fixed = fold(failed, translator(ILM, 3, "cluster1", "1-24", "INSTALL_PENDING", "h3"));
        assertThat(only(fixed).state()).isEqualTo(IlmState.INSTALL_PENDING);
        assertThat(only(fixed).message()).isEmpty();
    }

    @Test
    void aWholeResourceTranslationFailureIsClearedByTheNextGoodGeneration() {
        Status failed = fold(translatorFailed(ILM, 1, "", "", "spec.clusters: at least one cluster is required"));
        assertThat(failed.installation("", "")).isPresent();

        Status fixed = fold(failed, translator(ILM, 2, "cluster1", "1-24", "INSTALL_PENDING", "h2"));

        assertThat(fixed.installation("", "")).isEmpty();
        assertThat(fixed.clusters()).containsOnlyKeys("cluster1");
    }

    @Test
    void aStaleTranslationFailureArrivingAfterANewerGenerationIsDropped() {
        Status gen2 = fold(translator(ILM, 2, "cluster1", "1-24", "INSTALL_PENDING", "h2"));

        FoldOutcome outcome = StatusFold.fold(gen2, translatorFailed(ILM, 1, "", "", "spec: bad"));

        assertThat(outcome).isInstanceOf(Ignored.class);
        assertThat(outcome.status().installation("", "")).isEmpty();
    }

    @Test
    void anUninstalledEntryStaysInTheStatus() {
        Status status = fold(ilm("HEALTHY", 1),
                installer(ILM, 1, "cluster2", "1-24", "HEALTHY", "h1", "installer-0", 1, 2),
                ilm("UNINSTALLING_CONTROL_PLANE", 3), ilm("UNINSTALLED_CONTROL_PLANE", 4));

        assertThat(status.installation("cluster1", "1-24").orElseThrow().state())
                .isEqualTo(IlmState.UNINSTALLED_CONTROL_PLANE);
        assertThat(status.summary()).isEqualTo(new Summary("HEALTHY", 1, 2));
    }

    @Test
    void aRecreatedOwnerStartsFromAnEmptyStatus() {
        Status old = fold(ilm("UNINSTALLING_CONTROL_PLANE", 3), ilm("UNINSTALLED_CONTROL_PLANE", 4));
        Owner recreated = new Owner(ResourceKind.IstioLifecycleManager, ILM.namespace(), ILM.name(), "uid-2");

        Status status = fold(old, new Event(recreated, 1, "cluster2", "1-25", "INSTALL_PENDING", "", null, "h9",
                "translator", 0, 1000, 999_999));

        assertThat(status.owner().uid()).isEqualTo("uid-2");
        assertThat(status.clusters()).containsOnlyKeys("cluster2");
    }

    @Test
    void aLateEventOfThePreviousResourceWithTheSameNameIsIgnored() {
        Owner recreated = new Owner(ResourceKind.IstioLifecycleManager, ILM.namespace(), ILM.name(), "uid-2");
        Status status = fold(new Event(recreated, 1, "cluster1", "1-24", "INSTALL_PENDING", "", null, "h9",
                "translator", 0, 1000, 999_999));

        FoldOutcome outcome = StatusFold.fold(status, ilm("UNINSTALLED_CONTROL_PLANE", 4));

        assertThat(outcome).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.PREVIOUS_INCARNATION));
        assertThat(outcome.status().owner().uid()).isEqualTo("uid-2");
    }

    @Test
    void observedGenerationIsTheNewestGenerationOfAnyFoldedEvent() {
        Status status = fold(installer(ILM, 3, "cluster1", "1-24", "HEALTHY", "h3", "installer-0", 1, 5),
                installer(ILM, 2, "cluster2", "1-24", "HEALTHY", "h2", "installer-0", 1, 6));

        assertThat(status.observedGeneration()).isEqualTo(3);
    }

    @Test
    void anAppliedOutcomeSaysWhetherTheVisibleStateChanged() {
        Status healthy = fold(ilm("HEALTHY", 1));

        FoldOutcome reemit = StatusFold.fold(healthy, ilm("HEALTHY", 2));
        FoldOutcome change = StatusFold.fold(healthy, ilm("UNHEALTHY", 2));

        assertThat(reemit).isInstanceOfSatisfying(Applied.class, a -> assertThat(a.stateChanged()).isFalse());
        assertThat(change).isInstanceOfSatisfying(Applied.class, a -> assertThat(a.stateChanged()).isTrue());
    }

    private static Status fold(Status start, Event... events) {
        return StatusFold.foldAll(start, List.of(events));
    }
}
