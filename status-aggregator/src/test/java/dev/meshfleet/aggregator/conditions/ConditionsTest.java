package dev.meshfleet.aggregator.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.meshfleet.aggregator.fold.ClusterEntry;
import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.schemas.state.InstallationState;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The table: which folded states make Ready, Progressing and Degraded (and kstatus' Reconciling and Stalled) True, with
 * which reason, for one cluster and for a thousand. Each row is (type, status, reason), in the order written.
 */
class ConditionsTest {
    static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane", "uid-1");
    static final Owner GLM = new Owner(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "ingress", "uid-2");
    static final Instant CREATED = Instant.parse("2026-11-30T08:00:00Z");
    static final long T1 = Instant.parse("2026-11-30T08:01:00Z").toEpochMilli();
    static final long T2 = Instant.parse("2026-11-30T08:02:00Z").toEpochMilli();

    /** A status of {@code owner}: cluster "cluster<i>" gets states[i] under revision 1-24, event time T1. */
    static Status status(Owner owner, boolean deleted, String... states) {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        for (int i = 0; i < states.length; i++) {
            clusters.put("cluster" + i, entry(owner, states[i], "", T1));
        }
        return new Status(owner, 4, clusters, deleted);
    }

    static ClusterEntry entry(Owner owner, String state, String message, long time) {
        TreeMap<String, Installation> installations = new TreeMap<>();
        installations.put("1-24", new Installation(InstallationState.of(owner.kind(), state), message, "1-24", null, 4,
                "h", "installer/installer-0", 1, 1, time, true));
        return new ClusterEntry(installations, 1);
    }

    /** n times state, then the rest. */
    static String[] fleet(int n, String state, String... rest) {
        String[] states = new String[n + rest.length];
        java.util.Arrays.fill(states, 0, n, state);
        System.arraycopy(rest, 0, states, n, rest.length);
        return states;
    }

    static List<Condition> of(Status status) {
        return Conditions.of(status, List.of(), CREATED);
    }

    @Test
    void everyInstallationHealthyIsReadyAndNothingElse() {
        assertThat(of(status(ILM, false, "HEALTHY", "HEALTHY", "HEALTHY")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(tuple("Ready", true, "Healthy"), tuple("Progressing", false, "Settled"),
                        tuple("Degraded", false, "NoFailures"), tuple("Reconciling", false, "Settled"),
                        tuple("Stalled", false, "NotStalled"));
    }

    @Test
    void oneFailedClusterOfAThousandMakesTheResourceDegradedAndStalledAndNotReady() {
        List<Condition> conditions = of(status(ILM, false, fleet(999, "HEALTHY", "CONTROL_PLANE_INSTALL_FAILED")));

        assertThat(conditions).extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(tuple("Ready", false, "ControlPlaneInstallFailed"), tuple("Progressing", false, "Settled"),
                        tuple("Degraded", true, "ControlPlaneInstallFailed"), tuple("Reconciling", false, "Settled"),
                        tuple("Stalled", true, "ControlPlaneInstallFailed"));
        assertThat(conditions.get(0).message())
                .isEqualTo("999 of 1000 installations HEALTHY; 1 CONTROL_PLANE_INSTALL_FAILED: cluster999/1-24");
    }

    @Test
    void anUnreachableClusterIsDegradedButWhileAnotherInstallsNothingIsStalled() {
        assertThat(of(status(ILM, false, fleet(998, "HEALTHY", "INSTALLING_CONTROL_PLANE", "UNKNOWN"))))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(tuple("Ready", false, "ClusterUnreachable"),
                        tuple("Progressing", true, "InstallingControlPlane"), tuple("Degraded", true, "ClusterUnreachable"),
                        tuple("Reconciling", true, "InstallingControlPlane"),
                        tuple("Stalled", false, "InstallingControlPlane"));
    }

    @Test
    void aPersonToActAndAnUnhealthyClusterAreDegradedByTheMostSevere() {
        assertThat(of(status(ILM, false, "HEALTHY", "UNHEALTHY", "ACTION_REQUIRED")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .contains(tuple("Ready", false, "ActionRequired"), tuple("Degraded", true, "ActionRequired"),
                        tuple("Stalled", true, "ActionRequired"));
    }

    @Test
    void aClusterNotRegisteredYetIsProgressingNotDegraded() {
        assertThat(of(status(ILM, false, "HEALTHY", "PENDING")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(tuple("Ready", false, "Pending"), tuple("Progressing", true, "Pending"),
                        tuple("Degraded", false, "NoFailures"), tuple("Reconciling", true, "Pending"),
                        tuple("Stalled", false, "Pending"));
    }

    @Test
    void aGatewayWaitingForItsControlPlaneIsProgressing() {
        assertThat(of(status(GLM, false, "NO_CONTROL_PLANE_AVAILABLE", "INSTALLING_GATEWAY")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .contains(tuple("Ready", false, "InstallingGateway"), tuple("Progressing", true, "InstallingGateway"),
                        tuple("Degraded", false, "NoFailures"));
        assertThat(of(status(GLM, false, "NO_CONTROL_PLANE_AVAILABLE", "HEALTHY")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .contains(tuple("Ready", false, "NoControlPlaneAvailable"),
                        tuple("Progressing", true, "NoControlPlaneAvailable"));
    }

    @Test
    void nothingReportedYetIsPendingAndProgressing() {
        List<Condition> conditions = of(status(ILM, false));

        assertThat(conditions).extracting(Condition::type, Condition::status, Condition::reason)
                .containsExactly(tuple("Ready", false, "Pending"), tuple("Progressing", true, "Pending"),
                        tuple("Degraded", false, "NoFailures"), tuple("Reconciling", true, "Pending"),
                        tuple("Stalled", false, "Pending"));
        assertThat(conditions).extracting(Condition::lastTransitionTime).containsOnly(CREATED);
    }

    @Test
    void anUninstalledLeftoverDoesNotHideThatTheRestIsReady() {
        assertThat(of(status(ILM, false, "HEALTHY", "UNINSTALLED_CONTROL_PLANE")).get(0))
                .extracting(Condition::status, Condition::reason, Condition::message)
                .containsExactly(true, "Healthy", "1 of 1 installation HEALTHY");
    }

    @Test
    void aDeletedResourceIsNotReadyAndProgressesUntilEverythingIsUninstalled() {
        assertThat(of(status(ILM, true, "UNINSTALLING_CONTROL_PLANE", "UNINSTALLED_CONTROL_PLANE")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .contains(tuple("Ready", false, "Deleting"), tuple("Progressing", true, "UninstallingControlPlane"));
        assertThat(of(status(ILM, true, "UNINSTALLED_CONTROL_PLANE", "UNINSTALLED_CONTROL_PLANE")))
                .extracting(Condition::type, Condition::status, Condition::reason)
                .contains(tuple("Ready", false, "Deleting"), tuple("Progressing", false, "Settled"));
    }

    @Test
    void theTransitionTimeIsTheNewestEventsAndStaysWhileTheStatusStays() {
        Instant t0 = Instant.parse("2026-11-30T07:00:00Z");
        List<Condition> before = List.of(new Condition("Ready", false, "InstallingControlPlane", "", 3, t0),
                new Condition("Progressing", true, "InstallingControlPlane", "", 3, t0),
                new Condition("Degraded", false, "NoFailures", "", 3, t0));
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        clusters.put("cluster1", entry(ILM, "HEALTHY", "", T1));
        clusters.put("cluster2", entry(ILM, "HEALTHY", "", T2));

        List<Condition> after = Conditions.of(new Status(ILM, 4, clusters, false), before, CREATED);

        assertThat(after).extracting(Condition::type, Condition::lastTransitionTime, Condition::observedGeneration)
                .containsExactly(tuple("Ready", Instant.ofEpochMilli(T2), 4L),
                        tuple("Progressing", Instant.ofEpochMilli(T2), 4L), tuple("Degraded", t0, 4L),
                        tuple("Reconciling", Instant.ofEpochMilli(T2), 4L), tuple("Stalled", Instant.ofEpochMilli(T2), 4L));
    }

    @Test
    void aThousandFailingClustersWithLongMessagesGiveOneBoundedMessageNamingTheFirstAndCountingTheRest() {
        TreeMap<String, ClusterEntry> clusters = new TreeMap<>();
        String longMessage = "istiod not ready after 5m0s: ".repeat(40);
        for (int i = 1000; i < 2000; i++) {
            clusters.put("cluster" + i, entry(ILM, "CONTROL_PLANE_INSTALL_FAILED", longMessage, T1));
        }

        String message = of(new Status(ILM, 4, clusters, false)).get(0).message();

        assertThat(message).hasSizeLessThanOrEqualTo(1024)
                .startsWith("0 of 1000 installations HEALTHY; 1000 CONTROL_PLANE_INSTALL_FAILED: cluster1000/1-24 (istiod not ready")
                .endsWith("...), cluster1001/1-24, cluster1002/1-24 and 997 more");
        String short1000 = of(status(ILM, false, fleet(1000, "UNHEALTHY"))).get(0).message();
        assertThat(short1000).isEqualTo("0 of 1000 installations HEALTHY; 1000 UNHEALTHY: cluster0/1-24, cluster1/1-24,"
                + " cluster10/1-24 and 997 more");
    }

    @Test
    void reasonsAreTheCamelCaseStateNamesOfTheKind() {
        assertThat(Conditions.reason(dev.meshfleet.schemas.state.Phase.INSTALLING, ResourceKind.IstioLifecycleManager))
                .isEqualTo("InstallingControlPlane");
        assertThat(Conditions.reason(dev.meshfleet.schemas.state.Phase.INSTALLING, ResourceKind.GatewayLifecycleManager))
                .isEqualTo("InstallingGateway");
        assertThat(Conditions.reason(dev.meshfleet.schemas.state.Phase.UNKNOWN, ResourceKind.GatewayLifecycleManager))
                .isEqualTo("ClusterUnreachable");
    }
}
