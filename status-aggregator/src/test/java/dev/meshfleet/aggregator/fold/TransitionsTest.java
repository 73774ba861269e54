package dev.meshfleet.aggregator.fold;

import static dev.meshfleet.aggregator.fold.Events.GLM;
import static dev.meshfleet.aggregator.fold.Events.ILM;
import static dev.meshfleet.aggregator.fold.Events.installer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.meshfleet.aggregator.fold.FoldOutcome.Applied;
import dev.meshfleet.aggregator.fold.FoldOutcome.Ignored;
import dev.meshfleet.aggregator.fold.FoldOutcome.Reason;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The moves an installer event may make within one generation, plan and installer epoch, written out
 * here by hand from the seeds' state meanings (seeds 000/001), docs/states.md ("how it gets there /
 * how it leaves") and the installer README ("States it emits"), and checked against the fold pair by
 * pair for both kinds. The expectation is this table, never {@link Transitions} itself.
 */
class TransitionsTest {

    /**
     * Rows: from-phase, then "*" (anything the installer reports) or the allowed to-phases.
     * UNKNOWN is allowed from everywhere and INSTALL_PENDING from nowhere (only the translator plans);
     * both are checked by their own tests and left out of the rows.
     */
    private static final String EXPECTED = """
            INSTALL_PENDING            *
            PENDING                    *
            UNKNOWN                    *
            FAILED                     *
            CONTROLLER_INSTALL_FAILED  *
            INSTALL_FAILED             *
            ACTION_REQUIRED            *
            NO_CONTROL_PLANE_AVAILABLE PENDING NO_CONTROL_PLANE_AVAILABLE INSTALLING UPDATING FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            INSTALLING_CONTROLLER      PENDING INSTALLING_CONTROLLER INSTALLING FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            INSTALLING                 PENDING INSTALLING HEALTHY UNHEALTHY RECONCILING FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            UPDATING                   PENDING NO_CONTROL_PLANE_AVAILABLE UPDATING HEALTHY UNHEALTHY RECONCILING FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            RECONCILING                PENDING NO_CONTROL_PLANE_AVAILABLE UPDATING RECONCILING HEALTHY UNHEALTHY FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            HEALTHY                    PENDING NO_CONTROL_PLANE_AVAILABLE UPDATING RECONCILING HEALTHY UNHEALTHY FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            UNHEALTHY                  PENDING NO_CONTROL_PLANE_AVAILABLE UPDATING RECONCILING HEALTHY UNHEALTHY FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED UNINSTALLING UNINSTALLED
            UNINSTALLING               UNINSTALLING UNINSTALLED FAILED CONTROLLER_INSTALL_FAILED INSTALL_FAILED ACTION_REQUIRED
            UNINSTALLED                *
            """;

    private static Map<Phase, Set<Phase>> expected() {
        Set<Phase> reportable = EnumSet.complementOf(EnumSet.of(Phase.INSTALL_PENDING, Phase.UNKNOWN));
        Map<Phase, Set<Phase>> table = new EnumMap<>(Phase.class);
        for (String line : EXPECTED.strip().split("\n")) {
            String[] words = line.trim().split("\\s+");
            Set<Phase> to = EnumSet.noneOf(Phase.class);
            for (int i = 1; i < words.length; i++) {
                if (words[i].equals("*")) {
                    to.addAll(reportable);
                } else {
                    to.add(Phase.valueOf(words[i]));
                }
            }
            table.put(Phase.valueOf(words[0]), to);
        }
        return table;
    }

