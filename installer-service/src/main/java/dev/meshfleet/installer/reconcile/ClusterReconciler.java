package dev.meshfleet.installer.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.cluster.Failure;
import dev.meshfleet.installer.diff.Action;
import dev.meshfleet.installer.diff.ApplyOrder;
import dev.meshfleet.installer.diff.InstallationDiff;
import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.health.HealthEvaluation;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.state.Phase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Level-triggered reconcile of one cluster (STYLE 5): read the inventories, diff them with the
 * desired plans, act, report. It keeps only what it reported last per installation (to emit on
 * change and to time readiness); everything else is read from the cluster each time, so a
 * restarted replica picks up where another left off. Callers guarantee one reconcile at a time
 * per cluster.
 */
public class ClusterReconciler {
    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class);

    /** The health of a whole cluster, for the clusters-by-state gauge. */
    public enum ClusterState {
        UNREGISTERED, UNREACHABLE, PROGRESSING, HEALTHY, FAILED
    }

    /** Settings the reconciler needs from configuration. */
    public record Settings(String replicaId, String fieldManager, Duration readinessPoll, Backoff backoff,
            boolean repairDrift) {
    }

    /** What was last reported for one installation. */
    private static final class Tracked {
        Owner owner;
        long generation;
        String revision;
        String planHash;
        Phase phase;
        String message;
        String observedOperatorJson;
        Instant since;
        boolean emittedThisRound;

        Verdict.Reported reported() {
            return new Verdict.Reported(phase, planHash, message, observedOperatorJson, since);
        }
    }

    private static final class Memory {
        final Map<InstallationKey, Tracked> installations = new LinkedHashMap<>();
        int failures;
        volatile ClusterState state = ClusterState.PROGRESSING;
    }

    /** Aborts a reconcile: the cluster cannot be reached; the caller backs off. */
    private static final class UnreachableException extends RuntimeException {
        UnreachableException(String message) {
            super(message, null, false, false);
        }
    }

    /** Aborts a reconcile: the partition was revoked; nothing more may be emitted for the cluster. */
    private static final class LostOwnershipException extends RuntimeException {
        LostOwnershipException() {
            super(null, null, false, false);
        }
    }

    private final Ownership ownership;
    private final Function<String, Optional<KubernetesClient>> clients;
    private final ChartRenderer renderer;
    private final EventSink events;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Memory> memory = new ConcurrentHashMap<>();
    private final Reporting reporting;
    private final DriftRepair driftRepair;
    private final Applier applier = new Applier();

    public ClusterReconciler(Ownership ownership, Function<String, Optional<KubernetesClient>> clients,
            ChartRenderer renderer, EventSink events, Clock clock, Settings settings) {
        this.ownership = ownership;
        this.clients = clients;
        this.renderer = renderer;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.reporting = new Reporting(events, clock, settings.replicaId());
        this.driftRepair = new DriftRepair(renderer);
    }

    /** Per reconcile: the cluster, the ownership it runs under, and whether to re-emit everything. */
    private record Round(String cluster, Ownership.Owned owned, Memory memory, boolean resync,
            Set<String> renderedByApplies) {
        Round(String cluster, Ownership.Owned owned, Memory memory, boolean resync) {
            this(cluster, owned, memory, resync, new HashSet<>());
        }
    }

    /** Reconciles the cluster; returns when to look again (null: at the next change or resync). */
    public Duration reconcile(String cluster, Trigger trigger) {
        Optional<Ownership.Owned> owned = ownership.get(cluster);
        if (owned.isEmpty()) {
            // Not ours (any more): stop reconciling and forget what we reported.
            memory.remove(cluster);
            return null;
        }
        Memory mem = memory.computeIfAbsent(cluster, c -> new Memory());
        Round round = new Round(cluster, owned.get(), mem, trigger.reemits());
        mem.installations.values().forEach(t -> t.emittedThisRound = false);
        try {
            Optional<KubernetesClient> client = clients.apply(cluster);
            if (client.isEmpty()) {
                unregistered(round);
                mem.state = ClusterState.UNREGISTERED;
                return null;
            }
            Duration next = reconcileRegistered(round, new ClusterOps(client.get(), settings.fieldManager()),
                    trigger);
            mem.failures = 0;
            mem.state = summarize(mem);
            return next;
        } catch (UnreachableException e) {
            mem.failures++;
            Duration delay = settings.backoff().delay(mem.failures);
            unreachable(round, e.getMessage());
            mem.state = ClusterState.UNREACHABLE;
            LOG.debugf("cluster %s unreachable (%d in a row), next attempt in %s", cluster, mem.failures, delay);
            return delay;
        } catch (LostOwnershipException e) {
            memory.remove(cluster);
            return null;
        } catch (ClusterOps.CallFailed e) {
            // Only the inventories' read reaches here: every installation of the cluster depends on it.
            Failure failure = Failure.classify(e.getCause());
            failedEverywhere(round, failureMessage(e.action(), failure), failure);
            mem.failures = 0;
            mem.state = summarize(mem);
            return null;
        } catch (RuntimeException e) {
            // A bug of ours outside any one installation's work: every installation of the cluster says so.
            Failure failure = new Failure.Internal(e);
            failedEverywhere(round, failure.message(), failure);
            mem.failures = 0;
            mem.state = summarize(mem);
            return null;
        }
    }

    public Map<ClusterState, Long> clustersByState() {
        return memory.values().stream().collect(Collectors.groupingBy(m -> m.state, Collectors.counting()));
    }

    private void unregistered(Round round) {
        String message = "cluster '" + round.cluster() + "' is not registered: create a Secret in the management"
                + " cluster labelled " + Crds.CLUSTER_LABEL + "=" + round.cluster() + " with its kubeconfig under"
                + " data key '" + Crds.KUBECONFIG_KEY + "'";
        for (Plan plan : round.owned().plans()) {
            report(round, plan, Phase.PENDING, message, null);
        }
        forgetUndesired(round, Set.of());
    }

    private void unreachable(Round round, String why) {
        String message = "cluster '" + round.cluster() + "' is unreachable (" + why + "); retrying with backoff";
        Set<InstallationKey> desired = new HashSet<>();
        for (Plan plan : round.owned().plans()) {
            desired.add(plan.key());
            Tracked t = round.memory().installations.get(plan.key());
            report(round, plan, Phase.UNKNOWN, message, t == null ? null : t.observedOperatorJson);
        }
        // Installations being removed are also in an unknown state until the cluster answers.
        for (Map.Entry<InstallationKey, Tracked> e : new ArrayList<>(round.memory().installations.entrySet())) {
            if (!desired.contains(e.getKey())) {
                Tracked t = e.getValue();
                report(round, e.getKey(), t.owner, t.generation, t.planHash, Phase.UNKNOWN, message,
                        t.observedOperatorJson);
            }
        }
    }

    /**
     * A refusal or a bug that stops the whole cluster's reconcile: each desired installation fails
     * with {@code message}, each one being removed needs a person (it is not uninstalled yet).
     * Final until the next resync, no backoff: retrying sooner would get the same answer.
     */
    private void failedEverywhere(Round round, String message, Failure failure) {
        Set<InstallationKey> desired = new HashSet<>();
        for (Plan plan : round.owned().plans()) {
            desired.add(plan.key());
            logInternalOnce(round, plan.key(), message, failure);
            report(round, plan, Phase.INSTALL_FAILED, message, currentOperator(round, plan));
        }
        for (Map.Entry<InstallationKey, Tracked> e : new ArrayList<>(round.memory().installations.entrySet())) {
            Tracked t = e.getValue();
            if (!desired.contains(e.getKey()) && t.phase != Phase.UNINSTALLED) {
                logInternalOnce(round, e.getKey(), message, failure);
                report(round, e.getKey(), t.owner, t.generation, t.planHash, Phase.ACTION_REQUIRED, message,
                        t.observedOperatorJson);
            }
        }
    }

    /** A refusal or a bug while working on one installation: it fails; the cluster's other installations go on. */
    private void failed(Round round, Action action, String message, Failure failure) {
        if (action instanceof Action.Remove remove) {
            Inventory inventory = remove.current();
            Tracked t = round.memory().installations.get(inventory.key());
            long generation = t == null ? inventory.generation() : Math.max(t.generation, inventory.generation());
            logInternalOnce(round, inventory.key(), message, failure);
            // Not uninstalled: the objects may still be there. A person must grant what was refused, or fix us.
            report(round, inventory.key(), inventory.owner(), generation, inventory.planHash(), Phase.ACTION_REQUIRED,
                    message, inventory.observedOperatorJson());
            return;
        }
        Plan plan = plan(action);
        logInternalOnce(round, plan.key(), message, failure);
        report(round, plan, Phase.INSTALL_FAILED, message, currentOperator(round, plan));
    }

    /** An internal error is logged with its stack the first time an installation reports it, not at every resync. */
    private void logInternalOnce(Round round, InstallationKey key, String message, Failure failure) {
        if (failure instanceof Failure.Internal internal) {
            Tracked t = round.memory().installations.get(key);
            if (t == null || !message.equals(t.message)) {
                LOG.errorf(internal.error(), "internal error reconciling %s in cluster %s", key, round.cluster());
            }
        }
    }

    private static String failureMessage(String action, Failure failure) {
        return failure instanceof Failure.Refused ? action + " was refused: " + failure.message()
                + "; retried at the next resync" : failure.message();
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

    private Duration reconcileRegistered(Round round, ClusterOps ops, Trigger trigger) {
        List<Inventory> inventories = call(ops::readInventories);
        Map<InstallationKey, Inventory> installed = new LinkedHashMap<>();
        inventories.forEach(i -> installed.put(i.key(), i));
        Duration next = null;
        List<Action> actions = InstallationDiff.diff(round.owned().plans(), inventories);
        // What this reconcile's applies will render: no prune may delete it before its new owner applies it.
        Map<InstallationKey, Set<String>> renders = new LinkedHashMap<>();
        for (Action action : actions) {
            Plan plan = action instanceof Action.Install i ? i.plan()
                    : action instanceof Action.Upgrade u ? u.plan() : null;
            if (plan != null) {
                Set<String> ids = renderedIdentities(plan);
                renders.put(plan.key(), ids);
                round.renderedByApplies().addAll(ids);
            }
        }
        for (Action action : ApplyOrder.order(actions, renders, inventories)) {
            Duration d = null;
            try {
                d = act(round, ops, action, installed, trigger);
            } catch (UnreachableException | LostOwnershipException e) {
                throw e;
            } catch (ClusterOps.CallFailed e) {
                Failure failure = Failure.classify(e.getCause());
                failed(round, action, failureMessage(e.action(), failure), failure);
            } catch (RuntimeException e) {
                Failure failure = new Failure.Internal(e);
                failed(round, action, failure.message(), failure);
            }
            next = earliest(next, d);
        }
        forgetUndesired(round, installed.keySet());
        return next;
    }

    private Duration act(Round round, ClusterOps ops, Action action, Map<InstallationKey, Inventory> installed,
            Trigger trigger) {
        if (action instanceof Action.Install install) {
            return apply(round, ops, install.plan(), install.current(), installed, false);
        } else if (action instanceof Action.Upgrade upgrade) {
            return apply(round, ops, upgrade.plan(), upgrade.current(), installed, true);
        } else if (action instanceof Action.InSync inSync) {
            return inSync(round, ops, inSync.plan(), inSync.current(), installed, trigger);
        } else if (action instanceof Action.Refuse refuse) {
            report(round, refuse.plan(), Phase.ACTION_REQUIRED, refuse.message(),
                    refuse.current().observedOperatorJson());
        } else if (action instanceof Action.Remove remove) {
            uninstall(round, ops, remove.current(), installed);
        }
        return null;
    }

    private Duration apply(Round round, ClusterOps ops, Plan plan, Inventory current,
            Map<InstallationKey, Inventory> installed, boolean upgrade) {
        Tracked t = round.memory().installations.get(plan.key());
        boolean failedBefore = t != null && plan.planHash().equals(t.planHash)
                && (t.phase == Phase.CONTROLLER_INSTALL_FAILED || t.phase == Phase.INSTALL_FAILED);
        if (failedBefore && !round.resync()) {
            // Refused by the API: retried at the next resync, not on every readiness poll of the cluster.
            return null;
        }
        if (!plan.owner().isControlPlane() && !controlPlanePresent(plan, installed)) {
            report(round, plan, Phase.NO_CONTROL_PLANE_AVAILABLE, "no control plane of revision '"
                    + Names.revisionLabel(plan.controlPlaneRevision()) + "' is installed in cluster '"
                    + round.cluster() + "'; the gateway is installed once an IstioLifecycleManager provides it",
                    null);
            return null;
        }
        if (plan.owner().isControlPlane()) {
            List<ObjectRef> foreign = call(ops::unmanagedIstiods);
            if (!foreign.isEmpty()) {
                report(round, plan, Phase.ACTION_REQUIRED, "found an Istio control plane that Meshfleet does not manage ("
                        + foreign.stream().map(ObjectRef::toString).collect(Collectors.joining(", "))
                        + "); Meshfleet never touches it: uninstall or migrate it, and the installation proceeds at"
                        + " the next resync", null);
                return null;
            }
        }
        List<List<HasMetadata>> rendered = new ArrayList<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                rendered.add(Manifests.label(renderer.render(chart), labels(plan)));
            }
        } catch (ChartRenderer.RenderException | IllegalArgumentException e) {
            report(round, plan, Phase.INSTALL_FAILED, e.getMessage(), null);
            return null;
        }
        // A retry after a refusal reports only its outcome: the progress states were reported already.
        Applier.Outcome outcome = applier.apply(ops, plan, current, rendered, upgrade, (phase, message) -> {
            if (!failedBefore) {
                report(round, plan, phase, message, currentOperator(round, plan));
            }
        });
        if (outcome instanceof Applier.Outcome.Refused refused) {
            report(round, plan, refused.baseLayer() ? Phase.CONTROLLER_INSTALL_FAILED : Phase.INSTALL_FAILED,
                    refused.message(), null);
            return null;
        }
        if (outcome instanceof Applier.Outcome.Unreachable unreachable) {
            throw new UnreachableException(unreachable.message());
        }
        List<ObjectRef> all = ((Applier.Outcome.Applied) outcome).objects();
        List<ObjectRef> deferred = prune(round, ops, plan.key(), current, all, installed);
        List<ObjectRef> listed = new ArrayList<>(all);
        listed.addAll(deferred);
        Inventory inventory = new Inventory(plan.owner(), plan.generation(), plan.revision(), plan.tag(),
                plan.planHash(), plan.observedOperatorJson(), true, listed, clock.instant(), null);
        call(() -> {
            ops.writeInventory(inventory);
            return null;
        });
        installed.put(plan.key(), inventory);
        Tracked now = round.memory().installations.get(plan.key());
        now.since = clock.instant();
        return health(round, ops, plan, inventory);
    }

    private Duration inSync(Round round, ClusterOps ops, Plan plan, Inventory inventory,
            Map<InstallationKey, Inventory> installed, Trigger trigger) {
        if (trigger == Trigger.RESYNC && settings.repairDrift()) {
            Map<InstallationKey, Inventory> others = new LinkedHashMap<>(installed);
            others.remove(plan.key());
            DriftRepair.Outcome outcome = call(() -> driftRepair.repair(ops, plan, labels(plan),
                    listedBy(others.values())));
            if (outcome instanceof DriftRepair.Outcome.Unreachable u) {
                throw new UnreachableException(u.message());
            }
            if (outcome instanceof DriftRepair.Outcome.Failed failed) {
                report(round, plan, Phase.INSTALL_FAILED, failed.message(), inventory.observedOperatorJson());
                return null;
            }
            if (outcome instanceof DriftRepair.Outcome.Repaired repaired) {
                report(round, plan, Phase.RECONCILING, "repairing drift: " + String.join("; ", repaired.drift()),
                        inventory.observedOperatorJson());
            }
        }
        return health(round, ops, plan, inventory);
    }

    private Duration health(Round round, ClusterOps ops, Plan plan, Inventory inventory) {
        Health health = HealthEvaluation.evaluate(call(() -> ops.workloads(inventory.objects())));
        Tracked t = round.memory().installations.get(plan.key());
        Instant now = clock.instant();
        Verdict verdict = Verdict.decide(plan, inventory, health, t == null ? null : t.reported(), now,
                settings.readinessPoll());
        if (verdict.recordReadySince()) {
            Inventory ready = inventory.withReadySince(now);
            call(() -> {
                ops.writeInventory(ready);
                return null;
            });
        }
        report(round, plan, verdict.phase(), verdict.message(), verdict.observedOperatorJson());
        if (verdict.waitingSince() != null) {
            round.memory().installations.get(plan.key()).since = verdict.waitingSince();
        }
        return verdict.next();
    }

    private void uninstall(Round round, ClusterOps ops, Inventory inventory, Map<InstallationKey, Inventory> installed) {
        InstallationKey key = inventory.key();
        Tracked t = round.memory().installations.get(key);
        long generation = t == null ? inventory.generation() : Math.max(t.generation, inventory.generation());
        report(round, key, inventory.owner(), generation, inventory.planHash(), Phase.UNINSTALLING,
                "removing " + inventory.objects().size() + " objects", inventory.observedOperatorJson());
        Map<InstallationKey, Inventory> others = new LinkedHashMap<>(installed);
        others.remove(key);
        Set<String> stillListed = listedBy(others.values());
        List<ObjectRef> delete = inventory.objects().stream().filter(o -> !stillListed.contains(o.identity()))
                .toList();
        call(() -> {
            ops.delete(delete);
            ops.deleteInventory(inventory);
            return null;
        });
        // Only once it is gone: a refused delete leaves it installed, and not "nothing installed".
        installed.remove(key);
        report(round, key, inventory.owner(), generation, inventory.planHash(), Phase.UNINSTALLED, "", null);
        round.memory().installations.remove(key);
    }

    /**
     * Deletes what the installation had and no longer renders, unless another inventory lists it
     * or an apply of this reconcile renders it (it is moving to another installation: deleting it
     * first would leave a gap). Returns the objects kept for the second reason and listed by no
     * other inventory yet: this inventory keeps listing them, so that nothing leaks if that apply
     * does not happen; once the new owner lists them, they are no longer this one's to prune.
     */
    private List<ObjectRef> prune(Round round, ClusterOps ops, InstallationKey key, Inventory current,
            List<ObjectRef> rendered, Map<InstallationKey, Inventory> installed) {
        if (current == null) {
            return List.of();
        }
        Set<String> keep = rendered.stream().map(ObjectRef::identity).collect(Collectors.toCollection(HashSet::new));
        Map<InstallationKey, Inventory> others = new LinkedHashMap<>(installed);
        others.remove(key);
        keep.addAll(listedBy(others.values()));
        List<ObjectRef> stale = current.objects().stream().filter(o -> !keep.contains(o.identity())).toList();
        List<ObjectRef> deferred = stale.stream().filter(o -> round.renderedByApplies().contains(o.identity()))
                .toList();
        List<ObjectRef> delete = stale.stream().filter(o -> !deferred.contains(o)).toList();
        if (!delete.isEmpty()) {
            call(() -> {
                ops.delete(delete);
                return null;
            });
        }
        return deferred;
    }

    private static Map<String, String> labels(Plan plan) {
        return Map.of(Names.MANAGED_BY, Names.MANAGED_BY_VALUE, Names.OWNER_LABEL, Names.ownerLabel(plan.owner()),
                Names.REVISION_LABEL, Names.revisionLabel(plan.revision()));
    }

    /** The identities a plan renders; none when it cannot be rendered (its apply reports why). */
    private Set<String> renderedIdentities(Plan plan) {
        Set<String> ids = new HashSet<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                renderer.render(chart).forEach(o -> ids.add(Manifests.ref(o).identity()));
            }
        } catch (ChartRenderer.RenderException | IllegalArgumentException e) {
            return Set.of();
        }
        return ids;
    }

    private static boolean controlPlanePresent(Plan gateway, Map<InstallationKey, Inventory> installed) {
        return installed.values().stream().anyMatch(i -> i.owner().isControlPlane() && i.complete()
                && i.revision().equals(gateway.controlPlaneRevision()));
    }

    private static Set<String> listedBy(Iterable<Inventory> inventories) {
        Set<String> listed = new HashSet<>();
        for (Inventory i : inventories) {
            i.objects().forEach(o -> listed.add(o.identity()));
        }
        return listed;
    }

    /** Installations reported before that are neither desired nor installed: nothing is left of them. */
    private void forgetUndesired(Round round, Set<InstallationKey> installed) {
        Set<InstallationKey> desired = round.owned().plans().stream().map(Plan::key).collect(Collectors.toSet());
        for (Map.Entry<InstallationKey, Tracked> e : new ArrayList<>(round.memory().installations.entrySet())) {
            InstallationKey key = e.getKey();
            if (!desired.contains(key) && !installed.contains(key)) {
                Tracked t = e.getValue();
                if (t.phase != Phase.UNINSTALLED) {
                    report(round, key, t.owner, t.generation, t.planHash, Phase.UNINSTALLED, "nothing installed", null);
                }
                round.memory().installations.remove(key);
            }
        }
    }

    private String currentOperator(Round round, Plan plan) {
        Tracked t = round.memory().installations.get(plan.key());
        return t == null ? null : t.observedOperatorJson;
    }

    private void report(Round round, Plan plan, Phase phase, String message, String observedOperatorJson) {
        report(round, plan.key(), plan.owner(), plan.generation(), plan.planHash(), phase, message,
                observedOperatorJson);
    }

    /**
     * Records the installation's state and emits it when it changed (or on a resync, once per
     * round). A message change alone is not a state change: it goes out with the next one.
     */
    private void report(Round round, InstallationKey key, Owner owner, long generation, String planHash, Phase phase,
            String message, String observedOperatorJson) {
        if (!ownership.owns(round.cluster(), round.owned().epoch())) {
            throw new LostOwnershipException();
        }
        Tracked t = round.memory().installations.computeIfAbsent(key, k -> new Tracked());
        boolean changed = t.phase != phase || !planHash.equals(t.planHash) || t.generation != generation
                || !java.util.Objects.equals(t.observedOperatorJson, observedOperatorJson);
        Phase previous = t.phase;
        t.owner = owner;
        t.generation = generation;
        t.revision = key.revision();
        t.planHash = planHash;
        t.phase = phase;
        t.message = message;
        t.observedOperatorJson = observedOperatorJson;
        if (previous != phase) {
            t.since = clock.instant();
        }
        if (!changed && !(round.resync() && !t.emittedThisRound)) {
            return;
        }
        t.emittedThisRound = true;
        reporting.emit(round.cluster(), round.owned().epoch(), key, owner, generation, planHash, phase, message,
                observedOperatorJson, changed);
    }

    private static ClusterState summarize(Memory mem) {
        boolean progressing = false;
        boolean failed = false;
        for (Tracked t : mem.installations.values()) {
            if (t.phase == null || t.phase == Phase.HEALTHY || t.phase == Phase.UNINSTALLED) {
                continue;
            }
            if (t.phase.settled()) {
                failed |= t.phase.progress() == Phase.Progress.FAILED;
                progressing |= t.phase.progress() == Phase.Progress.WAITING;
            } else {
                progressing = true;
            }
        }
        return failed ? ClusterState.FAILED : progressing ? ClusterState.PROGRESSING : ClusterState.HEALTHY;
    }

    private static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Runs a cluster call. An unreachable cluster aborts the whole reconcile (backoff); a refusal or
     * a bug is left to the installation being worked on ({@link #failed}).
     */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (ClusterOps.CallFailed e) {
            if (Failure.classify(e.getCause()) instanceof Failure.Unreachable unreachable) {
                throw new UnreachableException(unreachable.message());
            }
            throw e;
        }
    }
}
