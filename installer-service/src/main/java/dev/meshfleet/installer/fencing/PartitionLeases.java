package dev.meshfleet.installer.fencing;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * One {@code coordination.k8s.io/v1} Lease per install-plans partition this replica is assigned, in the
 * management cluster, with client-go's leader-election semantics ({@link LeaseRules}): acquired when the
 * partition is assigned (at once when free or ours, after waiting out another holder's lease otherwise),
 * renewed every retry period, released when the partition is revoked. A replica reconciles a partition's
 * clusters only once it holds the lease ({@code PlanConsumer}), and every write to a workload cluster
 * asks {@link #proof} first ({@link WriteFence}).
 *
 * <p>Lease I/O runs on threads of its own (the first attempt of each wanted lease at once, side by side, then every
 * round on one keeper thread; one attempt of a lease at a time); {@link #proof} is a read of a volatile field, cheap
 * enough for every write. 12 partitions at the default 2 s retry period are 6 small updates a second for
 * the whole fleet, whatever its number of clusters (ADR 0013).
 */
public final class PartitionLeases implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PartitionLeases.class);
    static final String EPOCH_ANNOTATION = "meshfleet.dev/epoch";

    /** This replica holds the lease of a partition, for {@code epoch}, last renewed at {@code renewSent}. */
    public record Proof(long epoch, long renewSent) {
    }

    /** A partition this replica wants, and what it knows of its lease. Fields are guarded by the slot. */
    private static final class Slot {
        final int partition;
        final long epoch;
        Lease held;
        String observedVersion;
        long observedSince;
        boolean released;
        boolean warned;
        volatile Proof proof;
        /** Held by the attempt under way, on the keeper or the acquirers: one attempt of a slot at a time. */
        final ReentrantLock attempting = new ReentrantLock();

        Slot(int partition, long epoch) {
            this.partition = partition;
            this.epoch = epoch;
        }
    }

    private final KubernetesClient management;
    private final String namespace;
    private final String prefix;
    private final String me;
    private final LeaseTiming timing;
    private final LongSupplier nanos;
    private final Clock wall;
    private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "partition-leases");
        t.setDaemon(true);
        return t;
    });
    /**
     * The first attempt of each wanted lease, side by side: a replica assigned four partitions at once (its start, a
     * broker back) holds them after one round trip to the API server instead of four in a row.
     */
    private final ExecutorService acquirers = Executors.newFixedThreadPool(ACQUIRERS, r -> {
        Thread t = new Thread(r, "partition-leases-acquire");
        t.setDaemon(true);
        return t;
    });
    private static final int ACQUIRERS = 4;

    /**
     * @param prefix lease names are {@code <prefix>-<partition>} (the install-plans topic's name)
     * @param me     this replica's id, the leases' holderIdentity: unique among live replicas
     * @param nanos  the monotonic clock ({@code System::nanoTime}; a test's own to make a replica "pause")
     * @param wall   for the Lease's acquireTime and renewTime, which only people read
     */
    public PartitionLeases(KubernetesClient management, String namespace, String prefix, String me, LeaseTiming timing,
            LongSupplier nanos, Clock wall) {
        this.management = management;
        this.namespace = namespace;
        this.prefix = prefix;
        this.me = me;
        this.timing = timing;
        this.nanos = nanos;
        this.wall = wall;
    }

    /** Renews and acquires every retry period from now on. */
    public void start() {
        long period = timing.retryPeriod().toMillis();
        keeper.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    public LeaseTiming timing() {
        return timing;
    }

    public String holder() {
        return me;
    }

    /**
     * Whether a lease of one of the first {@code partitions} partitions is still held under this replica id, before
     * this process has wanted any: a previous process of this replica stopped without releasing it (a crash; a clean
     * stop releases every lease). Static membership then gives this process those partitions back at once, and no
     * other replica reconciles their clusters meanwhile (ADR 0011). Reads only; false when the leases cannot be read.
     */
    public boolean heldFromBefore(int partitions) {
        try {
            for (int p = 0; p < partitions; p++) {
                Lease lease = management.leases().inNamespace(namespace).withName(name(p)).get();
                if (lease != null && me.equals(holderOf(lease))) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            LOG.debugf("leases not read (%s): taken as not held from before", describe(e));
            return false;
        }
    }

    /** The partition was assigned under {@code epoch}: acquire its lease (a first attempt at once). */
    public void want(int partition, long epoch) {
        Slot slot = new Slot(partition, epoch);
        Slot previous = slots.put(partition, slot);
        if (previous != null) {
            close(previous);
        }
        acquirers.execute(() -> attempt(slot));
    }

    /** True once the lease of the partition is held (for the epoch it was wanted under). */
    public boolean holds(int partition) {
        Slot slot = slots.get(partition);
        return slot != null && slot.proof != null;
    }

    /**
     * The proof that this replica holds the partition's lease, if it has one that is still live: renewed
     * within the renew deadline, by this replica's monotonic clock, now.
     */
    public Optional<Proof> proof(int partition) {
        Slot slot = slots.get(partition);
        Proof proof = slot == null ? null : slot.proof;
        return proof != null && LeaseRules.proves(proof.renewSent(), nanos.getAsLong(), timing) ? Optional.of(proof)
                : Optional.empty();
    }

    /** The last successful renewal of the partition's lease, when held, however old (for a refusal's message). */
    public Optional<Proof> lastRenewal(int partition) {
        Slot slot = slots.get(partition);
        return Optional.ofNullable(slot == null ? null : slot.proof);
    }

    /**
     * The partition was revoked or lost: from now on no write is admitted for it, and its lease is released
     * (holder cleared, if still ours) so that the next owner need not wait it out.
     */
    public void release(int partition) {
        Slot slot = slots.remove(partition);
        if (slot != null) {
            close(slot);
        }
    }

    private void close(Slot slot) {
        Lease held;
        synchronized (slot) {
            slot.released = true;
            slot.proof = null;
            held = slot.held;
            slot.held = null;
        }
        if (held != null) {
            keeper.execute(() -> releaseLease(held));
        }
    }

    /** How many of the wanted leases this replica holds now. */
    public int held() {
        return (int) slots.values().stream().filter(s -> s.proof != null).count();
    }

    /**
     * One round: renew each held lease, try to acquire each wanted one. Runs on the keeper thread, periodically: an
     * exception escaping it would cancel every later round (ScheduledExecutorService), and with them every renewal.
     */
    void tick() {
        for (Slot slot : slots.values()) {
            try {
                attempt(slot);
            } catch (Throwable e) {
                LOG.errorf(e, "lease %s: round failed (%s); retried at the next round", name(slot.partition),
                        e.getClass().getSimpleName());
            }
        }
    }

    private void attempt(Slot slot) {
        if (!slot.attempting.tryLock()) {
            return; // the slot's first attempt is still under way; the next round tries again
        }
        try {
            attemptLocked(slot);
        } finally {
            slot.attempting.unlock();
        }
    }

    private void attemptLocked(Slot slot) {
        try {
            Lease held;
            synchronized (slot) {
                if (slot.released) {
                    return;
                }
                held = slot.held;
            }
            if (held != null) {
                renew(slot, held);
            } else {
                acquire(slot);
            }
        } catch (RuntimeException e) {
            // The management API is down or slow: the proof ages, and writes stop at the renew deadline.
            warnOnce(slot, "lease " + name(slot.partition) + ": " + describe(e) + "; retrying every "
                    + timing.retryPeriod().toSeconds() + "s");
        }
    }

    private void renew(Slot slot, Lease held) {
        ZonedDateTime now = ZonedDateTime.now(wall.withZone(ZoneOffset.UTC));
        Lease renewed = new LeaseBuilder(held).editSpec().withRenewTime(now).endSpec().build();
        long sent = nanos.getAsLong();
        try {
            Lease answer = management.leases().inNamespace(namespace).resource(renewed).update();
            granted(slot, answer, sent);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                // Someone else wrote the lease (or deleted it): it is not ours any more.
                lost(slot, "its renewal found the lease changed by someone else (HTTP " + e.getCode() + ")");
                return;
            }
            throw e;
        }
    }

    private void acquire(Slot slot) {
        String name = name(slot.partition);
        Lease current = management.leases().inNamespace(namespace).withName(name).get();
        long now = nanos.getAsLong();
        LeaseRules.Observed observed = current == null ? null
                : new LeaseRules.Observed(holderOf(current), current.getMetadata().getResourceVersion());
        if (observed != null && !observed.version().equals(slot.observedVersion)) {
            slot.observedVersion = observed.version();
            slot.observedSince = now;
        }
        LeaseRules.Step step = LeaseRules.decide(observed, me, slot.observedSince, now, timing);
        ZonedDateTime wallNow = ZonedDateTime.now(wall.withZone(ZoneOffset.UTC));
        long sent = nanos.getAsLong();
        try {
            if (step instanceof LeaseRules.Step.Create) {
                Lease created = management.leases().inNamespace(namespace).resource(new LeaseBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace)
                        .addToAnnotations(EPOCH_ANNOTATION, String.valueOf(slot.epoch)).endMetadata()
                        .withNewSpec().withHolderIdentity(me).withLeaseDurationSeconds(durationSeconds())
                        .withAcquireTime(wallNow).withRenewTime(wallNow).withLeaseTransitions(0).endSpec().build())
                        .create();
                granted(slot, created, sent);
                LOG.infof("lease %s created, held by %s for epoch %d", name, me, slot.epoch);
            } else if (step instanceof LeaseRules.Step.Claim claim) {
                boolean ours = holderOf(current).equals(me);
                int transitions = current.getSpec() == null || current.getSpec().getLeaseTransitions() == null ? 0
                        : current.getSpec().getLeaseTransitions();
                Lease claimed = new LeaseBuilder(current).editMetadata()
                        .addToAnnotations(EPOCH_ANNOTATION, String.valueOf(slot.epoch)).endMetadata()
                        .editOrNewSpec().withHolderIdentity(me).withLeaseDurationSeconds(durationSeconds())
                        .withAcquireTime(ours ? current.getSpec().getAcquireTime() : wallNow).withRenewTime(wallNow)
                        .withLeaseTransitions(ours ? transitions : transitions + 1).endSpec().build();
                Lease answer = management.leases().inNamespace(namespace).resource(claimed).update();
                granted(slot, answer, sent);
                LOG.infof("lease %s acquired by %s for epoch %d (%s)", name, me, slot.epoch,
                        ours ? "held by this replica id already" : claim.takeover()
                                ? "taken over from " + holderOf(current) + " after waiting out its lease"
                                : "released by its previous holder");
            } else if (step instanceof LeaseRules.Step.Wait wait) {
                LOG.debugf("lease %s held by %s; taken over in %s unless renewed", name, holderOf(current),
                        wait.remaining());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Another replica created or wrote it first: read it again at the next attempt.
        }
    }

    private void granted(Slot slot, Lease lease, long sent) {
        Lease toRelease = null;
        synchronized (slot) {
            if (slot.released) {
                toRelease = lease;
            } else {
                slot.held = lease;
                slot.proof = new Proof(slot.epoch, sent);
                slot.warned = false;
            }
        }
        if (toRelease != null) {
            releaseLease(toRelease);
        }
    }

    private void lost(Slot slot, String why) {
        synchronized (slot) {
            slot.held = null;
            slot.proof = null;
        }
        LOG.warnf("lease %s lost by %s (epoch %d): %s; no write to its clusters until it is acquired again",
                name(slot.partition), me, slot.epoch, why);
    }

    /** client-go's release: holder cleared, so the next holder takes it at once. Only while it is still ours. */
    private void releaseLease(Lease held) {
        ZonedDateTime now = ZonedDateTime.now(wall.withZone(ZoneOffset.UTC));
        Lease released = new LeaseBuilder(held).editSpec().withHolderIdentity("").withLeaseDurationSeconds(1)
                .withAcquireTime(now).withRenewTime(now).endSpec().build();
        try {
            management.leases().inNamespace(namespace).resource(released).update();
            LOG.infof("lease %s released by %s", held.getMetadata().getName(), me);
        } catch (KubernetesClientException e) {
            // 409: someone else holds it now; anything else: the next holder waits it out.
            LOG.debugf("lease %s not released (%s)", held.getMetadata().getName(), describe(e));
        }
    }

    private void warnOnce(Slot slot, String message) {
        if (!slot.warned) {
            slot.warned = true;
            LOG.warn(message);
        }
    }

    String name(int partition) {
        return prefix + "-" + partition;
    }

    private int durationSeconds() {
        return (int) timing.leaseDuration().toSeconds();
    }

    private static String holderOf(Lease lease) {
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null ? "" : holder;
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Releases every held lease (shutdown: the next owners need not wait) and stops. */
    @Override
    public void close() {
        slots.keySet().forEach(this::release);
        acquirers.shutdown();
        keeper.shutdown();
        try {
            if (!keeper.awaitTermination(5, TimeUnit.SECONDS)) {
                keeper.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keeper.shutdownNow();
        }
    }

    /** How long ago (by the monotonic clock) a proof's renewal was sent. */
    public Duration age(Proof proof) {
        return Duration.ofNanos(nanos.getAsLong() - proof.renewSent());
    }
}
