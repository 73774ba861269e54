package dev.meshfleet.installer.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.cluster.ApplyResult;
import dev.meshfleet.installer.cluster.ClusterOps;
import dev.meshfleet.installer.cluster.Failure;
import dev.meshfleet.installer.cluster.WorkloadWatches;
import dev.meshfleet.installer.diff.Action;
import dev.meshfleet.installer.diff.RepairScope;
import dev.meshfleet.installer.health.Health;
import dev.meshfleet.installer.health.HealthEvaluation;
import dev.meshfleet.installer.health.WatchedWorkload;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.model.Plan;
import dev.meshfleet.installer.peering.PeeringGateways;
import dev.meshfleet.installer.pki.CaCertsIssuer;
import dev.meshfleet.installer.pki.CaCertsSecret;
import dev.meshfleet.installer.remote.ReaderTokenRefill;
import dev.meshfleet.installer.remote.RemoteSecrets;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.installer.render.Names;
import dev.meshfleet.installer.work.Trigger;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.state.Phase;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Level-triggered reconcile of one cluster (STYLE 5), the I/O shell around {@link RoundDecision}:
 * read the inventories, ask the round what each installation comes to, carry it out through
 * {@link Applier}, {@link DriftRepair} and {@link ClusterOps}, time health with {@link Verdict}, emit
 * through {@link Reporting}. It keeps only what it reported last per installation ({@link LastReport},
 * to emit on change and to time readiness) and what its applies left in the cluster (so that a drift repair
 * skips what nobody wrote since: {@link dev.meshfleet.installer.diff.RepairScope}); everything else is read from
 * the cluster each time, so a restarted replica picks up where another left off (its first repair applies all). Callers guarantee one reconcile at a time per
 * cluster.
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

    private static final class Memory {
        /** What was reported last per installation, in the order they were first reported. */
        final Map<InstallationKey, LastReport> installations = new LinkedHashMap<>();
        /**
         * Installations the translator announced (INSTALL_PENDING) whose plan a later desired state dropped before
         * any round reconciled it: never reported by this replica, never installed. A round forgets them as it
         * forgets what it reported, with UNINSTALLED, or their INSTALL_PENDING would stand on the resource for good
         * (a canary added and removed within seconds, soak seed 22).
         */
        final Map<InstallationKey, LastReport> superseded = new LinkedHashMap<>();
        /** The installations emitted in the current round (a resync emits each once). */
        final Set<InstallationKey> emittedThisRound = new HashSet<>();
        /**
         * What this replica's applies wrote in the cluster, the content's digest by object identity (ApplyScope); an
         * object this replica deletes is forgotten.
         */
        final Map<String, String> written = new HashMap<>();
        /** The namespaces this replica applied in the cluster (ClusterOps). */
        final Set<String> namespaces = new HashSet<>();
        /** What this replica's applies and drift repairs left in the cluster, by object identity (RepairScope). */
        final Map<String, RepairScope.Seen> repaired = new HashMap<>();
        /**
         * The reader token version each remote secret in the cluster records (ADR 0031, session 25), by identity, as
         * this replica wrote it or read it once; empty: it records none. Absent: not known to this replica.
         */
        final Map<String, Optional<ReaderTokenRefill.Version>> readerTokens = new HashMap<>();
        /**
         * The cluster's inventories as last read at a resync and kept since by this replica's own writes (only the
         * owner of a cluster writes them, and a new owner starts with a resync), under {@link #inventoriesEpoch};
         * null when unknown. Health checks and readiness polls between resyncs use them instead of a list.
         */
        Map<InstallationKey, Inventory> inventories;
        long inventoriesEpoch;
        /** Per ServiceMeshController installation: when its cacerts is replaced, and the root it chains to. */
        final Map<InstallationKey, Instant> caRotateAt = new HashMap<>();
        final Map<InstallationKey, String> caRoot = new HashMap<>();
        /** The rotation time each installation's last event carried. */
        final Map<InstallationKey, Instant> caReported = new HashMap<>();
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
    private final WorkloadWatches watches;
    private final LongAdder watchedReads = new LongAdder();
    private final LongAdder apiReads = new LongAdder();
    private final ChartRenderer renderer;
    private final EventSink events;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Memory> memory = new ConcurrentHashMap<>();
    private final Reporting reporting;
    private final DriftRepair driftRepair;
    private final Applier applier = new Applier();
    private final CaCertsIssuer caCerts;
    private final RemoteSecrets remoteSecrets;

    /**
     * @param watches the owned clusters' workload watches: health is read from them where they vouch for an object
     */
    public ClusterReconciler(Ownership ownership, Function<String, Optional<KubernetesClient>> clients,
            WorkloadWatches watches, ChartRenderer renderer, EventSink events, Clock clock, Settings settings) {
        this(ownership, clients, watches, renderer, events, clock, settings, CaCertsIssuer.none());
    }

    /** @param caCerts the shared root of trust's intermediates, written for every ServiceMeshController (ADR 0028) */
    public ClusterReconciler(Ownership ownership, Function<String, Optional<KubernetesClient>> clients,
            WorkloadWatches watches, ChartRenderer renderer, EventSink events, Clock clock, Settings settings,
            CaCertsIssuer caCerts) {
        this.caCerts = caCerts;
        this.ownership = ownership;
        this.clients = clients;
        this.watches = watches;
        this.renderer = renderer;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.reporting = new Reporting(events, clock, settings.replicaId());
        this.remoteSecrets = new RemoteSecrets(clients);
        this.driftRepair = new DriftRepair(renderer, remoteSecrets);
    }

    /**
     * Per reconcile: the cluster, the ownership it runs under, whether to re-emit everything, and the
     * round's decisions so far (null until the inventories are read).
     */
    private static final class Round {
        final String cluster;
        final Ownership.Owned owned;
        final Memory memory;
        final boolean resync;
        /** Whether the round reads the reader tokens of the remote secrets it holds again ({@link Trigger}). */
        final boolean readsReaderTokens;
        /** The cluster's workloads as its watch holds them (null: not vouched for); set once the client is known. */
        Function<ObjectRef, HasMetadata> watched = ref -> null;
        RoundDecision decision;

        Round(String cluster, Ownership.Owned owned, Memory memory, Trigger trigger) {
            this.cluster = cluster;
            this.owned = owned;
            this.memory = memory;
            this.resync = trigger.reemits();
            this.readsReaderTokens = trigger.readsReaderTokens();
        }
    }

    /** Reconciles the cluster; returns when to look again (null: at the next change or resync). */
    public Duration reconcile(String cluster, Trigger trigger) {
        List<Plan> announced = ownership.takeAnnounced(cluster); // before the desired state: see takeAnnounced
        Optional<Ownership.Owned> owned = ownership.get(cluster);
        if (owned.isEmpty()) {
            // Not ours (any more): stop reconciling and forget what we reported.
            memory.remove(cluster);
            watches.stop(cluster);
            return null;
        }
        Memory mem = memory.computeIfAbsent(cluster, c -> new Memory());
        rememberSuperseded(mem, announced, owned.get().plans());
        Round round = new Round(cluster, owned.get(), mem, trigger);
        mem.emittedThisRound.clear();
        try {
            Optional<KubernetesClient> client = clients.apply(cluster);
            if (client.isEmpty()) {
                watches.stop(cluster);
                RoundDecision.unregistered(cluster, round.owned.plans()).forEach(r -> report(round, r));
                forget(round, RoundDecision.forget(round.owned.plans(), Set.of(), forgettable(round)));
                mem.state = ClusterState.UNREGISTERED;
                return null;
            }
            ClusterOps ops = new ClusterOps(client.get(), settings.fieldManager(), mem.namespaces);
            // Gateways are watched only where a peering installation is desired (ADR 0046).
            round.watched = watched(watches.view(cluster, client.get(),
                    round.owned.plans().stream().anyMatch(PeeringGateways::is)), mem);
            Duration next;
            try {
                next = reconcileRegistered(round, ops, trigger);
            } finally {
                rememberInventories(mem, ops);
            }
            mem.failures = 0;
            mem.state = RoundDecision.clusterState(mem.installations.values());
            return next;
        } catch (UnreachableException e) {
            mem.failures++;
            Duration delay = settings.backoff().delay(mem.failures);
            RoundDecision.unreachable(cluster, e.getMessage(), round.owned.plans(), reportedNow(round))
                    .forEach(r -> report(round, r));
            mem.state = ClusterState.UNREACHABLE;
            LOG.debugf("cluster %s unreachable (%d in a row), next attempt in %s", cluster, mem.failures, delay);
            return delay;
        } catch (LostOwnershipException e) {
            memory.remove(cluster);
            watches.stop(cluster);
            return null;
        } catch (ClusterOps.CallFailed e) {
            // Only the inventories' read reaches here: every installation of the cluster depends on it.
            Failure failure = Failure.classify(e.getCause());
            failedEverywhere(round, failureMessage(e.action(), failure), failure);
            mem.failures = 0;
            mem.state = RoundDecision.clusterState(mem.installations.values());
            return null;
        } catch (RuntimeException e) {
            // A bug of ours outside any one installation's work: every installation of the cluster says so.
            Failure failure = new Failure.Internal(e);
            failedEverywhere(round, failure.message(), failure);
            mem.failures = 0;
            mem.state = RoundDecision.clusterState(mem.installations.values());
            return null;
        }
    }

    /** The watch's copy of a workload where it has this replica's last write of it ({@link WatchedWorkload}). */
    private Function<ObjectRef, HasMetadata> watched(Function<ObjectRef, HasMetadata> view, Memory mem) {
        return ref -> {
            HasMetadata copy = view.apply(ref);
            if (copy != null && WatchedWorkload.current(copy.getMetadata().getUid(),
                    copy.getMetadata().getGeneration() == null ? 0 : copy.getMetadata().getGeneration(),
                    mem.repaired.get(ref.identity()))) {
                watchedReads.increment();
                return copy;
            }
            apiReads.increment();
            return null;
        };
    }

    /** Workload reads for health answered by the clusters' watches since the start. */
    public long watchedReads() {
        return watchedReads.sum();
    }

    /** Workload reads for health sent to the clusters' APIs since the start. */
    public long apiReads() {
        return apiReads.sum();
    }

    public Map<ClusterState, Long> clustersByState() {
        return memory.values().stream().collect(Collectors.groupingBy(m -> m.state, Collectors.counting()));
    }

    /** Final until the next resync, no backoff: retrying sooner would get the same answer. */
    private void failedEverywhere(Round round, String message, Failure failure) {
        for (RoundDecision.Report r : RoundDecision.failedEverywhere(message, round.owned.plans(), reportedNow(round))) {
            logInternalOnce(round, r.key(), message, failure);
            report(round, r);
        }
    }

    /** A refusal or a bug while working on one installation: it fails; the cluster's other installations go on. */
    private void failed(Round round, Action action, String message, Failure failure) {
        logInternalOnce(round, action.key(), message, failure);
        report(round, RoundDecision.failed(action, message, reportedNow(round)));
    }

    /** An internal error is logged with its stack the first time an installation reports it, not at every resync. */
    private void logInternalOnce(Round round, InstallationKey key, String message, Failure failure) {
        if (failure instanceof Failure.Internal internal) {
            LastReport last = round.memory.installations.get(key);
            if (last == null || !message.equals(last.message())) {
                LOG.errorf(internal.error(), "internal error reconciling %s in cluster %s", key, round.cluster);
            }
        }
    }

    private static String failureMessage(String action, Failure failure) {
        return failure instanceof Failure.Refused ? action + " was refused: " + failure.message()
                + "; retried at the next resync" : failure.message();
    }

    private Duration reconcileRegistered(Round round, ClusterOps ops, Trigger trigger) {
        List<Inventory> inventories = inventories(round, ops, trigger);
        List<Plan> plans = round.owned.plans();
        // What this reconcile's applies will render: no prune may delete it before its new owner applies it.
        Map<InstallationKey, Set<String>> renders = new LinkedHashMap<>();
        for (Plan plan : RoundDecision.toApply(plans, inventories)) {
            renders.put(plan.key(), renderedIdentities(plan, round.cluster));
        }
        round.decision = RoundDecision.start(round.cluster, plans, inventories, renders, reportedNow(round),
                round.resync, trigger.repairsDrift() && settings.repairDrift());
        Duration next = null;
        for (Action action : round.decision.order()) {
            Duration d = null;
            try {
                d = act(round, ops, round.decision.step(action));
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
        forget(round, round.decision.forget(forgettable(round)));
        return next;
    }

    /**
     * The cluster's inventories: read at an assignment or a drift repair ({@link Trigger#readsInventories}) or when
     * not known under the round's epoch, else as this replica's memory holds them. An inventory someone else edits or
     * deletes is seen at the next drift repair, as any other drift is.
     */
    private List<Inventory> inventories(Round round, ClusterOps ops, Trigger trigger) {
        Memory mem = round.memory;
        if (!trigger.readsInventories() && mem.inventories != null && mem.inventoriesEpoch == round.owned.epoch()) {
            return mem.inventories.values().stream()
                    .sorted(Comparator.comparing((Inventory i) -> Names.inventoryName(i.owner(), i.revision())))
                    .toList();
        }
        mem.inventories = null;
        List<Inventory> read = call(ops::readInventories);
        Map<InstallationKey, Inventory> byKey = new LinkedHashMap<>();
        read.forEach(i -> byKey.put(i.key(), i));
        mem.inventories = byKey;
        mem.inventoriesEpoch = round.owned.epoch();
        return read;
    }

    /** Folds a round's inventory writes into the memory; a failed write makes the next round read them. */
    private static void rememberInventories(Memory mem, ClusterOps ops) {
        if (mem.inventories == null) {
            return;
        }
        if (ops.inventoryWriteFailed()) {
            mem.inventories = null;
            return;
        }
        ops.inventoryChanges().forEach((key, inventory) -> {
            if (inventory == null) {
                mem.inventories.remove(key);
            } else {
                mem.inventories.put(key, inventory);
            }
        });
    }

    private Duration act(Round round, ClusterOps ops, RoundDecision.Step step) {
        if (step instanceof RoundDecision.Step.Apply apply) {
            return apply(round, ops, apply);
        } else if (step instanceof RoundDecision.Step.Check check) {
            return check(round, ops, check);
        } else if (step instanceof RoundDecision.Step.Report r) {
            report(round, r.report());
        } else if (step instanceof RoundDecision.Step.Uninstall uninstall) {
            uninstall(round, ops, uninstall);
        }
        // AwaitResync: refused by the API; retried at the next resync, not on every readiness poll of the cluster.
        return null;
    }

    private Duration apply(Round round, ClusterOps ops, RoundDecision.Step.Apply step) {
        Plan plan = step.plan();
        if (step.checkForeignControlPlane()) {
            List<ObjectRef> foreign = call(ops::unmanagedIstiods);
            if (!foreign.isEmpty()) {
                report(round, RoundDecision.foreignControlPlane(plan, foreign));
                return null;
            }
        }
        List<List<HasMetadata>> rendered = new ArrayList<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                rendered.add(renderer.render(chart, round.cluster, labels(plan)));
            }
        } catch (ChartRenderer.RenderException | IllegalArgumentException e) {
            report(round, RoundDecision.unrenderable(plan, e.getMessage()));
            return null;
        }
        // Seed 004's remote secrets get their kubeconfig here, from the remote clusters' reader tokens (ADR 0031).
        RemoteSecrets.Outcome secrets = remoteSecrets.fill(rendered);
        if (secrets instanceof RemoteSecrets.Outcome.Waiting waiting) {
            report(round, RoundDecision.Report.of(plan, step.upgrade() ? Phase.UPDATING : Phase.INSTALLING,
                    waiting.message(), currentOperator(round, plan)));
            return settings.readinessPoll();
        }
        rendered = new ArrayList<>(((RemoteSecrets.Outcome.Filled) secrets).rendered());
        CaCertsIssuer.Decision.Write ca = null;
        if (writesCaCerts(plan)) {
            CaCertsIssuer.Decision decision = decideCaCerts(round, ops, plan);
            if (!(decision instanceof CaCertsIssuer.Decision.Write write)) {
                report(round, RoundDecision.Report.of(plan, Phase.ACTION_REQUIRED, refusal(decision),
                        currentOperator(round, plan)));
                return null;
            }
            ca = write;
            // Before istiod's layer: istiod reads its plug-in CA at start.
            rendered.add(Math.min(1, rendered.size()), Manifests.label(List.of(ca.secret()), labels(plan)));
        }
        Applier.Outcome outcome = applier.apply(ops, plan, step.current(), rendered, step.upgrade(),
                round.memory.written, (phase, message) -> {
                    if (step.announce()) {
                        report(round, RoundDecision.Report.of(plan, phase, message, currentOperator(round, plan)));
                    }
                });
        if (outcome instanceof Applier.Outcome.Refused refused) {
            report(round, RoundDecision.refused(plan, refused.baseLayer(), refused.message()));
            return null;
        }
        if (outcome instanceof Applier.Outcome.Unreachable unreachable) {
            throw new UnreachableException(unreachable.message());
        }
        Applier.Outcome.Applied done = (Applier.Outcome.Applied) outcome;
        if (ca != null) {
            rememberCaCerts(round, plan, ca);
        }
        List<ObjectRef> applied = done.objects();
        // As the install left them: the next drift repair applies only what was written since.
        DriftRepair.remember(round.memory.repaired, applied, done.live(),
                DriftRepair.digest(plan, round.cluster, labels(plan)));
        rememberReaderTokens(round.memory, rendered.stream().flatMap(List::stream).toList());
        RoundDecision.Prune prune = round.decision.prune(plan.key(), step.current(), applied);
        if (!prune.delete().isEmpty()) {
            deleting(round.memory, prune.delete());
            call(() -> {
                ops.delete(prune.delete());
                return null;
            });
        }
        Inventory inventory = RoundDecision.inventory(plan, applied, prune, clock.instant());
        round.decision = round.decision.applied(inventory);
        // Readiness is timed from the apply.
        round.memory.installations.computeIfPresent(plan.key(), (k, last) -> last.withSince(clock.instant()));
        // The inventory is written once, after the health read: ready at once (a plan that only added a remote peer
        // Gateway), it records readySince in the same write (ADR 0048).
        return health(round, ops, plan, inventory, true);
    }

    /** Forgets what this replica wrote of objects it is about to delete: an apply must write them again. */
    private static void deleting(Memory memory, Collection<ObjectRef> objects) {
        objects.forEach(o -> memory.written.remove(o.identity()));
    }

    private Duration check(Round round, ClusterOps ops, RoundDecision.Step.Check step) {
        Plan plan = step.plan();
        if (round.readsReaderTokens && writesRemoteSecrets(plan)) {
            // Before the drift repair: a remote secret filled again here is then as this replica left it.
            if (!goOnAfterRepair(round, step, call(() -> refillRemoteSecrets(round, ops, plan)))) {
                return null;
            }
        }
        if (step.repairDrift() && !goOnAfterRepair(round, step, call(() -> driftRepair.repair(ops, round.cluster, plan,
                labels(plan), step.listedByOthers(), round.memory.repaired, round.memory.readerTokens)))) {
            return null;
        }
        if (writesCaCerts(plan) && !caCertsCurrent(round, ops, plan)) {
            return null;
        }
        return health(round, ops, plan, step.current(), false);
    }

    /**
     * Reports what a repair (a drift repair, or remote secrets filled again) did, and says whether the round goes on
     * to check health; an unreachable cluster ends the round.
     */
    private boolean goOnAfterRepair(Round round, RoundDecision.Step.Check step, DriftRepair.Outcome outcome) {
        if (outcome instanceof DriftRepair.Outcome.Unreachable u) {
            throw new UnreachableException(u.message());
        }
        RoundDecision.AfterRepair after = RoundDecision.afterRepair(step.plan(), step.current(), outcome);
        if (after.report() != null) {
            report(round, after.report());
        }
        return after.checkHealth();
    }

    /** An ExternalControlPlane's external cluster holds the remote secrets of its remote clusters (ADR 0031). */
    private static boolean writesRemoteSecrets(Plan plan) {
        return plan.owner().kind() == ResourceKind.ExternalControlPlane
                && plan.charts().stream().anyMatch(c -> RemoteSecrets.CHART.equals(c.chart()));
    }

    /**
     * At a resync, an in-sync installation's remote secrets whose remote cluster's reader token Secret is not the one
     * they were filled from (recreated, or written since) are filled again and applied (ADR 0031, session 25). One
     * read of each reader token; the versions the remote secrets record come from this replica's memory, or from one
     * list of the cluster's Secrets when it does not know them (a restart, a new owner). Reported as drift.
     */
    private DriftRepair.Outcome refillRemoteSecrets(Round round, ClusterOps ops, Plan plan) {
        List<HasMetadata> shells = new ArrayList<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                if (RemoteSecrets.CHART.equals(chart.chart())) {
                    renderer.render(chart, round.cluster, labels(plan)).stream().filter(RemoteSecrets::isShell)
                            .forEach(shells::add);
                }
            }
        } catch (ChartRenderer.RenderException | IllegalArgumentException e) {
            return new DriftRepair.Outcome.Failed(e.getMessage());
        }
        Map<String, Optional<ReaderTokenRefill.Version>> recorded = round.memory.readerTokens;
        List<ObjectRef> unknown = shells.stream().map(Manifests::ref).filter(r -> !recorded.containsKey(r.identity()))
                .toList();
        if (!unknown.isEmpty()) {
            ops.liveObjects(unknown).forEach((identity, live) -> recorded.put(identity, RemoteSecrets.recorded(live)));
        }
        // A remote secret missing from the cluster is drift: the drift repair puts it back, filled.
        List<HasMetadata> written = shells.stream().filter(s -> recorded.containsKey(Manifests.ref(s).identity()))
                .toList();
        List<RemoteSecrets.Refilled> refills = remoteSecrets.refill(written,
                s -> recorded.get(Manifests.ref(s).identity()));
        if (refills.isEmpty()) {
            return new DriftRepair.Outcome.InPlace();
        }
        List<HasMetadata> filled = refills.stream().map(RemoteSecrets.Refilled::secret).toList();
        ApplyResult result = ops.apply(filled);
        if (result instanceof ApplyResult.Unreachable u) {
            return new DriftRepair.Outcome.Unreachable(u.message());
        }
        if (result instanceof ApplyResult.Refused refused) {
            return new DriftRepair.Outcome.Failed("filling " + refused.object() + " again was refused: "
                    + refused.message() + "; retried at the next resync");
        }
        DriftRepair.remember(round.memory.repaired, filled.stream().map(Manifests::ref).toList(),
                ((ApplyResult.Applied) result).live(), DriftRepair.digest(plan, round.cluster, labels(plan)));
        rememberReaderTokens(round.memory, filled);
        List<String> why = refills.stream().map(RemoteSecrets.Refilled::why).toList();
        LOG.infof("cluster %s, %s: %s", round.cluster, plan.owner().key(), String.join("; ", why));
        return new DriftRepair.Outcome.Repaired(why);
    }

    /** The reader token versions the remote secrets among {@code applied} (filled, as applied) record. */
    private static void rememberReaderTokens(Memory memory, List<HasMetadata> applied) {
        for (HasMetadata object : applied) {
            if (RemoteSecrets.isShell(object)) {
                memory.readerTokens.put(Manifests.ref(object).identity(), RemoteSecrets.recorded(object));
            }
        }
    }

    /** A ServiceMeshController's installation gets an intermediate of the shared root in {@code cacerts} (ADR 0028). */
    private static boolean writesCaCerts(Plan plan) {
        // Its peering installation (ADR 0046) runs no istiod: the control plane's installation holds cacerts.
        return plan.owner().kind() == ResourceKind.ServiceMeshController && !PeeringGateways.is(plan);
    }

    /** Where istiod runs, and so where its plug-in CA Secret goes: the istiod release's namespace. */
    private static String installNamespace(Plan plan) {
        return plan.charts().stream().filter(c -> "istiod".equals(c.chart())).map(ChartSpec::namespace).findFirst()
                .orElse("istio-system");
    }

    private CaCertsIssuer.Decision decideCaCerts(Round round, ClusterOps ops, Plan plan) {
        String namespace = installNamespace(plan);
        return caCerts.decide(call(() -> ops.secret(namespace, CaCertsSecret.NAME)), round.cluster, namespace,
                clock.instant(), plan.takeOverUnmanaged());
    }

    private static String refusal(CaCertsIssuer.Decision decision) {
        if (decision instanceof CaCertsIssuer.Decision.Missing missing) {
            return missing.message();
        }
        if (decision instanceof CaCertsIssuer.Decision.Refused refused) {
            return refused.message();
        }
        throw new IllegalArgumentException("not a refusal: " + decision);
    }

    private void rememberCaCerts(Round round, Plan plan, CaCertsIssuer.Decision.Write ca) {
        round.memory.caRotateAt.put(plan.key(), ca.rotateAt());
        round.memory.caRoot.put(plan.key(), ca.rootDigest());
        if (ca.issued()) {
            LOG.infof("cluster %s: issued the intermediate CA of %s in cacerts (%s), root sha256 %s, rotates at %s",
                    round.cluster, plan.owner().key(), ca.why(), ca.rootDigest().substring(0, 16), ca.rotateAt());
        }
    }

    /**
     * Between applies, a ServiceMeshController's {@code cacerts} is replaced when due or when the root changed; with
     * what is remembered current, no request is made. False when it could not be made so (reported).
     */
    private boolean caCertsCurrent(Round round, ClusterOps ops, Plan plan) {
        Instant due = round.memory.caRotateAt.get(plan.key());
        Optional<String> root = caCerts.rootDigest();
        if (due != null && clock.instant().isBefore(due) && root.isPresent()
                && root.get().equals(round.memory.caRoot.get(plan.key()))) {
            return true;
        }
        CaCertsIssuer.Decision decision = decideCaCerts(round, ops, plan);
        if (!(decision instanceof CaCertsIssuer.Decision.Write ca)) {
            report(round, RoundDecision.Report.of(plan, Phase.ACTION_REQUIRED, refusal(decision),
                    currentOperator(round, plan)));
            return false;
        }
        if (ca.issued()) {
            ApplyResult result = ops.apply(Manifests.label(List.of(ca.secret()), labels(plan)));
            if (result instanceof ApplyResult.Unreachable u) {
                throw new UnreachableException(u.message());
            }
            if (result instanceof ApplyResult.Refused refused) {
                report(round, RoundDecision.refused(plan, false, "applying " + refused.object() + " was refused: "
                        + refused.message() + "; retried at the next resync"));
                return false;
            }
        }
        rememberCaCerts(round, plan, ca);
        return true;
    }

    /**
     * @param unwritten the inventory was not written yet (just applied): it is written here, whatever the health read
     *                  gives, with readySince when ready at once
     */
    private Duration health(Round round, ClusterOps ops, Plan plan, Inventory inventory, boolean unwritten) {
        Health health;
        Map<String, String> facts = null;
        try {
            health = HealthEvaluation.evaluate(call(() -> ops.workloads(inventory.objects(), round.watched)));
            if (PeeringGateways.is(plan)) {
                // A peered controller's Gateways (ADR 0046): its health, and the address and links other clusters need.
                PeeringGateways.Observation peering = PeeringGateways.observe(
                        call(() -> ops.gateways(inventory.objects(), round.watched)));
                health = Health.both(health, peering.health());
                facts = peering.facts();
            }
        } catch (RuntimeException e) {
            if (unwritten) {
                // What was applied must be listed before anything else can go wrong with the cluster.
                writeInventory(ops, inventory);
            }
            throw e;
        }
        Instant now = clock.instant();
        Verdict verdict = Verdict.decide(plan, inventory, health, round.memory.installations.get(plan.key()), now,
                settings.readinessPoll());
        if (verdict.recordReadySince() || unwritten) {
            writeInventory(ops, verdict.recordReadySince() ? inventory.withReadySince(now) : inventory);
        }
        report(round, RoundDecision.Report.of(plan, verdict.phase(), verdict.message(), verdict.observedOperatorJson())
                .withFacts(facts));
        if (verdict.waitingSince() != null) {
            round.memory.installations.computeIfPresent(plan.key(), (k, last) -> last.withSince(verdict.waitingSince()));
        }
        return verdict.next();
    }

    private void writeInventory(ClusterOps ops, Inventory inventory) {
        call(() -> {
            ops.writeInventory(inventory);
            return null;
        });
    }

    private void uninstall(Round round, ClusterOps ops, RoundDecision.Step.Uninstall step) {
        Inventory inventory = step.inventory();
        report(round, step.removing());
        deleting(round.memory, step.delete());
        call(() -> {
            ops.delete(step.delete());
            ops.deleteInventory(inventory);
            return null;
        });
        // Only once it is gone: a refused delete leaves it installed, and not "nothing installed".
        round.decision = round.decision.uninstalled(inventory.key());
        report(round, step.removed());
        round.memory.installations.remove(inventory.key());
        round.memory.emittedThisRound.remove(inventory.key());
        forgetCaCerts(round.memory, inventory.key());
    }

    private static void forgetCaCerts(Memory memory, InstallationKey key) {
        memory.caRotateAt.remove(key);
        memory.caRoot.remove(key);
        memory.caReported.remove(key);
    }

    private void rememberSuperseded(Memory mem, List<Plan> announced, List<Plan> desired) {
        Set<InstallationKey> wanted = desired.stream().map(Plan::key).collect(Collectors.toSet());
        wanted.forEach(mem.superseded::remove);
        for (Plan p : announced) {
            if (!wanted.contains(p.key()) && !mem.installations.containsKey(p.key())) {
                mem.superseded.put(p.key(), new LastReport(p.owner(), p.generation(), p.planHash(), Phase.INSTALL_PENDING,
                        "", p.observedOperatorJson(), clock.instant()));
            }
        }
    }

    /** What a round may forget: what it reported, and what was announced and superseded unreported. */
    private static Map<InstallationKey, LastReport> forgettable(Round round) {
        Map<InstallationKey, LastReport> all = new LinkedHashMap<>(round.memory.superseded);
        all.putAll(round.memory.installations);
        return all;
    }

    private void forget(Round round, List<RoundDecision.Forget> forget) {
        for (RoundDecision.Forget f : forget) {
            round.memory.superseded.remove(f.key());
            if (f.report() != null) {
                report(round, f.report());
            }
            round.memory.installations.remove(f.key());
            round.memory.emittedThisRound.remove(f.key());
            forgetCaCerts(round.memory, f.key());
        }
    }

    private static Map<String, String> labels(Plan plan) {
        return Map.of(Names.MANAGED_BY, Names.MANAGED_BY_VALUE, Names.OWNER_LABEL, Names.ownerLabel(plan.owner()),
                Names.REVISION_LABEL, Names.revisionLabel(plan.revision()));
    }

    /** The identities a plan renders; none when it cannot be rendered (its apply reports why). */
    private Set<String> renderedIdentities(Plan plan, String cluster) {
        Set<String> ids = new HashSet<>();
        try {
            for (ChartSpec chart : plan.charts()) {
                // Labelled as the apply renders it: the apply then finds it rendered.
                renderer.render(chart, cluster, labels(plan)).forEach(o -> ids.add(Manifests.ref(o).identity()));
            }
        } catch (ChartRenderer.RenderException | IllegalArgumentException e) {
            return Set.of();
        }
        return ids;
    }

    /** A copy of what was reported last, in order: the pure decisions must not see it change under them. */
    private static Map<InstallationKey, LastReport> reportedNow(Round round) {
        return new LinkedHashMap<>(round.memory.installations);
    }

    private static String currentOperator(Round round, Plan plan) {
        LastReport last = round.memory.installations.get(plan.key());
        return last == null ? null : last.observedOperatorJson();
    }

    /**
     * Records the installation's state and emits it when {@link RoundDecision#emission} says so.
     * Nothing more is emitted once the partition is revoked.
     */
    private void report(Round round, RoundDecision.Report report) {
        if (!ownership.owns(round.cluster, round.owned.epoch())) {
            throw new LostOwnershipException();
        }
        Memory mem = round.memory;
        RoundDecision.Emission emission = RoundDecision.emission(mem.installations.get(report.key()),
                mem.emittedThisRound.contains(report.key()), round.resync, report, clock.instant());
        mem.installations.put(report.key(), emission.remembered());
        Instant caRotateAt = mem.caRotateAt.get(report.key());
        // A replaced intermediate changes what the status says even when the state stays.
        boolean caMoved = caRotateAt != null && !caRotateAt.equals(mem.caReported.get(report.key()));
        if (!emission.emit() && !caMoved) {
            return;
        }
        mem.emittedThisRound.add(report.key());
        if (caRotateAt != null) {
            mem.caReported.put(report.key(), caRotateAt);
        }
        reporting.emit(round.cluster, round.owned.epoch(), report.key(), report.owner(), report.generation(),
                report.planHash(), report.phase(), report.message(), report.observedOperatorJson(), caRotateAt,
                emission.remembered().facts(), emission.changed());
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
