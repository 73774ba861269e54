package dev.meshfleet.installer.diff;

import static dev.meshfleet.installer.Fixtures.GLM;
import static dev.meshfleet.installer.Fixtures.ILM;
import static dev.meshfleet.installer.Fixtures.deployment;
import static dev.meshfleet.installer.Fixtures.inventory;
import static dev.meshfleet.installer.Fixtures.plan;
import static dev.meshfleet.installer.Fixtures.skipValidation;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.Plan;

class InstallationDiffTest {

    @Test
    void aDesiredInstallationWithoutInventoryIsInstalled() {
        Plan p = plan(ILM, "1-24", "1.24.2", "h1");
        assertThat(InstallationDiff.diff(List.of(p), List.of())).containsExactly(new Action.Install(p, null));
    }

    @Test
    void anInstallationWhosePlanHashIsInstalledNeedsNothingButAHealthCheck() {
        Plan p = plan(ILM, "1-24", "1.24.2", "h1");
        Inventory i = inventory(ILM, "1-24", "1.24.2", "h1", deployment("istiod-1-24"));
        assertThat(InstallationDiff.diff(List.of(p), List.of(i))).containsExactly(new Action.InSync(p, i));
    }

    @Test
    void aChangedPlanHashWithThePatchVersionOnlyIsUpgradedInPlace() {
        Plan p = plan(ILM, "1-24", "1.24.3", "h2");
        Inventory i = inventory(ILM, "1-24", "1.24.2", "h1");
        assertThat(InstallationDiff.diff(List.of(p), List.of(i))).containsExactly(new Action.Upgrade(p, i));
    }

    @Test
    void minorInPlaceUpgradeIsRefusedWithoutSkipUpgradeValidation() {
        Plan p = plan(ILM, "stable", "1.25.0", "h2");
        Inventory i = inventory(ILM, "stable", "1.24.2", "h1");
        List<Action> actions = InstallationDiff.diff(List.of(p), List.of(i));
        assertThat(actions).hasSize(1).first().isInstanceOf(Action.Refuse.class);
        assertThat(((Action.Refuse) actions.get(0)).message()).contains("minor", "1.24.2", "1.25.0",
                "skipUpgradeValidation");
    }

    @Test
    void aPeeringInstallationFollowsItsControllersMinorUpgradeInPlace() {
        // Its chart is Meshfleet's Gateways, not istiod: Istio's no-minor-skipped rule is the control plane's.
        Plan p = dev.meshfleet.installer.Fixtures.peering(dev.meshfleet.installer.Fixtures.SMC, "1.29.0", "p2");
        Inventory i = inventory(dev.meshfleet.installer.Fixtures.SMC, "peering", "1.28.1", "p1",
                dev.meshfleet.installer.Fixtures.EASTWEST);
        assertThat(InstallationDiff.diff(List.of(p), List.of(i))).containsExactly(new Action.Upgrade(p, i));
    }

    @Test
    void minorInPlaceUpgradeIsAllowedWithSkipUpgradeValidation() {
        Plan p = skipValidation(plan(ILM, "stable", "1.25.0", "h2"));
        Inventory i = inventory(ILM, "stable", "1.24.2", "h1");
        assertThat(InstallationDiff.diff(List.of(p), List.of(i))).containsExactly(new Action.Upgrade(p, i));
    }

    @Test
    void anInventoryNoLongerDesiredIsRemoved() {
        Inventory i = inventory(ILM, "1-23", "1.23.1", "h0");
        assertThat(InstallationDiff.diff(List.of(), List.of(i))).containsExactly(new Action.Remove(i));
    }

    @Test
    void aPartialFirstInstallIsInstalledAgainWithItsInventoryForPrune() {
        Plan p = plan(ILM, "1-24", "1.24.2", "h1");
        Inventory partial = new Inventory(ILM, 1, "1-24", "", "", null, false, List.of(deployment("istiod-1-24")));
        assertThat(InstallationDiff.diff(List.of(p), List.of(partial))).containsExactly(new Action.Install(p, partial));
    }

    @Test
    void aPartialUpgradeOfTheSamePlanIsAppliedAgain() {
        Plan p = plan(ILM, "1-24", "1.24.3", "h2");
        Inventory partial = new Inventory(ILM, 1, "1-24", "1.24.2", "h1", null, false, List.of());
        assertThat(InstallationDiff.diff(List.of(p), List.of(partial))).containsExactly(new Action.Upgrade(p, partial));
    }

    @Test
    void controlPlanesComeBeforeGatewaysAndGatewaysAreRemovedBeforeControlPlanes() {
        Plan gateway = plan(GLM, "1-24", "1.24.2", "g1");
        Plan controlPlane = plan(ILM, "1-24", "1.24.2", "c1");
        Inventory oldControlPlane = inventory(ILM, "1-23", "1.23.1", "c0");
        Inventory oldGateway = inventory(GLM, "1-23", "1.23.1", "g0");
        List<Action> actions = InstallationDiff.diff(List.of(gateway, controlPlane),
                List.of(oldControlPlane, oldGateway));
        assertThat(actions).containsExactly(new Action.Install(controlPlane, null), new Action.Install(gateway, null),
                new Action.Remove(oldGateway), new Action.Remove(oldControlPlane));
    }

    @Test
    void installationsOfTheSameOwnerAreToldApartByRevision() {
        Plan canary = plan(ILM, "1-25", "1.25.0", "h3");
        Plan stable = plan(ILM, "1-24", "1.24.2", "h1");
        Inventory stableInstalled = inventory(ILM, "1-24", "1.24.2", "h1");
        assertThat(InstallationDiff.diff(List.of(stable, canary), List.of(stableInstalled)))
                .containsExactly(new Action.InSync(stable, stableInstalled), new Action.Install(canary, null));
    }
}
