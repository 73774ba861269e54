package dev.meshfleet.installer.fencing;

import java.time.Duration;

/**
 * client-go's leader-election timing for one Lease per install-plans partition (ADR 0013).
 *
 * @param leaseDuration how long a replica that wants a lease held by another waits, from the moment
 *                      it saw the lease last change (by its own clock), before it takes it over
 * @param renewDeadline how old the holder's last successful renewal (by its own monotonic clock,
 *                      from when the renewal was sent) may be before it stops writing; shorter than
 *                      the lease duration, and the difference is the margin for clock rates and for
 *                      a write that passed the check but has yet to reach the API server
 * @param retryPeriod   how often each lease is renewed or its acquisition retried
 */
public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /** client-go's (and kube-controller-manager's) defaults. */
    public static final LeaseTiming DEFAULT = new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10),
            Duration.ofSeconds(2));

    public LeaseTiming {
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("lease retry period must be positive, got " + retryPeriod);
        }
        if (renewDeadline.compareTo(retryPeriod) <= 0) {
            throw new IllegalArgumentException("lease renew deadline (" + renewDeadline
                    + ") must be longer than the retry period (" + retryPeriod + "): a holder must get to renew");
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("lease duration (" + leaseDuration + ") must be longer than the renew"
                    + " deadline (" + renewDeadline + "): a holder must stop writing before another may start");
        }
        if (leaseDuration.toSeconds() < 1 || leaseDuration.toMillis() % 1000 != 0) {
            // Lease.spec.leaseDurationSeconds is whole seconds.
            throw new IllegalArgumentException("lease duration must be whole seconds, got " + leaseDuration);
        }
    }
}
