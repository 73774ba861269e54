package dev.meshfleet.schemas;

import java.util.Optional;

/**
 * Who sent a write to a workload cluster: the installer replica and the ownership epoch (the
 * consumer-group generation at which it was assigned the cluster's install-plans partition, the
 * {@code sourceEpoch} of its events). Sent as two request headers that a real API server ignores;
 * the sandbox's API server records them so that a write by a replica that no longer owned the
 * cluster can be counted (ADR 0013).
 */
public record Writer(String replica, long epoch) {
    public static final String REPLICA_HEADER = "Meshfleet-Writer";
    public static final String EPOCH_HEADER = "Meshfleet-Epoch";

    public Writer {
        if (replica == null || replica.isBlank()) {
            throw new IllegalArgumentException("a writer needs a replica id");
        }
    }

    /** The writer named by the two header values; empty when either is missing or the epoch is not a number. */
    public static Optional<Writer> fromHeaders(String replica, String epoch) {
        if (replica == null || replica.isBlank() || epoch == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Writer(replica, Long.parseLong(epoch.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
