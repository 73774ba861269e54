package dev.meshfleet.installer.fencing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.meshfleet.schemas.Writer;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Admits a write to a workload cluster only while this replica can prove it owns the cluster: the
 * cluster is on an install-plans partition assigned to it, and it holds that partition's lease, renewed
 * within the renew deadline ({@link PartitionLeases#proof}). Checked in the cluster client's HTTP layer,
 * on the writing thread, immediately before every mutating request (POST, PUT, PATCH, DELETE) leaves,
 * whatever code sent it; an admitted request names its writer (replica and epoch) in two headers that a
 * real API server ignores and the sandbox's records. A refused request fails with {@link Fenced}, an
 * I/O error: the reconcile reports the cluster UNKNOWN and backs off, and stops for good once the
 * partition's revocation reaches the replica (ADR 0013).
 */
public final class WriteFence {
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** Which partition a cluster is owned through here, and under which epoch. */
    public record Claim(int partition, long epoch) {
    }

    /** A write refused: this replica cannot prove it still owns the cluster. */
    public static final class Fenced extends IOException {
        Fenced(String message) {
            super(message);
        }
    }

    private static final Logger LOG = Logger.getLogger(WriteFence.class);
    private final Function<String, Optional<Claim>> claims;
    private final PartitionLeases leases;
    /** Partitions and epochs whose first refusal was logged: once each, not once per write. */
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder refusals = new LongAdder();

    /** @param claims the cluster's partition and epoch while this replica owns it ({@code Ownership}) */
    public WriteFence(Function<String, Optional<Claim>> claims, PartitionLeases leases) {
        this.claims = claims;
        this.leases = leases;
    }

    /**
     * The writer a write to {@code cluster} goes out as, if this replica may write to it now.
     *
     * @throws Fenced when it may not, saying why
     */
    public Writer admit(String cluster) throws Fenced {
        Optional<Claim> claim = claims.apply(cluster);
        if (claim.isEmpty()) {
            throw new Fenced("not writing to cluster " + cluster + ": replica " + leases.holder()
                    + " does not own it (its install-plans partition is not assigned here)");
        }
        int partition = claim.get().partition();
        long epoch = claim.get().epoch();
        Optional<PartitionLeases.Proof> proof = leases.proof(partition);
        if (proof.isPresent() && proof.get().epoch() == epoch) {
            return new Writer(leases.holder(), epoch);
        }
        String why = leases.lastRenewal(partition)
                .map(p -> p.epoch() != epoch ? "its lease is held for epoch " + p.epoch() + ", not " + epoch
                        : "its lease was last renewed " + leases.age(p).toMillis() + " ms ago, past the renew deadline of "
                                + leases.timing().renewDeadline().toMillis() + " ms")
                .orElse("it does not hold the lease");
        Fenced refused = new Fenced("not writing to cluster " + cluster + ": replica " + leases.holder()
                + " cannot prove it still owns install-plans partition " + partition + " (epoch " + epoch + "): " + why
                + "; another replica may own the cluster now");
        refusals.increment();
        if (refusedLogged.add(partition + "/" + epoch)) {
            LOG.warnf("%s (logged once for the partition and epoch)", refused.getMessage());
        }
        throw refused;
    }

    /** Writes refused so far. */
    public long refusals() {
        return refusals.sum();
    }

    /** The interceptor of {@code cluster}'s client: the check and the writer headers on every mutating request. */
    public Interceptor interceptor(String cluster) {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (!MUTATING.contains(request.method())) {
                    return;
                }
                Writer writer;
                try {
                    writer = admit(cluster);
                } catch (Fenced e) {
                    throw new UncheckedIOException(e);
                }
                builder.setHeader(Writer.REPLICA_HEADER, writer.replica())
                        .setHeader(Writer.EPOCH_HEADER, String.valueOf(writer.epoch()));
            }
        };
    }
}
