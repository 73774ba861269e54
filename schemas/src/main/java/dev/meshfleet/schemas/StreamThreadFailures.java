package dev.meshfleet.schemas;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a Kafka Streams service does when a stream thread dies of an error no handler took (a poison record
 * is not one: the dead-letter handler takes those). A failure now and then (a broker gone too long, a
 * timeout) is worth a new thread, since every Meshfleet topology is idempotent to reprocess from the last
 * commit. A thread that keeps dying is not helped by another: past {@code maxReplacements} within
 * {@code window} the client shuts down (state ERROR), liveness says DOWN and Kubernetes restarts the
 * process, where an operator sees it instead of a log that loops for ever.
 *
 * <p>Pure: the caller passes the time of each failure. Not thread-safe on its own; callers synchronize.
 */
public final class StreamThreadFailures {
    public static final int DEFAULT_MAX_REPLACEMENTS = 3;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final int maxReplacements;
    private final long windowMillis;
    private final Deque<Long> recent = new ArrayDeque<>();

    public StreamThreadFailures(int maxReplacements, Duration window) {
        if (maxReplacements < 0 || window.isNegative()) {
            throw new IllegalArgumentException("maxReplacements and window must not be negative");
        }
        this.maxReplacements = maxReplacements;
        this.windowMillis = window.toMillis();
    }

    public static StreamThreadFailures defaults() {
        return new StreamThreadFailures(DEFAULT_MAX_REPLACEMENTS, DEFAULT_WINDOW);
    }

    /** The answer to a thread failure at {@code nowMillis}. */
    public synchronized StreamThreadExceptionResponse onFailure(long nowMillis) {
        while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - windowMillis) {
            recent.removeFirst();
        }
        recent.addLast(nowMillis);
        return recent.size() <= maxReplacements ? StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
