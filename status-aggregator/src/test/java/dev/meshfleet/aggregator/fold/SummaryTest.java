package dev.meshfleet.aggregator.fold;

import static dev.meshfleet.aggregator.fold.Events.GLM;
import static dev.meshfleet.aggregator.fold.Events.ILM;
import static dev.meshfleet.aggregator.fold.Events.installer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.state.Phase;

class SummaryTest {

    /** One installation per state, each in its own cluster, in the given order. */
    private static Summary summaryOf(Owner owner, String... states) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            events.add(installer(owner, 1, "cluster" + i, "1-24", states[i], "h1", "installer-0", 1, i + 1));
        }
        return StatusFold.foldAll(Status.empty(owner), events).summary();
    }

    @Test
    void allHealthyIsHealthyWithEveryInstallationCounted() {
        assertThat(summaryOf(ILM, "HEALTHY", "HEALTHY", "HEALTHY")).isEqualTo(new Summary("HEALTHY", 3, 3));
        assertThat(new Summary("HEALTHY", 3, 3).healthyOfTotal()).isEqualTo("3/3");
    }

    @Test
    void allUninstalledIsTheUninstalledStateOfTheKind() {
        assertThat(summaryOf(ILM, "UNINSTALLED_CONTROL_PLANE", "UNINSTALLED_CONTROL_PLANE"))
                .isEqualTo(new Summary("UNINSTALLED_CONTROL_PLANE", 0, 2));
        assertThat(summaryOf(GLM, "UNINSTALLED_GATEWAY")).isEqualTo(new Summary("UNINSTALLED_GATEWAY", 0, 1));
    }

    @Test
    void uninstalledLeftoversDoNotHideTheHealthOfTheRest() {
        assertThat(summaryOf(ILM, "HEALTHY", "UNINSTALLED_CONTROL_PLANE")).isEqualTo(new Summary("HEALTHY", 1, 2));
    }

    @Test
    void theMostSevereStatePresentNamesTheSummary() {
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING", "INSTALLING_CONTROL_PLANE", "UNKNOWN", "UNHEALTHY",
                "ACTION_REQUIRED", "CONTROL_PLANE_INSTALL_FAILED").state()).isEqualTo("CONTROL_PLANE_INSTALL_FAILED");
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING", "INSTALLING_CONTROL_PLANE", "UNKNOWN", "UNHEALTHY",
                "ACTION_REQUIRED").state()).isEqualTo("ACTION_REQUIRED");
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING", "INSTALLING_CONTROL_PLANE", "UNKNOWN", "UNHEALTHY").state())
                .isEqualTo("UNHEALTHY");
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING", "INSTALLING_CONTROL_PLANE", "UNKNOWN").state())
                .isEqualTo("UNKNOWN");
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING", "INSTALLING_CONTROL_PLANE").state())
                .isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(summaryOf(ILM, "HEALTHY", "PENDING")).isEqualTo(new Summary("PENDING", 1, 2));
        assertThat(summaryOf(GLM, "HEALTHY", "NO_CONTROL_PLANE_AVAILABLE", "INSTALLING_GATEWAY").state())
                .isEqualTo("INSTALLING_GATEWAY");
    }

    @Test
    void aStatusWithoutInstallationsIsPending() {
        assertThat(Status.empty(GLM).summary()).isEqualTo(new Summary("PENDING", 0, 0));
    }

    @Test
    void everyPhaseHasASeverity() {
        assertThat(Summary.SEVERITY).containsExactlyInAnyOrder(Phase.values());
    }
}
