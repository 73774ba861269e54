package dev.meshfleet.schemas;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where an {@code InstallationEvent} stands among the events of its source: the one place that says
 * how the Avro fields {@code source}, {@code sourceEpoch} and {@code sequence} are filled and
 * compared (the wire format is unchanged).
 *
 * <ul>
 * <li><b>Translator</b> ({@code source} "translator", epoch 0): the sequence is derived from the
 * generation so that a restarted or rebalanced translator numbers the same events the same way.
 * The translate step's events of generation g are {@code g*1000 + n} ({@link #translated}, n
 * counting the INSTALL_PENDINGs and the FAILED of that step from 0); a claim refusal of a plan of
 * generation g is {@code g*1000 + 999} ({@link #refused}), after every event of the translate step
 * of that generation, so the aggregator folds the refusal after the plan's INSTALL_PENDING.</li>
 * <li><b>Installer</b> ({@code source} "installer/&lt;replica&gt;", epoch = the consumer-group
 * generation at which it owns the cluster): a counter per process ({@link Counter}), increasing
 * across all its events and starting at the process's start time in microseconds, not at 0: a
 * replica restarted with static membership keeps its source and epoch (no rebalance), and its
 * events must still come after the old process's. A new owner of a cluster comes with a newer
 * epoch; the sequence orders one process's events within an epoch only.</li>
 * </ul>
 *
 * Two orders compare only within one source and epoch ({@link #replays}): across sources and epochs
 * the aggregator decides by generation, plan and epoch, not by sequence.
 */
public record EventOrder(String source, long epoch, long sequence) {

    /** Sequence numbers reserved per generation for the translator. */
    public static final long PER_GENERATION = 1000;
    /** The last of a generation's numbers, kept for claim refusals. */
    public static final long REFUSAL = PER_GENERATION - 1;

    /**
     * The translate step's {@code n}-th event (from 0) of {@code generation}. Past 998 events in one
     * step the number stays at 998: the events concern different installations, and within one
     * installation the aggregator only needs the refusal to come after its INSTALL_PENDING.
     */
    public static long translated(long generation, long n) {
        return generation * PER_GENERATION + Math.min(Math.max(n, 0), REFUSAL - 1);
    }

    /** A claim refusal of a plan of {@code generation}: after every event of its translate step. */
    public static long refused(long generation) {
        return generation * PER_GENERATION + REFUSAL;
    }

    /**
     * Whether this event was already folded when {@code seen} was: same source and epoch, and a
     * sequence not after it (a duplicate or a replay). Events of another source or epoch never are.
     */
    public boolean replays(EventOrder seen) {
        return source.equals(seen.source) && epoch == seen.epoch && sequence <= seen.sequence;
    }

    /** The installer's per-process sequence: increases with every event the process emits. */
    public static final class Counter {
        private final AtomicLong last;

        /** Counting from 1. */
        public Counter() {
            this(0);
        }

        /** The first {@link #next} is {@code last + 1}. */
        public Counter(long last) {
            this.last = new AtomicLong(last);
        }

        /** Counting on from the start time in microseconds, as a (possibly restarted) installer does. */
        public static Counter fromStartTime(long epochMillis) {
            return new Counter(epochMillis * 1000);
        }

        public long next() {
            return last.incrementAndGet();
        }
    }
}
