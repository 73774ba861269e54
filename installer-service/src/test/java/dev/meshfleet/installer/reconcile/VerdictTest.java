package dev.meshfleet.installer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.schemas.state.Phase;

/**
 * Health timing as a table: (plan, inventory, health, what was reported last, now) to what is
 * reported and what comes next. The plan waits at most 5 minutes; it was applied at T0.
 */
class VerdictTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Plan PLAN = Fixtures.plan(Fixtures.ILM, "1-24", "1.24.2", "h1");
    private static final Inventory APPLIED = new Inventory(Fixtures.ILM, 1, "1-24", "1.24.2", "h1", "{\"applied\":1}",
            true, List.of(Fixtures.deployment("istiod-1-24")), T0, null);
    private static final Inventory WAS_READY = APPLIED.withReadySince(T0.plusSeconds(20));
    private static final Health READY = new Health.Ready();
    private static final Health NOT_READY = new Health.NotReady(List.of("Deployment istio-system/istiod-1-24: replicas"
            + " ready 0/1, available 0/1, updated 1/1"));

    private static LastReport reported(Phase phase, String message, Instant since) {
        return new LastReport(Fixtures.ILM, 1, "h1", phase, message, "{\"before\":1}", since);
    }

    @Test
    void readyWorkloadsAreHealthyWithTheAppliedSpecAsObservedAndRecordReadySinceOnce() {
        assertThat(Verdict.decide(PLAN, APPLIED, READY, reported(Phase.INSTALLING, "waiting", T0), T0.plusSeconds(3),
                POLL)).isEqualTo(new Verdict(Phase.HEALTHY, "", "{\"applied\":1}", true, null, null));
        assertThat(Verdict.decide(PLAN, WAS_READY, READY, reported(Phase.HEALTHY, "", T0), T0.plusSeconds(60), POLL))
                .as("readySince is written once per plan").isEqualTo(
                        new Verdict(Phase.HEALTHY, "", "{\"applied\":1}", false, null, null));
    }

    @Test
    void notReadyWhileInstallingKeepsWaitingFromWhenThisProcessBeganWithAGrowingPoll() {
        Verdict v = Verdict.decide(PLAN, APPLIED, NOT_READY, reported(Phase.INSTALLING, "applying", T0.plusSeconds(2)),
                T0.plusSeconds(2).plusMillis(400), POLL);
        assertThat(v).isEqualTo(new Verdict(Phase.INSTALLING, "waiting for Deployments and DaemonSets to become ready",
                "{\"before\":1}", false, T0.plusSeconds(2), Duration.ofMillis(400)));
    }

    @Test
    void aPeeringInstallationWaitingForItsEastWestGatewaySaysWhichAndWhatFor() {
        Health gateway = new Health.NotReady(List.of("Gateway istio-eastwest/istio-eastwest: Programmed is False"),
                "Gateway istio-eastwest/istio-eastwest to be Programmed with an address in status.addresses:"
                        + " Programmed is False");
        Verdict v = Verdict.decide(PLAN, APPLIED, gateway, reported(Phase.INSTALLING, "applying", T0), T0.plusSeconds(1),
                POLL);
        assertThat(v.phase()).isEqualTo(Phase.INSTALLING);
        assertThat(v.message()).isEqualTo("waiting for Gateway istio-eastwest/istio-eastwest to be Programmed with an"
                + " address in status.addresses: Programmed is False");
    }

    @Test
    void notReadyAfterTheWaitTimeoutFailsNamingWhatIsNotReady() {
        Verdict v = Verdict.decide(PLAN, APPLIED, NOT_READY, reported(Phase.INSTALLING, "waiting", T0),
                T0.plus(Duration.ofMinutes(5)), POLL);
        assertThat(v).isEqualTo(new Verdict(Phase.INSTALL_FAILED, "not ready within 300s"
                + " (istioController.waitForResourcesTimeout): Deployment istio-system/istiod-1-24: replicas ready 0/1,"
                + " available 0/1, updated 1/1", "{\"applied\":1}", false, null, null));
    }

    @Test
    void aFailedInstallationStaysFailedWithItsMessageUntilItIsReady() {
        assertThat(Verdict.decide(PLAN, APPLIED, NOT_READY, reported(Phase.INSTALL_FAILED, "not ready within 300s", T0),
                T0.plusSeconds(600), POLL)).isEqualTo(new Verdict(Phase.INSTALL_FAILED, "not ready within 300s",
                        "{\"applied\":1}", false, null, null));
    }

    @Test
    void notReadyAfterHavingBeenHealthyIsUnhealthyAndPolledAtTheConfiguredPeriod() {
        assertThat(Verdict.decide(PLAN, APPLIED, NOT_READY, reported(Phase.HEALTHY, "", T0), T0.plusSeconds(900), POLL))
                .isEqualTo(new Verdict(Phase.UNHEALTHY, "workloads not ready: Deployment istio-system/istiod-1-24:"
                        + " replicas ready 0/1, available 0/1, updated 1/1", "{\"applied\":1}", false, null, POLL));
    }

    @Test
    void afterARestartTheInventoryDecidesBrokenOrStillComingUpAndTimesFromTheApply() {
        assertThat(Verdict.decide(PLAN, WAS_READY, NOT_READY, null, T0.plusSeconds(900), POLL).phase())
                .as("it was ready once: broken").isEqualTo(Phase.UNHEALTHY);
        Verdict comingUp = Verdict.decide(PLAN, APPLIED, NOT_READY, null, T0.plusSeconds(30), POLL);
        assertThat(comingUp).isEqualTo(new Verdict(Phase.INSTALLING, "waiting for Deployments and DaemonSets to"
                + " become ready", null, false, T0, POLL));
        assertThat(Verdict.decide(PLAN, APPLIED, NOT_READY, null, T0.plusSeconds(301), POLL).phase())
                .as("the timeout runs from the apply, not from the restart").isEqualTo(Phase.INSTALL_FAILED);
    }

    @Test
    void anUpdateAndADriftRepairStayWhatTheyAreWhileTheyWait() {
        assertThat(Verdict.decide(PLAN, WAS_READY, NOT_READY, reported(Phase.UPDATING, "applying charts", T0),
                T0.plusSeconds(1), POLL).phase()).isEqualTo(Phase.UPDATING);
        Verdict repair = Verdict.decide(PLAN, WAS_READY, NOT_READY,
                reported(Phase.RECONCILING, "repairing drift: Deployment istio-system/istiod-1-24 was deleted", T0),
                T0.plusSeconds(1), POLL);
        assertThat(repair).isEqualTo(new Verdict(Phase.RECONCILING, "repairing drift: Deployment"
                + " istio-system/istiod-1-24 was deleted", "{\"applied\":1}", false, T0, POLL));
    }

    @Test
    void whatWasReportedForAnotherPlanDoesNotCountAsProgressOfThisOne() {
        LastReport otherPlan = new LastReport(Fixtures.ILM, 1, "h0", Phase.INSTALL_FAILED, "refused", "{\"before\":1}",
                T0);
        Verdict v = Verdict.decide(PLAN, APPLIED, NOT_READY, otherPlan, T0.plusSeconds(10), POLL);
        assertThat(v.phase()).isEqualTo(Phase.INSTALLING);
        assertThat(v.waitingSince()).as("timed from the apply").isEqualTo(T0);
    }
}
