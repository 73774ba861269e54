package dev.meshfleet.aggregator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.schemas.state.IlmState;
import dev.meshfleet.schemas.v1.ResourceKind;

class EventCorrelatorTest {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", "uid-1");
    static final long NOW = Instant.parse("2026-11-30T09:00:00Z").toEpochMilli();

    static List<Transition> clusters(int from, int to, String before, IlmState state, long time) {
        List<Transition> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.add(new Transition("cluster" + i + "/1-24", before, state, "", time));
        }
        return all;
    }

    @Test
    void aThousandClustersReachingHealthyInOneWriteAreOneEventCountingThemAll() {
        EventCorrelator correlator = new EventCorrelator(10, 4096);

        List<EventRecord> written = correlator.record(ILM,
                clusters(0, 1000, "INSTALLING_CONTROL_PLANE", IlmState.HEALTHY, 5_000), NOW);

        assertThat(written).extracting(EventRecord::reason, EventRecord::type, EventRecord::count, EventRecord::message)
                .containsExactly(tuple("Healthy", "Normal", 1000L,
                        "1000 installations -> HEALTHY: cluster0/1-24, cluster1/1-24, cluster2/1-24 and 997 more"));
    }

    @Test
    void theSameKindOfTransitionLaterAddsToTheCountOfTheSameEventKeepingItsFirstTime() {
        EventCorrelator correlator = new EventCorrelator(10, 4096);
        EventRecord first = correlator.record(ILM, clusters(0, 1, "INSTALLING_CONTROL_PLANE", IlmState.HEALTHY, 5_000), NOW)
                .get(0);

        EventRecord second = correlator.record(ILM, clusters(1, 3, "INSTALLING_CONTROL_PLANE", IlmState.HEALTHY, 9_000),
                NOW + 1_000).get(0);

        assertThat(first.message()).isEqualTo("cluster0/1-24: INSTALLING_CONTROL_PLANE -> HEALTHY");
        assertThat(second.name()).isEqualTo(first.name());
        assertThat(second).extracting(EventRecord::count, EventRecord::first, EventRecord::last)
                .containsExactly(3L, Instant.ofEpochMilli(5_000), Instant.ofEpochMilli(9_000));
    }

    @Test
    void eachKindOfTransitionIsItsOwnEventAndAFailureIsAWarningWithItsMessage() {
        EventCorrelator correlator = new EventCorrelator(10, 4096);
        List<Transition> mixed = new ArrayList<>(clusters(0, 2, "", IlmState.INSTALL_PENDING, 1_000));
        mixed.add(new Transition("cluster7/1-24", "INSTALLING_CONTROL_PLANE", IlmState.CONTROL_PLANE_INSTALL_FAILED,
                "istiod not ready after 5m0s", 2_000));

        List<EventRecord> written = correlator.record(ILM, mixed, NOW);

        assertThat(written).extracting(EventRecord::reason, EventRecord::type, EventRecord::count, EventRecord::message)
                .containsExactly(
                        tuple("ControlPlaneInstallFailed", "Warning", 1L,
                                "cluster7/1-24: INSTALLING_CONTROL_PLANE -> CONTROL_PLANE_INSTALL_FAILED (istiod not ready after 5m0s)"),
                        tuple("InstallPending", "Normal", 2L,
                                "2 installations -> INSTALL_PENDING: cluster0/1-24, cluster1/1-24"));
        assertThat(written.get(0).name()).isNotEqualTo(written.get(1).name());
    }

    @Test
    void beyondTheCapPerMinuteChangesAreHeldWithTheirCountsAndWrittenWhenTheMinuteAllowsWarningsFirst() {
        EventCorrelator correlator = new EventCorrelator(2, 4096);
        // A flapping cluster: 30 writes in 30 seconds, alternating UNHEALTHY and HEALTHY.
        int written = 0;
        for (int i = 0; i < 30; i++) {
            IlmState state = i % 2 == 0 ? IlmState.UNHEALTHY : IlmState.HEALTHY;
            written += correlator.record(ILM, List.of(new Transition("cluster1/1-24", "", state, "", 1_000 + i)),
                    NOW + i * 1_000L).size();
        }
        assertThat(written).as("Event writes in the first minute").isEqualTo(2);
        assertThat(correlator.held()).isEqualTo(2);
        assertThat(correlator.due(NOW + 59_999)).as("still inside the minute of the first write").isEmpty();

        assertThat(correlator.due(NOW + 60_000)).as("the first write left the minute: room for one, the Warning")
                .extracting(EventRecord::reason, EventRecord::count).containsExactly(tuple("Unhealthy", 15L));
        assertThat(correlator.due(NOW + 61_000)).extracting(EventRecord::reason, EventRecord::count)
                .containsExactly(tuple("Healthy", 15L));
        assertThat(correlator.held()).isZero();
    }

    @Test
    void aReCreatedResourceStartsItsOwnEventsAndOldResourcesAreForgottenBeyondTheBound() {
        EventCorrelator correlator = new EventCorrelator(10, 2);
        EventRecord before = correlator.record(ILM, clusters(0, 1, "", IlmState.HEALTHY, 1_000), NOW).get(0);
        Owner recreated = new Owner(ILM.kind(), ILM.namespace(), ILM.name(), "uid-2");

        EventRecord after = correlator.record(recreated, clusters(0, 1, "", IlmState.HEALTHY, 2_000), NOW).get(0);

        assertThat(after.name()).isNotEqualTo(before.name()).startsWith("istiod-control-plane.");
        assertThat(after.count()).isEqualTo(1);
        correlator.record(new Owner(ILM.kind(), "other", "x", "uid-3"), clusters(0, 1, "", IlmState.HEALTHY, 3_000), NOW);
        assertThat(correlator.record(ILM, clusters(0, 1, "", IlmState.HEALTHY, 4_000), NOW).get(0).count())
                .as("uid-1 was the eldest of three resources with room for two: its count starts over").isEqualTo(1);
    }
}
