package dev.meshfleet.sandbox.history;

import static dev.meshfleet.sandbox.history.HistoryTest.V1;
import static dev.meshfleet.sandbox.history.HistoryTest.V2;
import static dev.meshfleet.sandbox.history.HistoryTest.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.history.FleetAt.Observed;
import dev.meshfleet.sandbox.history.History.Change;
import dev.meshfleet.sandbox.history.History.Transition;

/** The fleet at an instant, over records as the topics hold them: the generation in force, the state, retention. */
class FleetAtTest {
    static final String ILM = "IstioLifecycleManager/gloo-mesh/istiod-control-plane";
    static final String GLM = "GatewayLifecycleManager/gloo-mesh/istio-ingressgateway";

    /** generation 1 (1.24.2-solo) at 1 s, HEALTHY on both clusters by 5 s; generation 2 (1.24.3-solo) at 20 s. */
    static final Map<String, List<Change>> CHANGES = Map.of(ILM, List.of(
            new Change("uid-1", 1, false, "m", t(1), V1), new Change("uid-1", 2, false, "m", t(20), V2)));
    static final Map<String, List<Transition>> EVENTS = Map.of(ILM, List.of(
            new Transition(2, "cluster1", "1-24", "HEALTHY", t(24)),
            new Transition(1, "cluster1", "1-24", "INSTALL_PENDING", t(1)),
            new Transition(1, "cluster1", "1-24", "HEALTHY", t(4)),
            new Transition(1, "cluster2", "1-24", "HEALTHY", t(5)),
            new Transition(2, "cluster1", "1-24", "UPDATING_CONTROL_PLANE", t(21))));

    static List<String> rows(FleetAt.View view) {
        return view.installations().stream().map(i -> i.resource() + " " + i.cluster() + " " + i.revision() + " g"
                + i.generation() + " " + FleetReport.tagOf(i) + " " + (i.observed() instanceof Observed.Known k
                        ? k.state() + "@" + k.since() : "DROPPED<" + ((Observed.Dropped) i.observed()).retainedFrom()))
                .toList();
    }

    @Test
    void betweenTheTwoChangesTheOldGenerationAndTagAreInForceAndHealthy() {
        assertThat(rows(FleetAt.at(t(10), CHANGES, EVENTS, Map.of(), Optional.empty()))).containsExactly(
                ILM + " cluster1 1-24 g1 1.24.2-solo HEALTHY@" + t(4),
                ILM + " cluster2 1-24 g1 1.24.2-solo HEALTHY@" + t(5));
    }

    @Test
    void duringAndAfterTheUpgradeTheNewGenerationIsInForceWithEachClustersLastState() {
        assertThat(rows(FleetAt.at(t(22), CHANGES, EVENTS, Map.of(), Optional.empty()))).containsExactly(
                ILM + " cluster1 1-24 g2 1.24.3-solo UPDATING_CONTROL_PLANE@" + t(21),
                ILM + " cluster2 1-24 g2 1.24.3-solo HEALTHY@" + t(5));
        assertThat(rows(FleetAt.at(t(30), CHANGES, EVENTS, Map.of(), Optional.empty()))).containsExactly(
                ILM + " cluster1 1-24 g2 1.24.3-solo HEALTHY@" + t(24),
                ILM + " cluster2 1-24 g2 1.24.3-solo HEALTHY@" + t(5));
    }

    @Test
    void anInstantAtTheExactTimeOfAChangeOrEventIncludesIt() {
        assertThat(rows(FleetAt.at(t(4), CHANGES, EVENTS, Map.of(), Optional.empty())))
                .containsExactly(ILM + " cluster1 1-24 g1 1.24.2-solo HEALTHY@" + t(4));
    }

    @Test
    void beforeTheFirstChangeTheResourceIsNotThere() {
        assertThat(FleetAt.at(t(0), CHANGES, EVENTS, Map.of(), Optional.empty()).installations()).isEmpty();
    }

    @Test
    void oneClusterOnly() {
        assertThat(rows(FleetAt.at(t(10), CHANGES, EVENTS, Map.of(), Optional.of("cluster2"))))
                .containsExactly(ILM + " cluster2 1-24 g1 1.24.2-solo HEALTHY@" + t(5));
    }

    @Test
    void whereRetentionDroppedTheEventsOfTheInstantTheStateIsNotGuessed() {
        // Only the events from 21 s on are left: at 10 s neither cluster's state can be told.
        Map<String, List<Transition>> left = Map.of(ILM, List.of(
                new Transition(2, "cluster1", "1-24", "UPDATING_CONTROL_PLANE", t(21)),
                new Transition(2, "cluster1", "1-24", "HEALTHY", t(24))));
        assertThat(rows(FleetAt.at(t(10), CHANGES, left, Map.of(ILM, t(21)), Optional.empty())))
                .containsExactly(ILM + " cluster1 1-24 g1 1.24.2-solo DROPPED<" + t(21));
        // cluster2's last event (5 s) is gone too: at 30 s cluster1 is known, cluster2 has no event left at all.
        assertThat(rows(FleetAt.at(t(30), CHANGES, left, Map.of(ILM, t(21)), Optional.empty())))
                .containsExactly(ILM + " cluster1 1-24 g2 1.24.3-solo HEALTHY@" + t(24));
    }

    @Test
    void aResourceInForceWhoseEventsAreAllGoneIsOneUnknownRow() {
        assertThat(rows(FleetAt.at(t(10), CHANGES, Map.of(), Map.of(ILM, t(100)), Optional.empty())))
                .containsExactly(ILM + "  " + " g1 1.24.2-solo DROPPED<" + t(100));
    }

