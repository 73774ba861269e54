package dev.meshfleet.installer.fencing;

import java.time.Duration;

/**
 * The rules of client-go's leader election for one lease, pure: what a replica that wants the lease
 * does after reading it, and whether a holder may still write. Times are readings of the replica's own
 * monotonic clock in nanoseconds ({@code System.nanoTime()}); nothing compares them with the
 * timestamps in the Lease, so the replicas' wall clocks need not agree (ADR 0013).
 */
public final class LeaseRules {
    private LeaseRules() {
    }

    /** The lease as read: its holder ("" when released or never held) and its resourceVersion. */
    public record Observed(String holder, String version) {
    }

    /** What to do about a lease this replica wants. */
    public sealed interface Step {
        /** No Lease object yet: create it, held by us. */
        record Create() implements Step {
        }

        /** Write ourselves in as holder, conditional on the version read; {@code takeover}: from another holder. */
        record Claim(boolean takeover) implements Step {
        }

        /** Another replica holds it and may still be writing: try again later. */
        record Wait(Duration remaining) implements Step {
        }
    }

    /**
     * @param lease          the lease as just read; null when there is none
     * @param observedSince  when this replica first read the lease at its current version
     * @param now            now
     */
    public static Step decide(Observed lease, String me, long observedSince, long now, LeaseTiming timing) {
        if (lease == null) {
            return new Step.Create();
        }
        if (lease.holder().isEmpty() || lease.holder().equals(me)) {
            // Released (the previous holder stopped writing first), or ours: a restart under the same replica id,
            // whose previous process is gone (replica ids are unique among live processes, ADR 0013).
            return new Step.Claim(false);
        }
        long waited = now - observedSince;
        long duration = timing.leaseDuration().toNanos();
        // Counted from our own first sight of this version, never from the renewTime the holder wrote: a holder
        // that renews changes the version, and then the wait starts again.
        return waited >= duration ? new Step.Claim(true) : new Step.Wait(Duration.ofNanos(duration - waited));
    }

    /**
     * Whether a holder may write: its last successful renewal, timed from when it was sent, is younger than
     * the renew deadline. A replica that took the lease over waited a whole lease duration since it last saw
     * the lease change, and every renewal changes it; so the old holder stopped writing at least
     * {@code leaseDuration - renewDeadline} before the new one may start.
     */
    public static boolean proves(long lastRenewSent, long now, LeaseTiming timing) {
        return now - lastRenewSent < timing.renewDeadline().toNanos();
    }
}
