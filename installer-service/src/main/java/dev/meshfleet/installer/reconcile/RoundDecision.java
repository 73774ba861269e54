package dev.meshfleet.installer.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.meshfleet.installer.diff.Action;
import dev.meshfleet.installer.diff.ApplyOrder;
import dev.meshfleet.installer.diff.InstallationDiff;
import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.peering.PeeringGateways;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.state.Phase;

/**
 * The decisions of one reconcile round of one cluster, pure (as the aggregator's StatusFold is
 * apart from Kafka Streams): no client, no clock, no Kafka. From the desired plans, the inventories
 * read from the cluster, the identities each plan applied this round renders, what was reported last
 * per installation and whether the round repairs drift, it decides what to apply in which order, what
 * to prune and what to hand over, what to uninstall and what to report; {@link ClusterReconciler}
 * reads, carries the decisions out through {@link Applier}, {@link DriftRepair} and the cluster calls,
 * and emits through {@link Reporting}.
 *
 * <p>A round is a fold: a later step depends on how earlier ones ended (a gateway's control plane
 * applied in this round, an object another apply of the round took over, an uninstall refused), so
 * the reconciler tells the round each apply and uninstall that succeeded ({@link #applied},
 * {@link #uninstalled}) and asks it for the step of each action in {@link #order()}. Instances are
 * immutable.
 *
 * <p>The rules:
 * <ul>
 * <li>order: control planes, then peering installations (a peered controller's Gateways, after its control
 *     plane), then gateways; removals last, in the reverse order; in a
 *     group, an apply that takes over an object another inventory lists first ({@link ApplyOrder});
 *     within a control plane, {@link Applier#layers} puts the base chart (CRDs) first.</li>
 * <li>prune handover: an apply deletes what its old inventory lists and it no longer renders, unless
 *     another inventory lists it or another apply of this round renders it; objects kept for the second
 *     reason stay listed by this inventory until the new owner lists them.</li>
 * <li>uninstall: an inventory no longer desired is removed, deleting only what no other inventory
 *     lists (a shared base layer stays).</li>
 * <li>a plan whose apply the API refused is retried at the next resync, not at every poll; a
 *     gateway waits for a complete inventory of its control plane's revision.</li>
 * <li>an in-sync installation has its drift repaired only when the round repairs drift; then its
 *     health is checked ({@link Verdict}).</li>
 * <li>a state is emitted when it changed, or once per round on a resync ({@link #emission}).</li>
 * </ul>
 */
public final class RoundDecision {

    /**
     * One report: the state of one installation, with its owner, generation and plan, and the facts its health check
     * observed for other clusters ({@code facts}; null when this report observed none, as a progress step, an
     * unreachable cluster or a failure: the last observed stand, see {@link #emission}).
     */
    public record Report(InstallationKey key, Owner owner, long generation, String planHash, Phase phase,
            String message, String observedOperatorJson, Map<String, String> facts) {

        public Report {
            facts = facts == null ? null : Map.copyOf(facts);
        }

        /** A report that observed no facts. */
        public Report(InstallationKey key, Owner owner, long generation, String planHash, Phase phase,
                String message, String observedOperatorJson) {
            this(key, owner, generation, planHash, phase, message, observedOperatorJson, null);
        }

        /** The same report with what its health check observed. */
        public Report withFacts(Map<String, String> observed) {
            return new Report(key, owner, generation, planHash, phase, message, observedOperatorJson, observed);
        }

        public static Report of(Plan plan, Phase phase, String message, String observedOperatorJson) {
            return new Report(plan.key(), plan.owner(), plan.generation(), plan.planHash(), phase, message,
                    observedOperatorJson);
        }

        static Report of(InstallationKey key, LastReport last, Phase phase, String message,
                String observedOperatorJson) {
            return new Report(key, last.owner(), last.generation(), last.planHash(), phase, message,
                    observedOperatorJson);
        }
    }

    /** What one action comes to, given what happened earlier in the round. */
    public sealed interface Step {
        /**
         * Apply the plan layer by layer, then prune, write the complete inventory and check health.
         * {@code checkForeignControlPlane}: a control plane first looks for an Istio it does not manage;
         * {@code announce}: report each layer's progress state (not on the retry of a refused plan, whose
         * progress was reported already: the retry reports only its outcome).
         */
        record Apply(Plan plan, Inventory current, boolean upgrade, boolean checkForeignControlPlane,
                boolean announce) implements Step {
        }

        /** The API refused this very plan before: retried at the next resync, not on every poll. */
        record AwaitResync(Plan plan) implements Step {
        }