    @Test
    void theExpectedTableHasARowForEveryPhase() {
        assertThat(expected().keySet()).containsExactlyInAnyOrder(Phase.values());
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "Unknown", mode = EnumSource.Mode.EXCLUDE)
    void theFoldAcceptsExactlyTheExpectedMovesWithinOneGenerationPlanAndEpoch(ResourceKind kind) {
        // A ServiceMeshController's installation is folded with the ILM's table (ADR 0027), and so is an
        // ExternalControlPlane's installation in each of its clusters (ADR 0031).
        Owner owner = switch (kind) {
            case IstioLifecycleManager -> ILM;
            case GatewayLifecycleManager -> GLM;
            case ServiceMeshController -> new Owner(kind, "gloo-mesh", "managed-istio", "uid-5");
            case ExternalControlPlane -> new Owner(kind, "gloo-mesh", "mesh1", "uid-6");
            case Unknown -> throw new AssertionError("no service folds kind Unknown");
        };
        Map<Phase, Set<Phase>> expected = expected();
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (Phase from : phasesOf(kind)) {
            for (Phase to : phasesOf(kind)) {
                if (to == Phase.INSTALL_PENDING || to == Phase.UNKNOWN) {
                    continue; // their own tests
                }
                // INSTALL_PENDING is the translator's: the installer's first word on a plan follows it.
                Event first = from == Phase.INSTALL_PENDING
                        ? Events.translator(owner, 1, "cluster1", "1-24", "INSTALL_PENDING", "h1")
                        : event(owner, from, 1);
                Status start = StatusFold.foldAll(null, List.of(first));
                assertThat(start.installation("cluster1", "1-24")).as(from.name()).isPresent();
                FoldOutcome outcome = StatusFold.fold(start, event(owner, to, 2));
                boolean allowed = expected.get(from).contains(to);
                if (allowed != outcome instanceof Applied) {
                    mismatches.add(from + " -> " + to + " expected " + (allowed ? "accepted" : "ignored"));
                } else if (outcome instanceof Applied applied) {
                    accepted++;
                    assertThat(applied.after().phase()).isEqualTo(to);
                } else {
                    refused++;
                    assertThat(((Ignored) outcome).reason()).isEqualTo(Reason.ILLEGAL_TRANSITION);
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(accepted).isGreaterThan(100);
        assertThat(refused).as("forbidden moves checked").isGreaterThan(10);
    }

    @Test
    void unknownIsReachableFromEveryPhase() {
        for (Phase from : Phase.values()) {
            Status start = StatusFold.foldAll(null, List.of(event(ILM, from, 1)));
            assertThat(StatusFold.fold(start, event(ILM, Phase.UNKNOWN, 2))).as(from + " -> UNKNOWN")
                    .isInstanceOf(Applied.class);
        }
    }

    @Test
    void theInstallerNeverMovesAnInstallationBackToInstallPending() {
        for (Phase from : Phase.values()) {
            Status start = StatusFold.foldAll(null, List.of(event(ILM, from, 1)));
            FoldOutcome outcome = StatusFold.fold(start, event(ILM, Phase.INSTALL_PENDING, 2));
            assertThat(outcome).as(from + " -> INSTALL_PENDING").isInstanceOf(Ignored.class);
            assertThat(outcome.status()).isEqualTo(start);
        }
    }

    @Test
    void aForbiddenMoveIsIgnoredAndTheStatusKeepsWhatItShowed() {
        Status healthy = StatusFold.foldAll(null, List.of(Events.ilm("INSTALLING_CONTROL_PLANE", 1),
                Events.ilm("HEALTHY", 2)));

        FoldOutcome outcome = StatusFold.fold(healthy, Events.ilm("INSTALLING_CONTROLLER", 3));

        assertThat(outcome).isInstanceOf(Ignored.class);
        assertThat(((Ignored) outcome).reason()).isEqualTo(Reason.ILLEGAL_TRANSITION);
        assertThat(((Ignored) outcome).detail()).contains("INSTALLING_CONTROLLER").contains("over HEALTHY");
        assertThat(outcome.status().installation("cluster1", "1-24").orElseThrow().state().name())
                .isEqualTo("HEALTHY");
    }

    @Test
    void aNewPlanOfTheSameGenerationStartsOverLikeANewGeneration() {
        // A cross-resource claim released changes the plan, not the generation (ADR 0005).
        Status healthy = StatusFold.foldAll(null, List.of(Events.ilm("HEALTHY", 1)));

        FoldOutcome outcome = StatusFold.fold(healthy,
                installer(ILM, 1, "cluster1", "1-24", "INSTALLING_CONTROLLER", "h2", "installer-0", 1, 2));

        assertThat(outcome).isInstanceOf(Applied.class);
    }

    @Test
    void anUninstalledGatewayIsNotRevivedByAnOlderHealthyOfTheSameProcess() {
        Status uninstalled = StatusFold.foldAll(null, List.of(
                installer(GLM, 1, "cluster1", "1-24", "UNINSTALLED_GATEWAY", "g1", "installer-0", 1, 5)));

        FoldOutcome outcome = StatusFold.fold(uninstalled,
                installer(GLM, 1, "cluster1", "1-24", "HEALTHY", "g1", "installer-0", 1, 4));

        assertThat(outcome).isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo(Reason.DUPLICATE));
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
