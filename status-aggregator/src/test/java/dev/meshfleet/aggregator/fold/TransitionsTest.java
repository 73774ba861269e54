package dev.meshfleet.aggregator.fold;

import static dev.meshfleet.aggregator.fold.Events.GLM;
import static dev.meshfleet.aggregator.fold.Events.ILM;
import static dev.meshfleet.aggregator.fold.Events.installer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.aggregator.fold.FoldOutcome.Reason;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.ResourceKind;

/** The table in {@link Transitions} is what the fold does, pair by pair, for both kinds. */
class TransitionsTest {

    @Test
    void everyPhaseHasARowInTheTable() {
        assertThat(Transitions.asMap().keySet()).containsExactlyInAnyOrder(Phase.values());
    }

    @ParameterizedTest
    @EnumSource(ResourceKind.class)
    void theFoldAcceptsExactlyTheTransitionsInTheTableWithinOneGenerationAndEpoch(ResourceKind kind) {
        Owner owner = kind == ResourceKind.IstioLifecycleManager ? ILM : GLM;
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (Phase from : phasesOf(kind)) {
            for (Phase to : phasesOf(kind)) {
                if (to == Phase.INSTALL_PENDING) {
                    continue; // the installer never plans; covered by its own test
                }
                Status start = StatusFold.foldAll(null, List.of(event(owner, from, 1)));
                FoldOutcome outcome = StatusFold.fold(start, event(owner, to, 2));
                boolean expected = Transitions.allows(from, to);
                boolean actual = outcome instanceof Applied;
                if (expected != actual) {
                    mismatches.add(from + " -> " + to + " expected " + (expected ? "accepted" : "ignored"));
                }
                if (actual) {
                    accepted++;
                    assertThat(((Applied) outcome).after().phase()).isEqualTo(to);
                } else {
                    refused++;
                    assertThat(((Ignored) outcome).reason()).isEqualTo(Reason.ILLEGAL_TRANSITION);
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void designSequencesAreLegal() {
        assertThat(Transitions.allows(Phase.INSTALL_PENDING, Phase.INSTALLING_CONTROLLER)).isTrue();
        assertThat(Transitions.allows(Phase.INSTALLING_CONTROLLER, Phase.INSTALLING)).isTrue();
        assertThat(Transitions.allows(Phase.INSTALLING, Phase.HEALTHY)).isTrue();
        for (Phase detour : List.of(Phase.UPDATING, Phase.RECONCILING, Phase.UNHEALTHY, Phase.UNKNOWN)) {
            assertThat(Transitions.allows(Phase.HEALTHY, detour)).as("HEALTHY -> " + detour).isTrue();
            assertThat(Transitions.allows(detour, Phase.HEALTHY)).as(detour + " -> HEALTHY").isTrue();
        }
        assertThat(Transitions.allows(Phase.INSTALLING_CONTROLLER, Phase.CONTROLLER_INSTALL_FAILED)).isTrue();
        assertThat(Transitions.allows(Phase.INSTALLING, Phase.INSTALL_FAILED)).isTrue();
        assertThat(Transitions.allows(Phase.HEALTHY, Phase.UNINSTALLING)).isTrue();
        assertThat(Transitions.allows(Phase.UNINSTALLING, Phase.UNINSTALLED)).isTrue();
        assertThat(Transitions.allows(Phase.NO_CONTROL_PLANE_AVAILABLE, Phase.INSTALLING)).isTrue();
    }

    @Test
    void unknownIsReachableFromEveryPhase() {
        for (Phase from : Phase.values()) {
            assertThat(Transitions.allows(from, Phase.UNKNOWN)).as(from + " -> UNKNOWN").isTrue();
        }
    }

    @Test
    void clearlyStaleTransitionsAreIllegal() {
        assertThat(Transitions.allows(Phase.HEALTHY, Phase.INSTALLING_CONTROLLER)).isFalse();
        assertThat(Transitions.allows(Phase.HEALTHY, Phase.INSTALLING)).isFalse();
        assertThat(Transitions.allows(Phase.INSTALLING, Phase.INSTALLING_CONTROLLER)).isFalse();
        assertThat(Transitions.allows(Phase.UNINSTALLING, Phase.HEALTHY)).isFalse();
        assertThat(Transitions.allows(Phase.UNINSTALLED, Phase.HEALTHY)).isFalse();
        assertThat(Transitions.allows(Phase.UNINSTALLED, Phase.INSTALLING)).isFalse();
        for (Phase from : Phase.values()) {
            assertThat(Transitions.allows(from, Phase.INSTALL_PENDING)).as(from + " -> INSTALL_PENDING").isFalse();
        }
    }

    @Test
    void anUninstalledGatewayIsNotRevivedByAStaleHealthyOfTheSameGeneration() {
        Status uninstalled = StatusFold.foldAll(null, List.of(
                installer(GLM, 1, "cluster1", "1-24", "UNINSTALLED_GATEWAY", "g1", "installer-0", 1, 5)));

        FoldOutcome outcome = StatusFold.fold(uninstalled,
                installer(GLM, 1, "cluster1", "1-24", "HEALTHY", "g1", "installer-0", 1, 6));

        assertThat(outcome).isInstanceOf(Ignored.class);
        assertThat(outcome.status().installations().get(0).state().name()).isEqualTo("UNINSTALLED_GATEWAY");
    }

    /** Phases that the kind can name (GLM has no controller step; ILM has no NO_CONTROL_PLANE_AVAILABLE). */
    private static Set<Phase> phasesOf(ResourceKind kind) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (Phase p : Phase.values()) {
            if (p.state(kind).phase() == p) {
                phases.add(p);
            }
        }
        return phases;
    }

    private static Event event(Owner owner, Phase phase, long sequence) {
        InstallationState state = phase.state(owner.kind());
        return installer(owner, 1, "cluster1", "1-24", state.name(), "h1", "installer-0", 1, sequence);
    }
}