        /** Report a state without touching the cluster (a refused upgrade, a gateway without its control plane). */
        record Report(RoundDecision.Report report) implements Step {
        }

        /**
         * The installation is in sync with its plan: repair its drift first when {@code repairDrift}
         * ({@code listedByOthers}: what the other inventories list, whose deletion alone is drift), then
         * check its health.
         */
        record Check(Plan plan, Inventory current, boolean repairDrift, Set<String> listedByOthers) implements Step {
        }

        /** No longer desired: delete {@code delete} (what no other inventory lists) and the inventory. */
        record Uninstall(Inventory inventory, long generation, List<ObjectRef> delete) implements Step {
            public RoundDecision.Report removing() {
                return new RoundDecision.Report(inventory.key(), inventory.owner(), generation, inventory.planHash(),
                        Phase.UNINSTALLING, "removing " + inventory.objects().size() + " objects",
                        inventory.observedOperatorJson());
            }

            public RoundDecision.Report removed() {
                return new RoundDecision.Report(inventory.key(), inventory.owner(), generation, inventory.planHash(),
                        Phase.UNINSTALLED, "", null);
            }
        }
    }

    /**
     * After an apply: what to delete, and what to keep listing because another apply of this round
     * renders it (it is moving to that installation: deleting it first would leave a gap, and listing it
     * keeps it from leaking if that apply does not happen).
     */
    public record Prune(List<ObjectRef> delete, List<ObjectRef> handedOver) {
    }

    /** After a drift repair: what to report (null: nothing), and whether to check health next. */
    public record AfterRepair(Report report, boolean checkHealth) {
    }

    /** Whether to emit a report, and what to remember of it; {@code changed}: its state changed (logged). */
    public record Emission(LastReport remembered, boolean emit, boolean changed) {
    }

    /** A reported installation that is neither desired nor installed: forget it, after reporting it when {@code report} is set. */
    public record Forget(InstallationKey key, Report report) {
    }

    private final String cluster;
    private final List<Plan> plans;
    private final List<Action> order;
    private final Map<InstallationKey, Inventory> installed;
    private final Set<String> renderedByApplies;
    private final Map<InstallationKey, LastReport> reported;
    private final boolean resync;
    private final boolean repairDrift;

    private RoundDecision(String cluster, List<Plan> plans, List<Action> order, Map<InstallationKey, Inventory> installed,
            Set<String> renderedByApplies, Map<InstallationKey, LastReport> reported, boolean resync,
            boolean repairDrift) {
        this.cluster = cluster;
        this.plans = plans;
        this.order = order;
        this.installed = installed;
        this.renderedByApplies = renderedByApplies;
        this.reported = reported;
        this.resync = resync;
        this.repairDrift = repairDrift;
    }

    /** The plans this round will apply (install or upgrade): the reconciler renders them before {@link #start}. */
    public static List<Plan> toApply(List<Plan> plans, List<Inventory> inventories) {
        List<Plan> applying = new ArrayList<>();
        for (Action action : InstallationDiff.diff(plans, inventories)) {
            if (action instanceof Action.Install i) {
                applying.add(i.plan());
            } else if (action instanceof Action.Upgrade u) {
                applying.add(u.plan());
            }
        }
        return applying;
    }

    /**
     * @param renders for each plan of {@link #toApply}, the identities ({@link ObjectRef#identity()}) it
     *            renders; none when it cannot be rendered (its apply reports why)
     * @param reported what was reported last per installation when the round began
     * @param resync whether the round re-emits every state (a retry of a refused plan happens only then)
     * @param repairDrift whether in-sync installations have their drift repaired this round
     */
    public static RoundDecision start(String cluster, List<Plan> plans, List<Inventory> inventories,
            Map<InstallationKey, Set<String>> renders, Map<InstallationKey, LastReport> reported, boolean resync,
            boolean repairDrift) {
        Map<InstallationKey, Inventory> installed = new LinkedHashMap<>();
        inventories.forEach(i -> installed.put(i.key(), i));
        Set<String> rendered = new HashSet<>();
        renders.values().forEach(rendered::addAll);
        List<Action> order = ApplyOrder.order(InstallationDiff.diff(plans, inventories), renders, inventories);
        return new RoundDecision(cluster, List.copyOf(plans), order, installed, Set.copyOf(rendered),
                Map.copyOf(reported), resync, repairDrift);
    }

    /** Every installation's action, in the order they are carried out. */
    public List<Action> order() {
        return order;
    }

