package dev.meshfleet.installer.diff;

import static dev.meshfleet.installer.Fixtures.GLM;
import static dev.meshfleet.installer.Fixtures.ILM;
import static dev.meshfleet.installer.Fixtures.inventory;
import static dev.meshfleet.installer.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;

class ApplyOrderTest {
    private static final ObjectRef SERVICE = new ObjectRef("v1", "Service", "istio-ingress", "istio-ingressgateway");
    private static final ObjectRef GW24 = new ObjectRef("apps/v1", "Deployment", "istio-ingress",
            "istio-ingressgateway-1-24");
    private static final ObjectRef GW25 = new ObjectRef("apps/v1", "Deployment", "istio-ingress",
            "istio-ingressgateway-1-25");

    @Test
    void theRevisionTakingTheGatewayServiceOverIsAppliedBeforeTheOneGivingItUp() {
        Plan deactivate = plan(GLM, "1-24", "1.24.2", "h24b");
        Plan activate = plan(GLM, "1-25", "1.25.0", "h25b");
        Inventory was24 = inventory(GLM, "1-24", "1.24.2", "h24a", GW24, SERVICE);
        Inventory was25 = inventory(GLM, "1-25", "1.25.0", "h25a", GW25);
        List<Action> diff = InstallationDiff.diff(List.of(deactivate, activate), List.of(was24, was25));
        assertThat(diff).extracting(Action::key).containsExactly(deactivate.key(), activate.key());

        List<Action> ordered = ApplyOrder.order(diff, Map.of(deactivate.key(), Set.of(GW24.identity()),
                activate.key(), Set.of(GW25.identity(), SERVICE.identity())), List.of(was24, was25));

        assertThat(ordered).extracting(Action::key).containsExactly(activate.key(), deactivate.key());
    }

    @Test
    void controlPlanesStayBeforeGatewaysAndRemovalsLast() {
        Plan gateway = plan(GLM, "1-25", "1.25.0", "g1");
        Plan controlPlane = plan(ILM, "1-25", "1.25.0", "c1");
        Inventory gone = inventory(GLM, "1-23", "1.23.0", "g0", SERVICE);
        List<Action> diff = InstallationDiff.diff(List.of(gateway, controlPlane), List.of(gone));

        List<Action> ordered = ApplyOrder.order(diff, Map.of(gateway.key(), Set.of(SERVICE.identity()),
                controlPlane.key(), Set.of()), List.of(gone));

        assertThat(ordered).extracting(Action::key).containsExactly(controlPlane.key(), gateway.key(), gone.key());
    }

    @Test
    void aPeeredControllersPeeringInstallationComesAfterItsControlPlaneBeforeGatewaysAndIsRemovedBeforeIt() {
        Plan peering = Fixtures.peering(Fixtures.SMC, "1.28.1", "p1");
        Plan controlPlane = Fixtures.controlPlane(Fixtures.SMC, "1.28.1", "c1");
        Plan gateway = plan(GLM, "", "1.28.1", "g1");
        // The diff keeps the plans' order among control planes: the peering plan listed first stays first there.
        List<Action> diff = InstallationDiff.diff(List.of(gateway, peering, controlPlane), List.of());

        List<Action> ordered = ApplyOrder.order(diff, Map.of(), List.of());

        assertThat(ordered).extracting(Action::key).containsExactly(controlPlane.key(), peering.key(), gateway.key());

        Inventory peeringWas = inventory(Fixtures.SMC, "peering", "", "p0", Fixtures.EASTWEST);
        Inventory controlPlaneWas = inventory(Fixtures.SMC, "", "1.28.1", "c0", new ObjectRef("apps/v1", "Deployment",
                "istio-system", "istiod"));
        Inventory gatewayWas = inventory(GLM, "", "1.28.1", "g0", GW24);
        List<Action> removals = ApplyOrder.order(InstallationDiff.diff(List.of(), List.of(controlPlaneWas, peeringWas,
                gatewayWas)), Map.of(), List.of(controlPlaneWas, peeringWas, gatewayWas));

        assertThat(removals).extracting(Action::key).containsExactly(gatewayWas.key(), peeringWas.key(),
                controlPlaneWas.key());
    }
}