    @Test
    void withoutRetentionAnInstallationFirstSeenLaterWasNotThereYet() {
        Map<String, List<Transition>> events = Map.of(ILM, List.of(
                new Transition(1, "cluster1", "1-24", "HEALTHY", t(4)),
                new Transition(2, "cluster3", "1-24", "HEALTHY", t(25))));
        assertThat(rows(FleetAt.at(t(10), CHANGES, events, Map.of(), Optional.empty())))
                .containsExactly(ILM + " cluster1 1-24 g1 1.24.2-solo HEALTHY@" + t(4));
    }

    @Test
    void aDeletedResourceShowsWhileItUninstallsAndIsGoneOnceEveryInstallationIsUninstalled() {
        Map<String, List<Change>> changes = Map.of(GLM, List.of(new Change("uid-g", 1, false, "m", t(1), V1),
                new Change("uid-g", 1, true, "m", t(40), V1)));
        Map<String, List<Transition>> events = Map.of(GLM, List.of(
                new Transition(1, "cluster1", "1-24", "HEALTHY", t(4)),
                new Transition(1, "cluster1", "1-24", "UNINSTALLING_GATEWAY", t(41)),
                new Transition(1, "cluster1", "1-24", "UNINSTALLED_GATEWAY", t(43))));
        FleetAt.View uninstalling = FleetAt.at(t(42), changes, events, Map.of(), Optional.empty());
        assertThat(rows(uninstalling)).containsExactly(GLM + " cluster1 1-24 g1 1.24.2-solo UNINSTALLING_GATEWAY@" + t(41));
        assertThat(uninstalling.installations().get(0).deleted()).isTrue();
        assertThat(FleetAt.at(t(50), changes, events, Map.of(), Optional.empty()).installations()).isEmpty();
    }

    @Test
    void theDiffOfTwoInstantsListsEachInstallationThatChangedWithWhatItWasAndBecame() {
        List<FleetDiff.Difference> d = FleetDiff.between(FleetAt.at(t(10), CHANGES, EVENTS, Map.of(), Optional.empty()),
                FleetAt.at(t(30), CHANGES, EVENTS, Map.of(), Optional.empty()));
        assertThat(d).containsExactly(
                new FleetDiff.Difference(ILM, "cluster1", "1-24", "generation 1 tag 1.24.2-solo HEALTHY",
                        "generation 2 tag 1.24.3-solo HEALTHY"),
                new FleetDiff.Difference(ILM, "cluster2", "1-24", "generation 1 tag 1.24.2-solo HEALTHY",
                        "generation 2 tag 1.24.3-solo HEALTHY"));
        assertThat(FleetDiff.between(FleetAt.at(t(0), CHANGES, EVENTS, Map.of(), Optional.empty()),
                FleetAt.at(t(4), CHANGES, EVENTS, Map.of(), Optional.empty()))).containsExactly(
                new FleetDiff.Difference(ILM, "cluster1", "1-24", "", "generation 1 tag 1.24.2-solo HEALTHY"));
        assertThat(FleetDiff.between(FleetAt.at(t(10), CHANGES, EVENTS, Map.of(), Optional.empty()),
                FleetAt.at(t(11), CHANGES, EVENTS, Map.of(), Optional.empty()))).isEmpty();
    }

    @Test
    void theTableSaysWhereRetentionLeavesTheStateUntold() {
        String table = FleetReport.table(FleetAt.at(t(10), CHANGES, Map.of(), Map.of(ILM, t(100)), Optional.empty()));
        assertThat(table).contains("UNKNOWN").contains(ILM + ": installation events before " + t(100)
                + " were dropped by retention; the state at " + t(10) + " cannot be told");
    }

    @Test
    void theJsonHoldsEachResourcesSpecOnceWithItsInstallations() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                FleetReport.json(FleetAt.at(t(10), CHANGES, EVENTS, Map.of(), Optional.empty())));
        assertThat(json.path("at").asText()).isEqualTo(t(10).toString());
        assertThat(json.path("resources")).hasSize(1);
        var ilm = json.path("resources").get(0);
        assertThat(ilm.path("resource").asText()).isEqualTo(ILM);
        assertThat(ilm.path("generation").asLong()).isEqualTo(1);
        assertThat(ilm.path("spec").path("installations").get(0).path("istioOperatorSpec").path("tag").asText())
                .isEqualTo("1.24.2-solo");
        assertThat(ilm.path("installations")).extracting(n -> n.path("cluster").asText() + " " + n.path("state").asText()
                + " " + n.path("since").asText()).containsExactly("cluster1 HEALTHY " + t(4), "cluster2 HEALTHY " + t(5));
    }

    @Test
    void instantsAreRfc3339OrADurationAgo() {
        Instant now = Instant.parse("2026-11-30T14:05:00Z");
        assertThat(Instants.parse("2026-11-30T12:00:00Z", now)).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
        assertThat(Instants.parse("2026-11-30T13:00:00+01:00", now)).isEqualTo(Instant.parse("2026-11-30T12:00:00Z"));
        assertThat(Instants.parse("-2h", now)).isEqualTo(Instant.parse("2026-11-30T12:05:00Z"));
        assertThat(Instants.parse("-1m30s", now)).isEqualTo(Instant.parse("2026-11-30T14:03:30Z"));
        for (String bad : List.of("yesterday", "2h", "2026-11-30", "-", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Instants.parse(bad, now))
                    .hasMessage("'" + bad + "' is neither an RFC 3339 time such as 2026-11-30T14:05:00Z nor a"
                            + " duration ago such as -2h");
        }
    }
}