    /** What {@code action} comes to now. */
    public Step step(Action action) {
        if (action instanceof Action.Install install) {
            return apply(install.plan(), install.current(), false);
        }
        if (action instanceof Action.Upgrade upgrade) {
            return apply(upgrade.plan(), upgrade.current(), true);
        }
        if (action instanceof Action.InSync inSync) {
            return new Step.Check(inSync.plan(), inSync.current(), repairDrift, listedByOthers(inSync.key()));
        }
        if (action instanceof Action.Refuse refuse) {
            return new Step.Report(Report.of(refuse.plan(), Phase.ACTION_REQUIRED, refuse.message(),
                    refuse.current().observedOperatorJson()));
        }
        Inventory inventory = ((Action.Remove) action).current();
        Set<String> stillListed = listedByOthers(inventory.key());
        return new Step.Uninstall(inventory, generation(inventory),
                inventory.objects().stream().filter(o -> !stillListed.contains(o.identity())).toList());
    }

    private Step apply(Plan plan, Inventory current, boolean upgrade) {
        LastReport last = reported.get(plan.key());
        boolean failedBefore = last != null && plan.planHash().equals(last.planHash())
                && (last.phase() == Phase.CONTROLLER_INSTALL_FAILED || last.phase() == Phase.INSTALL_FAILED);
        if (failedBefore && !resync) {
            return new Step.AwaitResync(plan);
        }
        if (!plan.owner().isControlPlane() && !controlPlanePresent(plan)) {
            return new Step.Report(Report.of(plan, Phase.NO_CONTROL_PLANE_AVAILABLE, "no control plane of revision '"
                    + Names.revisionLabel(plan.controlPlaneRevision()) + "' is installed in cluster '" + cluster
                    + "'; the gateway is installed once an IstioLifecycleManager provides it", null));
        }
        // A ServiceMeshController's onConflict: Force takes an unmanaged Istio over (server-side apply with force). Its
        // peering installation (Gateways only, ADR 0046) installs no Istio of its own to collide with one.
        return new Step.Apply(plan, current, upgrade, plan.owner().isControlPlane() && !plan.takeOverUnmanaged()
                && !PeeringGateways.is(plan), !failedBefore);
    }

    /** What a successful apply of {@code applied} (everything its plan renders) deletes and hands over. */
    public Prune prune(InstallationKey key, Inventory current, List<ObjectRef> applied) {
        if (current == null) {
            return new Prune(List.of(), List.of());
        }
        Set<String> keep = applied.stream().map(ObjectRef::identity).collect(Collectors.toCollection(HashSet::new));
        keep.addAll(listedByOthers(key));
        List<ObjectRef> stale = current.objects().stream().filter(o -> !keep.contains(o.identity())).toList();
        List<ObjectRef> handedOver = stale.stream().filter(o -> renderedByApplies.contains(o.identity())).toList();
        return new Prune(stale.stream().filter(o -> !handedOver.contains(o)).toList(), handedOver);
    }

    /** The complete inventory of a successful apply: what it applied and what it is handing over. */
    public static Inventory inventory(Plan plan, List<ObjectRef> applied, Prune prune, Instant appliedAt) {
        List<ObjectRef> listed = new ArrayList<>(applied);
        listed.addAll(prune.handedOver());
        return new Inventory(plan.owner(), plan.generation(), plan.revision(), plan.tag(), plan.planHash(),
                plan.observedOperatorJson(), true, listed, appliedAt, null);
    }

    /** The round after an apply wrote {@code inventory}. */
    public RoundDecision applied(Inventory inventory) {
        Map<InstallationKey, Inventory> next = new LinkedHashMap<>(installed);
        next.put(inventory.key(), inventory);
        return new RoundDecision(cluster, plans, order, next, renderedByApplies, reported, resync, repairDrift);
    }

    /** The round after an uninstall deleted the installation and its inventory. */
    public RoundDecision uninstalled(InstallationKey key) {
        Map<InstallationKey, Inventory> next = new LinkedHashMap<>(installed);
        next.remove(key);
        return new RoundDecision(cluster, plans, order, next, renderedByApplies, reported, resync, repairDrift);
    }

    /**
     * At the end of the round: installations reported before ({@code reportedNow}, in order) that are
     * neither desired nor installed. Nothing is left of them: they are forgotten, reported UNINSTALLED
     * first unless they were already.
     */
    public List<Forget> forget(Map<InstallationKey, LastReport> reportedNow) {
        return forget(plans, installed.keySet(), reportedNow);
    }

