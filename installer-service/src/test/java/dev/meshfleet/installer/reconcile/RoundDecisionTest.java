package dev.meshfleet.installer.reconcile;

import static dev.meshfleet.installer.Fixtures.GLM;
import static dev.meshfleet.installer.Fixtures.ILM;
import static dev.meshfleet.installer.Fixtures.inventory;
import static dev.meshfleet.installer.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.installer.diff.Action;
import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.reconcile.RoundDecision.Step;
import dev.meshfleet.schemas.state.Phase;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A reconcile round's decisions as a table: (plans, inventories, what each apply renders, what was
 * reported last, resync, drift repair, which cluster calls the API refuses) to the trace of what the
 * round does, in order. The trace is driven here as the reconciler drives it: each apply or uninstall
 * that is not refused is told to the round. Expected traces are written from the rules (installer
 * README, ADRs), not computed.
 */
class RoundDecisionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final ObjectRef CRD = new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
            "gateways.networking.istio.io");
    private static final ObjectRef ISTIOD_24 = deployment("istio-system", "istiod-1-24");
    private static final ObjectRef ISTIOD_25 = deployment("istio-system", "istiod-1-25");
    private static final ObjectRef ISTIOD_23 = deployment("istio-system", "istiod-1-23");
    private static final ObjectRef WEBHOOK_24 = new ObjectRef("admissionregistration.k8s.io/v1",
            "MutatingWebhookConfiguration", "", "istio-sidecar-injector-1-24");
    private static final ObjectRef GW_24 = deployment("istio-ingress", "istio-ingressgateway-1-24");
    private static final ObjectRef GW_25 = deployment("istio-ingress", "istio-ingressgateway-1-25");
    private static final ObjectRef SERVICE = new ObjectRef("v1", "Service", "istio-ingress", "istio-ingressgateway");

    private static ObjectRef deployment(String namespace, String name) {
        return new ObjectRef("apps/v1", "Deployment", namespace, name);
    }

    /** One row: the round's inputs and what the API refuses (the apply or uninstall of these keys). */
    record Row(List<Plan> plans, List<Inventory> inventories, Map<InstallationKey, List<ObjectRef>> renders,
            Map<InstallationKey, LastReport> reported, boolean resync, boolean repairDrift, Set<InstallationKey> refused) {

        static Row of(List<Plan> plans, List<Inventory> inventories, Map<InstallationKey, List<ObjectRef>> renders) {
            return new Row(plans, inventories, renders, Map.of(), false, false, Set.of());
        }

        Row reported(Map<InstallationKey, LastReport> r) {
            return new Row(plans, inventories, renders, r, resync, repairDrift, refused);
        }

        Row resync(boolean repair) {
            return new Row(plans, inventories, renders, reported, true, repair, refused);
        }

        Row refusing(InstallationKey... keys) {
            return new Row(plans, inventories, renders, reported, resync, repairDrift, Set.of(keys));
        }
    }

    /** Drives one round as the reconciler does and writes down what it decided. */
    private static List<String> trace(Row row) {
        Map<InstallationKey, Set<String>> identities = new LinkedHashMap<>();
        for (Plan p : RoundDecision.toApply(row.plans(), row.inventories())) {
            identities.put(p.key(), row.renders().getOrDefault(p.key(), List.of()).stream().map(ObjectRef::identity)
                    .collect(Collectors.toSet()));
        }
        RoundDecision round = RoundDecision.start("c1", row.plans(), row.inventories(), identities, row.reported(),
                row.resync(), row.repairDrift());
        Map<InstallationKey, LastReport> reported = new LinkedHashMap<>(row.reported());
        List<String> trace = new ArrayList<>();
        for (Action action : round.order()) {
            Step step = round.step(action);
            if (step instanceof Step.Apply a) {
                String what = (a.upgrade() ? "upgrade " : "install ") + a.plan().key()
                        + (a.announce() ? "" : " (no progress states)");
                if (row.refused().contains(a.plan().key())) {
                    trace.add(what + ": refused");
                    continue;
                }
                List<ObjectRef> applied = row.renders().get(a.plan().key());
                RoundDecision.Prune prune = round.prune(a.plan().key(), a.current(), applied);
                round = round.applied(RoundDecision.inventory(a.plan(), applied, prune, T0));
                trace.add(what + ", delete " + prune.delete() + ", hand over " + prune.handedOver());
            } else if (step instanceof Step.AwaitResync w) {
                trace.add("wait for the resync: " + w.plan().key());
            } else if (step instanceof Step.Report r) {
                trace.add("report " + r.report().key() + " " + r.report().phase());
            } else if (step instanceof Step.Check c) {
                trace.add("check " + c.plan().key() + (c.repairDrift() ? " after repairing drift" : ""));
            } else if (step instanceof Step.Uninstall u) {
                String what = "uninstall " + u.inventory().key() + " (generation " + u.generation() + "), delete "
                        + u.delete();
                if (row.refused().contains(u.inventory().key())) {
                    trace.add(what + ": refused");
                    continue;
                }
                round = round.uninstalled(u.inventory().key());
                reported.remove(u.inventory().key());
                trace.add(what);
            }
        }
        for (RoundDecision.Forget f : round.forget(reported)) {
            trace.add("forget " + f.key() + (f.report() == null ? "" : ", reporting " + f.report().phase()));
        }
        return trace;
    }

    private static Plan ilm(String revision, String hash) {
        return plan(ILM, revision, "1." + revision.substring(2) + ".0", hash);
    }

    private static Plan glm(String revision, String hash) {
        return plan(GLM, revision, "1." + revision.substring(2) + ".0", hash);
    }

    private static Inventory ilmInventory(String revision, String hash, ObjectRef... objects) {
        return inventory(ILM, revision, "1." + revision.substring(2) + ".0", hash, objects);
    }

    private static Inventory glmInventory(String revision, String hash, ObjectRef... objects) {
        return inventory(GLM, revision, "1." + revision.substring(2) + ".0", hash, objects);
    }

    private static LastReport last(Plan plan, Phase phase) {
        return new LastReport(plan.owner(), plan.generation(), plan.planHash(), phase, "", null, T0);
    }

    /** What was reported, in the order it was first reported (as the reconciler keeps it). */
    private static Map<InstallationKey, LastReport> inOrder(InstallationKey k1, LastReport v1, InstallationKey k2,
            LastReport v2) {
        Map<InstallationKey, LastReport> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static Stream<Arguments> rounds() {
        Plan ilm24 = ilm("1-24", "c24");
        Plan ilm25 = ilm("1-25", "c25");
        Plan glm24 = glm("1-24", "g24b");
        Plan glm25 = glm("1-25", "g25b");
        InstallationKey ilm23Key = new InstallationKey(ILM.key(), "1-23");
        InstallationKey glm22Key = new InstallationKey(GLM.key(), "1-22");
        // Moving activeGateway from 1-24 to 1-25: both gateways change plan, the Service changes hands.
        Row handover = Row.of(List.of(ilm24, ilm25, glm24, glm25),
                List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24), ilmInventory("1-25", "c25", CRD, ISTIOD_25),
                        glmInventory("1-24", "g24a", GW_24, SERVICE), glmInventory("1-25", "g25a", GW_25)),
                Map.of(glm24.key(), List.of(GW_24), glm25.key(), List.of(GW_25, SERVICE)));
        return Stream.of(
                Arguments.of("a fresh cluster: the control plane, then the gateway it serves",
                        Row.of(List.of(glm24, ilm24), List.of(),
                                Map.of(ilm24.key(), List.of(CRD, ISTIOD_24), glm24.key(), List.of(GW_24))),
                        List.of("install " + ilm24.key() + ", delete [], hand over []",
                                "install " + glm24.key() + ", delete [], hand over []")),
                Arguments.of("a gateway whose control plane's apply was refused in the same round waits for it",
                        Row.of(List.of(glm24, ilm24), List.of(),
                                Map.of(ilm24.key(), List.of(CRD, ISTIOD_24), glm24.key(), List.of(GW_24)))
                                .refusing(ilm24.key()),
                        List.of("install " + ilm24.key() + ": refused",
                                "report " + glm24.key() + " NO_CONTROL_PLANE_AVAILABLE")),
                Arguments.of("the revision taking the gateway Service over applies first; the other keeps nothing of it",
                        handover,
                        List.of("check " + ilm24.key(), "check " + ilm25.key(),
                                "upgrade " + glm25.key() + ", delete [], hand over []",
                                "upgrade " + glm24.key() + ", delete [], hand over []")),
                Arguments.of("when the taker's apply is refused, the giver keeps the Service listed instead of deleting it",
                        handover.refusing(glm25.key()),
                        List.of("check " + ilm24.key(), "check " + ilm25.key(),
                                "upgrade " + glm25.key() + ": refused",
                                "upgrade " + glm24.key() + ", delete [], hand over [Service istio-ingress/istio-ingressgateway]")),
                Arguments.of("an upgrade prunes what it no longer renders, but not what another inventory lists",
                        Row.of(List.of(ilm24, ilm25),
                                List.of(ilmInventory("1-24", "c24old", CRD, ISTIOD_24, WEBHOOK_24),
                                        ilmInventory("1-25", "c25", CRD, ISTIOD_25)),
                                Map.of(ilm24.key(), List.of(ISTIOD_24))),
                        List.of("upgrade " + ilm24.key()
                                + ", delete [MutatingWebhookConfiguration istio-sidecar-injector-1-24], hand over []",
                                "check " + ilm25.key())),
                Arguments.of("a plan gone: its installation is uninstalled under the newest generation seen, the shared"
                        + " base layer kept",
                        Row.of(List.of(ilm24), List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24),
                                ilmInventory("1-23", "c23", CRD, ISTIOD_23)), Map.of())
                                .reported(Map.of(ilm23Key, new LastReport(ILM, 3, "c23", Phase.HEALTHY, "", null, T0))),
                        List.of("check " + ilm24.key(),
                                "uninstall " + ilm23Key + " (generation 3), delete [Deployment istio-system/istiod-1-23]")),
                Arguments.of("two control planes gone: the shared base layer goes with the last one listing it",
                        Row.of(List.of(), List.of(ilmInventory("1-23", "c23", CRD, ISTIOD_23),
                                ilmInventory("1-24", "c24", CRD, ISTIOD_24)), Map.of()),
                        List.of("uninstall " + ilm23Key + " (generation 1), delete [Deployment istio-system/istiod-1-23]",
                                "uninstall " + ilm24.key() + " (generation 1), delete [CustomResourceDefinition "
                                        + "gateways.networking.istio.io, Deployment istio-system/istiod-1-24]")),
                Arguments.of("an uninstall refused keeps its objects listed: the next one leaves the shared base layer",
                        Row.of(List.of(), List.of(ilmInventory("1-23", "c23", CRD, ISTIOD_23),
                                ilmInventory("1-24", "c24", CRD, ISTIOD_24)), Map.of()).refusing(ilm23Key),
                        List.of("uninstall " + ilm23Key + " (generation 1), delete [Deployment istio-system/istiod-1-23]"
                                + ": refused",
                                "uninstall " + ilm24.key() + " (generation 1), delete [Deployment istio-system/istiod-1-24]")),
                Arguments.of("reported before, neither desired nor installed: forgotten, reported UNINSTALLED unless it was",
                        Row.of(List.of(ilm24), List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24)), Map.of())
                                .reported(inOrder(glm22Key, new LastReport(GLM, 1, "g22", Phase.HEALTHY, "", null, T0),
                                        ilm23Key, new LastReport(ILM, 1, "c23", Phase.UNINSTALLED, "", null, T0))),
                        List.of("check " + ilm24.key(), "forget " + glm22Key + ", reporting UNINSTALLED",
                                "forget " + ilm23Key)),
                Arguments.of("in sync, no resync: only health is checked; nothing applied, deleted or forgotten",
                        Row.of(List.of(ilm24, glm24), List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24),
                                glmInventory("1-24", "g24b", GW_24, SERVICE)), Map.of()),
                        List.of("check " + ilm24.key(), "check " + glm24.key())),
                Arguments.of("in sync at a drift-repair resync: drift is repaired before health",
                        Row.of(List.of(ilm24), List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24)), Map.of())
                                .resync(true),
                        List.of("check " + ilm24.key() + " after repairing drift")),
                Arguments.of("in sync at a resync with drift repair disabled: health only",
                        Row.of(List.of(ilm24), List.of(ilmInventory("1-24", "c24", CRD, ISTIOD_24)), Map.of())
                                .resync(false),
                        List.of("check " + ilm24.key())),
                Arguments.of("a plan the API refused waits for the resync, not every poll",
                        Row.of(List.of(ilm24), List.of(), Map.of(ilm24.key(), List.of(CRD, ISTIOD_24)))
                                .reported(Map.of(ilm24.key(), last(ilm24, Phase.INSTALL_FAILED))),
                        List.of("wait for the resync: " + ilm24.key())),
                Arguments.of("at the resync it is retried, reporting only its outcome",
                        Row.of(List.of(ilm24), List.of(), Map.of(ilm24.key(), List.of(CRD, ISTIOD_24)))
                                .reported(Map.of(ilm24.key(), last(ilm24, Phase.CONTROLLER_INSTALL_FAILED)))
                                .resync(true),
                        List.of("install " + ilm24.key() + " (no progress states), delete [], hand over []")),
                Arguments.of("a refusal of another plan does not hold a new plan back",
                        Row.of(List.of(ilm24), List.of(), Map.of(ilm24.key(), List.of(CRD, ISTIOD_24)))
                                .reported(Map.of(ilm24.key(), new LastReport(ILM, 1, "c-old", Phase.INSTALL_FAILED,
                                        "", null, T0))),
                        List.of("install " + ilm24.key() + ", delete [], hand over []")),
                Arguments.of("a minor upgrade in place is refused without touching the cluster",
                        Row.of(List.of(plan(ILM, "", "1.25.0", "c25")), List.of(inventory(ILM, "", "1.24.2", "c24",
                                ISTIOD_24)), Map.of()),
                        List.of("report " + new InstallationKey(ILM.key(), "") + " ACTION_REQUIRED")));
    }

    @Test
    void aGatewayOnAnExternalControlPlanesRemoteClusterWaitsForTheWebhooksOfThatPlanNotForALocalIstiod() {
        Owner ecp = new Owner(dev.meshfleet.schemas.v1.ResourceKind.ExternalControlPlane, "gloo-mesh", "mesh1", "uid-e");
        ObjectRef injector = new ObjectRef("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "",
                "istio-sidecar-injector-external-istiod");
        ObjectRef gateway = deployment("external-istiod", "istio-ingressgateway");
        // A revisionless gateway: its control plane is the ExternalControlPlane's revisionless installation.
        Plan glm = new Plan(GLM, 1, "", "1.24.2", List.of(new dev.meshfleet.installer.model.ChartSpec("gateway",
                "istio-ingressgateway", "external-istiod", "{}")), "", false, java.time.Duration.ofMinutes(5), "{}", "g");
        for (String[] row : new String[][] {
                {"{\"role\":\"config\",\"webhooks\":false}", "report " + glm.key() + " NO_CONTROL_PLANE_AVAILABLE"},
                {"{\"role\":\"remote\",\"webhooks\":false}", "report " + glm.key() + " NO_CONTROL_PLANE_AVAILABLE"},
                {"{\"role\":\"config\",\"webhooks\":true}", "install " + glm.key() + ", delete [], hand over []"},
                {"{\"role\":\"remote\",\"webhooks\":true}", "install " + glm.key() + ", delete [], hand over []"},
                {"{\"role\":\"external\"}", "install " + glm.key() + ", delete [], hand over []"}}) {
            Plan remote = new Plan(ecp, 1, "", "1.24.2", List.of(new dev.meshfleet.installer.model.ChartSpec("istiod",
                    "istiod", "external-istiod", "{}")), "", false, java.time.Duration.ofMinutes(5), row[0], "e");
            Inventory installed = new Inventory(ecp, 1, "", "1.24.2", "e", row[0], true, List.of(injector));
            assertThat(trace(Row.of(List.of(glm, remote), List.of(installed), Map.of(glm.key(), List.of(gateway)))))
                    .as(row[0]).containsExactly("check " + remote.key(), row[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void aRoundDecides(String name, Row row, List<String> expected) {
        assertThat(trace(row)).containsExactlyElementsOf(expected);
    }

    @Test
    void aServiceMeshControllerLooksForAnUnmanagedIstioWithOnConflictAbortAndTakesItOverWithForce() {
        Owner smc = new Owner(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio",
                "uid-9");
        Plan abort = plan(smc, "", "1.28.1-patch0-solo", "s1");
        Plan force = new Plan(smc, 1, "", abort.tag(), abort.charts(), "", true, Duration.ofMinutes(5), "{}", "s2", true);

        for (Plan p : List.of(abort, force)) {
            RoundDecision round = RoundDecision.start("c1", List.of(p), List.of(), Map.of(), Map.of(), false, false);
            assertThat(round.step(round.order().get(0))).isInstanceOfSatisfying(Step.Apply.class,
                    a -> assertThat(a.checkForeignControlPlane()).as("onConflict %s", p.takeOverUnmanaged() ? "Force" : "Abort")
                            .isEqualTo(!p.takeOverUnmanaged()));
        }
        assertThat(smc.isControlPlane()).as("a ServiceMeshController installs a control plane").isTrue();
    }

    @Test
    void aPeeringInstallationLooksForNoUnmanagedIstioAndIsNoGatewaysControlPlane() {
        Plan peering = dev.meshfleet.installer.Fixtures.peering(dev.meshfleet.installer.Fixtures.SMC, "1.28.1", "p1");
        RoundDecision round = RoundDecision.start("c1", List.of(peering), List.of(), Map.of(), Map.of(), false, false);
        assertThat(round.step(round.order().get(0))).isInstanceOfSatisfying(Step.Apply.class,
                a -> assertThat(a.checkForeignControlPlane()).as("Gateways only: no Istio of its own").isFalse());

        // A GLM naming the revision "peering" finds no istiod there.
        Plan gateway = new Plan(GLM, 1, "peering", "1.28.1", List.of(new ChartSpec("gateway", "gw", "istio-ingress",
                "{}")), "peering", false, Duration.ofMinutes(5), "{}", "g1");
        Inventory peeringInstalled = inventory(dev.meshfleet.installer.Fixtures.SMC, "peering", "1.28.1", "p1",
                dev.meshfleet.installer.Fixtures.EASTWEST);
        RoundDecision withPeering = RoundDecision.start("c1", List.of(peering, gateway), List.of(peeringInstalled),
                Map.of(), Map.of(), false, false);
        assertThat(withPeering.step(withPeering.order().get(1))).isInstanceOfSatisfying(Step.Report.class,
                r -> assertThat(r.report().phase()).isEqualTo(Phase.NO_CONTROL_PLANE_AVAILABLE));
    }

    @Test
    void newFactsAloneAreEmittedAReportThatObservedNoneKeepsTheLastAndARemovalHasNone() {
        Plan plan = dev.meshfleet.installer.Fixtures.peering(dev.meshfleet.installer.Fixtures.SMC, "1.28.1", "p1");
        Map<String, String> pending = Map.of("eastwest.address", "192.0.2.10", "eastwest.addressType", "IPAddress",
                "peers.up", "", "peers.down", "cluster2=Pending");
        RoundDecision.Report healthy = RoundDecision.Report.of(plan, Phase.HEALTHY, "", "{}").withFacts(pending);
        LastReport first = RoundDecision.emission(null, false, false, healthy, T0).remembered();
        assertThat(first.facts()).isEqualTo(pending);

        assertThat(RoundDecision.emission(first, true, false, healthy, T0.plusSeconds(1)).emit())
                .as("the same facts again: nothing new").isFalse();
        Map<String, String> linked = Map.of("eastwest.address", "192.0.2.10", "eastwest.addressType", "IPAddress",
                "peers.up", "cluster2", "peers.down", "");
        RoundDecision.Emission up = RoundDecision.emission(first, true, false, healthy.withFacts(linked),
                T0.plusSeconds(2));
        assertThat(up.emit()).as("cluster2's link up, the state still HEALTHY").isTrue();
        assertThat(up.remembered().facts()).isEqualTo(linked);
        assertThat(up.remembered().since()).as("the phase did not change").isEqualTo(T0);
        Map<String, String> moved = Map.of("eastwest.address", "192.0.2.137", "eastwest.addressType", "IPAddress",
                "peers.up", "cluster2", "peers.down", "");
        assertThat(RoundDecision.emission(up.remembered(), true, false, healthy.withFacts(moved), T0.plusSeconds(3))
                .emit()).as("a new east-west address").isTrue();

        RoundDecision.Emission unknown = RoundDecision.emission(up.remembered(), true, false,
                RoundDecision.Report.of(plan, Phase.UNKNOWN, "cluster 'c1' is unreachable", "{}"), T0.plusSeconds(4));
        assertThat(unknown.remembered().facts()).as("unreachable: the last address seen stands").isEqualTo(linked);
        RoundDecision.Emission removing = RoundDecision.emission(unknown.remembered(), true, false,
                new RoundDecision.Report(plan.key(), plan.owner(), 1, "p1", Phase.UNINSTALLING, "removing 2 objects",
                        "{}"), T0.plusSeconds(5));
        assertThat(removing.remembered().facts()).as("being removed: no address to plan peers against").isEmpty();
        assertThat(RoundDecision.emission(null, false, false, RoundDecision.Report.of(ilm("1-24", "c24"),
                Phase.HEALTHY, "", "{}"), T0).remembered().facts()).as("any other installation").isEmpty();
    }

    @Test
    void aPlanOfAnOwnerKindThisInstallerDoesNotKnowIsRefusedAtTheEdge() {
        var avro = dev.meshfleet.schemas.v1.InstallationPlan.newBuilder()
                .setOwner(new dev.meshfleet.schemas.v1.OwnerRef(dev.meshfleet.schemas.v1.ResourceKind.Unknown, "gloo-mesh",
                        "next", "uid-3"))
                .setGeneration(1).setRevision("").setTag("1.28.1").setCharts(List.of())
                .setUpgradePolicy(new dev.meshfleet.schemas.v1.UpgradePolicy(false, 300_000L))
                .setObservedOperatorJson("{}").setPlanHash("h").build();

        assertThatThrownBy(() -> Plan.from(avro, Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown").hasMessageContaining("upgrade the installer");
    }

    @Test
    void aControlPlaneAppliesItsCrdsFirstThenIstiodAndOnlyThenTheGateway() {
        Plan ilm24 = new Plan(ILM, 1, "1-24", "1.24.0", List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod-1-24", "istio-system", "{}")), "1-24", false, Duration.ofMinutes(5),
                "{}", "c24");
        Plan glm24 = glm("1-24", "g24");
        RoundDecision round = RoundDecision.start("c1", List.of(glm24, ilm24), List.of(), Map.of(), Map.of(), false,
                false);

        Step first = round.step(round.order().get(0));
        assertThat(first).isInstanceOfSatisfying(Step.Apply.class, a -> {
            assertThat(a.plan()).isEqualTo(ilm24);
            assertThat(a.checkForeignControlPlane()).isTrue();
            HasMetadata crd = new ConfigMapBuilder().withNewMetadata().withName("crd").endMetadata().build();
            HasMetadata istiod = new ConfigMapBuilder().withNewMetadata().withName("istiod").endMetadata().build();
            assertThat(Applier.layers(a.plan(), List.of(List.of(crd), List.of(istiod))))
                    .extracting(Applier.Layer::objects, Applier.Layer::base)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of(crd), true),
                            org.assertj.core.groups.Tuple.tuple(List.of(istiod), false));
        });
        assertThat(round.order()).extracting(Action::key).containsExactly(ilm24.key(), glm24.key());
    }

    @Test
    void driftRepairedIsReconcilingThenHealthNothingDriftedIsHealthOnlyARefusedRepairFailsWithoutHealth() {
        Plan plan = ilm("1-24", "c24");
        Inventory inventory = new Inventory(ILM, 1, "1-24", "1.24.0", "c24", "{\"op\":1}", true, List.of(ISTIOD_24));

        assertThat(RoundDecision.afterRepair(plan, inventory, new DriftRepair.Outcome.Repaired(
                List.of("Deployment istio-system/istiod-1-24 was deleted")))).isEqualTo(new RoundDecision.AfterRepair(
                        new RoundDecision.Report(plan.key(), ILM, 1, "c24", Phase.RECONCILING,
                                "repairing drift: Deployment istio-system/istiod-1-24 was deleted", "{\"op\":1}"),
                        true));
        assertThat(RoundDecision.afterRepair(plan, inventory, new DriftRepair.Outcome.InPlace()))
                .isEqualTo(new RoundDecision.AfterRepair(null, true));
        assertThat(RoundDecision.afterRepair(plan, inventory, new DriftRepair.Outcome.Failed("repairing Deployment"
                + " istio-system/istiod-1-24 was refused: HTTP 403"))).isEqualTo(new RoundDecision.AfterRepair(
                        new RoundDecision.Report(plan.key(), ILM, 1, "c24", Phase.INSTALL_FAILED,
                                "repairing Deployment istio-system/istiod-1-24 was refused: HTTP 403", "{\"op\":1}"),
                        false));
    }

    @Test
    void aStateIsEmittedWhenItChangesAndOncePerResyncAMessageAloneIsNoChange() {
        Plan plan = ilm("1-24", "c24");
        RoundDecision.Report installing = RoundDecision.Report.of(plan, Phase.INSTALLING, "applying", null);
        RoundDecision.Emission first = RoundDecision.emission(null, false, false, installing, T0);
        assertThat(first).isEqualTo(new RoundDecision.Emission(new LastReport(ILM, 1, "c24", Phase.INSTALLING,
                "applying", null, T0), true, true));

        RoundDecision.Report waiting = RoundDecision.Report.of(plan, Phase.INSTALLING, "waiting", null);
        assertThat(RoundDecision.emission(first.remembered(), true, false, waiting, T0.plusSeconds(3)))
                .as("same state, new message: remembered, not emitted, still waiting since T0")
                .isEqualTo(new RoundDecision.Emission(new LastReport(ILM, 1, "c24", Phase.INSTALLING, "waiting", null,
                        T0), false, false));
        assertThat(RoundDecision.emission(first.remembered(), false, true, waiting, T0.plusSeconds(3)).emit())
                .as("a resync re-emits it once").isTrue();
        assertThat(RoundDecision.emission(first.remembered(), true, true, waiting, T0.plusSeconds(3)).emit())
                .as("but not twice in one round").isFalse();
        assertThat(RoundDecision.emission(first.remembered(), true, false,
                RoundDecision.Report.of(plan, Phase.INSTALLING, "waiting", "{\"op\":1}"), T0.plusSeconds(3)))
                .as("a new observed operator is a change").extracting(RoundDecision.Emission::changed).isEqualTo(true);
        assertThat(RoundDecision.emission(first.remembered(), true, false,
                RoundDecision.Report.of(plan, Phase.HEALTHY, "", "{\"op\":1}"), T0.plusSeconds(9)).remembered().since())
                .as("a new phase starts its time").isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void readinessIsTimedFromWhenTheInstallationBeganWaitingNotFromItsLatestReport() {
        Plan plan = ilm("1-24", "c24"); // waits at most 5 minutes
        Inventory applied = new Inventory(ILM, 1, "1-24", "1.24.0", "c24", "{\"op\":1}", true, List.of(ISTIOD_24), T0,
                null);
        Health notReady = new Health.NotReady(List.of("Deployment istio-system/istiod-1-24: replicas ready 0/1"));
        LastReport waiting = RoundDecision.emission(null, false, false,
                RoundDecision.Report.of(plan, Phase.INSTALLING, "applying charts istiod", null), T0).remembered();
        // Reported again at every poll: the same state, so its time stays T0.
        for (int s = 1; s <= 290; s += 60) {
            waiting = RoundDecision.emission(waiting, true, false, RoundDecision.Report.of(plan, Phase.INSTALLING,
                    "waiting for Deployments and DaemonSets to become ready", null), T0.plusSeconds(s)).remembered();
        }

        Verdict before = Verdict.decide(plan, applied, notReady, waiting, T0.plusSeconds(299), Duration.ofSeconds(1));
        Verdict after = Verdict.decide(plan, applied, notReady, waiting, T0.plusSeconds(300), Duration.ofSeconds(1));

        assertThat(before.phase()).isEqualTo(Phase.INSTALLING);
        assertThat(before.waitingSince()).isEqualTo(T0);
        assertThat(before.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(after.phase()).isEqualTo(Phase.INSTALL_FAILED);
        assertThat(after.message()).startsWith("not ready within 300s");
        assertThat(Verdict.decide(plan, applied, new Health.Ready(), waiting, T0.plusSeconds(30), Duration.ofSeconds(1)))
                .as("ready: HEALTHY, and the inventory records since when").isEqualTo(new Verdict(Phase.HEALTHY, "",
                        "{\"op\":1}", true, null, null));
    }

    @Test
    void theWholeClusterUnreachableMakesEveryInstallationUnknownTheOnesBeingRemovedToo() {
        Plan plan = ilm("1-24", "c24");
        InstallationKey gone = new InstallationKey(GLM.key(), "1-22");
        Map<InstallationKey, LastReport> reported = new LinkedHashMap<>();
        reported.put(plan.key(), new LastReport(ILM, 1, "c24", Phase.HEALTHY, "", "{\"op\":1}", T0));
        reported.put(gone, new LastReport(GLM, 2, "g22", Phase.UNINSTALLING, "removing 2 objects", "{\"gw\":1}", T0));

        assertThat(RoundDecision.unreachable("c1", "connect timed out", List.of(plan), reported)).containsExactly(
                new RoundDecision.Report(plan.key(), ILM, 1, "c24", Phase.UNKNOWN,
                        "cluster 'c1' is unreachable (connect timed out); retrying with backoff", "{\"op\":1}"),
                new RoundDecision.Report(gone, GLM, 2, "g22", Phase.UNKNOWN,
                        "cluster 'c1' is unreachable (connect timed out); retrying with backoff", "{\"gw\":1}"));
        assertThat(RoundDecision.failedEverywhere("listing inventories was refused", List.of(plan), reported))
                .extracting(RoundDecision.Report::key, RoundDecision.Report::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(plan.key(), Phase.INSTALL_FAILED),
                        org.assertj.core.groups.Tuple.tuple(gone, Phase.ACTION_REQUIRED));
    }

    @Test
    void theClusterStateIsFailedOverProgressingOverHealthy() {
        LastReport healthy = new LastReport(ILM, 1, "a", Phase.HEALTHY, "", null, T0);
        LastReport installing = new LastReport(ILM, 1, "b", Phase.INSTALLING, "", null, T0);
        LastReport failed = new LastReport(ILM, 1, "c", Phase.INSTALL_FAILED, "", null, T0);
        LastReport uninstalled = new LastReport(ILM, 1, "d", Phase.UNINSTALLED, "", null, T0);

        assertThat(RoundDecision.clusterState(List.of(healthy, uninstalled)))
                .isEqualTo(ClusterReconciler.ClusterState.HEALTHY);
        assertThat(RoundDecision.clusterState(List.of(healthy, installing)))
                .isEqualTo(ClusterReconciler.ClusterState.PROGRESSING);
        assertThat(RoundDecision.clusterState(List.of(installing, failed)))
                .isEqualTo(ClusterReconciler.ClusterState.FAILED);
    }

    @Test
    void onlyInstallsAndUpgradesAreRenderedBeforeTheRound() {
        Plan inSync = ilm("1-24", "c24");
        Plan fresh = ilm("1-25", "c25");
        Set<InstallationKey> keys = new HashSet<>();
        RoundDecision.toApply(List.of(inSync, fresh), List.of(ilmInventory("1-24", "c24", ISTIOD_24)))
                .forEach(p -> keys.add(p.key()));
        assertThat(keys).containsExactly(fresh.key());
    }
}