    /** {@link #forget(Map)} for a round that read no inventory (an unregistered cluster: nothing installed). */
    public static List<Forget> forget(List<Plan> plans, Set<InstallationKey> installed,
            Map<InstallationKey, LastReport> reportedNow) {
        Set<InstallationKey> desired = plans.stream().map(Plan::key).collect(Collectors.toSet());
        List<Forget> forget = new ArrayList<>();
        reportedNow.forEach((key, last) -> {
            if (!desired.contains(key) && !installed.contains(key)) {
                forget.add(new Forget(key, last.phase() == Phase.UNINSTALLED ? null
                        : Report.of(key, last, Phase.UNINSTALLED, "nothing installed", null)));
            }
        });
        return forget;
    }

    /** What a refused apply reports: the base layer's refusal is the controller's. */
    public static Report refused(Plan plan, boolean baseLayer, String message) {
        return Report.of(plan, baseLayer ? Phase.CONTROLLER_INSTALL_FAILED : Phase.INSTALL_FAILED, message, null);
    }

    /** What a plan that cannot be rendered reports (nothing was applied). */
    public static Report unrenderable(Plan plan, String why) {
        return Report.of(plan, Phase.INSTALL_FAILED, why, null);
    }

    /** What a control plane reports when an Istio control plane Meshfleet does not manage runs in the cluster. */
    public static Report foreignControlPlane(Plan plan, List<ObjectRef> foreign) {
        return Report.of(plan, Phase.ACTION_REQUIRED, "found an Istio control plane that Meshfleet does not manage ("
                + foreign.stream().map(ObjectRef::toString).collect(Collectors.joining(", "))
                + "); Meshfleet never touches it: uninstall or migrate it, and the installation proceeds at"
                + " the next resync", null);
    }

    /** What an in-sync installation's drift repair comes to (an unreachable cluster aborts the round instead). */
    public static AfterRepair afterRepair(Plan plan, Inventory inventory, DriftRepair.Outcome outcome) {
        if (outcome instanceof DriftRepair.Outcome.Failed failed) {
            return new AfterRepair(Report.of(plan, Phase.INSTALL_FAILED, failed.message(),
                    inventory.observedOperatorJson()), false);
        }
        if (outcome instanceof DriftRepair.Outcome.Repaired repaired) {
            return new AfterRepair(Report.of(plan, Phase.RECONCILING, "repairing drift: "
                    + String.join("; ", repaired.drift()), inventory.observedOperatorJson()), true);
        }
        return new AfterRepair(null, true);
    }

    /** The cluster has no registration Secret: every desired installation is PENDING, saying how to register it. */
    public static List<Report> unregistered(String cluster, List<Plan> plans) {
        String message = "cluster '" + cluster + "' is not registered: create a Secret in the management"
                + " cluster labelled " + Crds.CLUSTER_LABEL + "=" + cluster + " with its kubeconfig under"
                + " data key '" + Crds.KUBECONFIG_KEY + "'";
        return plans.stream().map(p -> Report.of(p, Phase.PENDING, message, null)).toList();
    }

    /**
     * The cluster cannot be reached: every installation is UNKNOWN, the desired ones and those being
     * removed alike, keeping the observed operator reported last.
     */
    public static List<Report> unreachable(String cluster, String why, List<Plan> plans,
            Map<InstallationKey, LastReport> reportedNow) {
        String message = "cluster '" + cluster + "' is unreachable (" + why + "); retrying with backoff";
        List<Report> reports = new ArrayList<>();
        for (Plan plan : plans) {
            reports.add(Report.of(plan, Phase.UNKNOWN, message, operator(reportedNow.get(plan.key()))));
        }
        Set<InstallationKey> desired = plans.stream().map(Plan::key).collect(Collectors.toSet());
        reportedNow.forEach((key, last) -> {
            if (!desired.contains(key)) {
                reports.add(Report.of(key, last, Phase.UNKNOWN, message, last.observedOperatorJson()));
            }
        });
        return reports;
    }

    /**
     * A refusal or a bug that stops the whole cluster's reconcile: each desired installation fails
     * with {@code message}; each one being removed needs a person (it is not uninstalled yet).
     */
    public static List<Report> failedEverywhere(String message, List<Plan> plans,
            Map<InstallationKey, LastReport> reportedNow) {
        List<Report> reports = new ArrayList<>();
        for (Plan plan : plans) {
            reports.add(Report.of(plan, Phase.INSTALL_FAILED, message, operator(reportedNow.get(plan.key()))));
        }
        Set<InstallationKey> desired = plans.stream().map(Plan::key).collect(Collectors.toSet());
        reportedNow.forEach((key, last) -> {
            if (!desired.contains(key) && last.phase() != Phase.UNINSTALLED) {
                reports.add(Report.of(key, last, Phase.ACTION_REQUIRED, message, last.observedOperatorJson()));
            }
        });
        return reports;
    }

    /**
     * A refusal or a bug while working on one installation: it fails, or, when it was being removed,
     * needs a person (the objects may still be there: it is not uninstalled).
     */
    public static Report failed(Action action, String message, Map<InstallationKey, LastReport> reportedNow) {
        if (action instanceof Action.Remove remove) {
            Inventory inventory = remove.current();
            return new Report(inventory.key(), inventory.owner(), generation(inventory, reportedNow),
                    inventory.planHash(), Phase.ACTION_REQUIRED, message, inventory.observedOperatorJson());
        }
        Plan plan = plan(action);
        return Report.of(plan, Phase.INSTALL_FAILED, message, operator(reportedNow.get(plan.key())));
    }

    /**
     * Whether to emit {@code report} and what to remember: it is emitted when its state changed (phase,
     * plan, generation, observed operator or facts; a message change alone goes out with the next change), or
     * once per round on a resync. {@code since} moves only when the phase changes. A report that observed no facts
     * carries the last observed ones (an unreachable cluster's east-west address is still the last one seen), but
     * an installation being removed or removed has none left.
     */
    public static Emission emission(LastReport previous, boolean emittedThisRound, boolean resync, Report report,
            Instant now) {
        Map<String, String> facts = report.facts() != null ? report.facts()
                : report.phase() == Phase.UNINSTALLING || report.phase() == Phase.UNINSTALLED || previous == null
                        ? Map.of() : previous.facts();
        boolean changed = previous == null || previous.phase() != report.phase()
                || !report.planHash().equals(previous.planHash()) || previous.generation() != report.generation()
                || !Objects.equals(previous.observedOperatorJson(), report.observedOperatorJson());
        Instant since = previous != null && previous.phase() == report.phase() ? previous.since() : now;
        LastReport remembered = new LastReport(report.owner(), report.generation(), report.planHash(), report.phase(),
                report.message(), report.observedOperatorJson(), since, facts);
        // New facts alone (a new address, a peer's link up) are news for the translator and the status.
        boolean factsMoved = previous != null && !changed && !facts.equals(previous.facts());
        return new Emission(remembered, changed || factsMoved || resync && !emittedThisRound, changed);
    }

    /** The whole cluster's health from what was reported last, for the clusters-by-state gauge. */
    public static ClusterReconciler.ClusterState clusterState(Collection<LastReport> reports) {
        boolean progressing = false;
        boolean failed = false;
        for (LastReport r : reports) {
            if (r.phase() == Phase.HEALTHY || r.phase() == Phase.UNINSTALLED) {
                continue;
            }
            if (r.phase().settled()) {
                failed |= r.phase().progress() == Phase.Progress.FAILED;
                progressing |= r.phase().progress() == Phase.Progress.WAITING;
            } else {
                progressing = true;
            }
        }
        return failed ? ClusterReconciler.ClusterState.FAILED
                : progressing ? ClusterReconciler.ClusterState.PROGRESSING : ClusterReconciler.ClusterState.HEALTHY;
    }

    private long generation(Inventory inventory) {
        return generation(inventory, reported);
    }

    /** A removal is reported under the newest generation seen for the installation. */
    private static long generation(Inventory inventory, Map<InstallationKey, LastReport> reports) {
        LastReport last = reports.get(inventory.key());
        return last == null ? inventory.generation() : Math.max(last.generation(), inventory.generation());
    }

    private boolean controlPlanePresent(Plan gateway) {
        // A peered controller's peering installation (ADR 0046) runs no istiod: no gateway's control plane.
        return installed.values().stream().anyMatch(i -> i.servesGateways() && !PeeringGateways.is(i) && i.complete()
                && i.revision().equals(gateway.controlPlaneRevision()));
    }

    private Set<String> listedByOthers(InstallationKey key) {
        Set<String> listed = new HashSet<>();
        installed.forEach((k, inventory) -> {
            if (!k.equals(key)) {
                inventory.objects().forEach(o -> listed.add(o.identity()));
            }
        });
        return listed;
    }

    private static String operator(LastReport last) {
        return last == null ? null : last.observedOperatorJson();
    }

    private static Plan plan(Action action) {
        if (action instanceof Action.Install i) {
            return i.plan();
        }
        if (action instanceof Action.Upgrade u) {
            return u.plan();
        }
        if (action instanceof Action.InSync s) {
            return s.plan();
        }
        return ((Action.Refuse) action).plan();
    }
}
