package dev.meshfleet.sandbox.poison;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.meshfleet.sandbox.cli.Poison;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetterQueue;
import dev.meshfleet.testkit.PoisonRecords;

/**
 * The sandbox's {@code --poison}: writes the poison records, and at the end counts how many of them a service
 * sent to the DLQ (each source record once, however often a replica that re-reads its partition dead-lettered
 * it again).
 */
public final class Poisoning {
    /** The input topics a Meshfleet service reads; lifecycle-status is read by other tools, if any. */
    public static final Set<String> READ_BY_A_SERVICE = Set.of(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS,
            Topics.INSTALLATION_EVENTS);
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** One poison fault: what was written, when (from the first step's start). */
    public record Written(Poison poison, Duration at, List<PoisonRecords.Written> records) {
    }

    /** What became of one: how many of its records are in the DLQ. */
    public record Outcome(Written written, long deadLettered) {
        /** All of them, or it did not matter (no service reads the topic). */
        public boolean ok() {
            return deadLettered == written.poison().count() || !READ_BY_A_SERVICE.contains(written.poison().topic());
        }

        /** e.g. {@code sandbox: fault: poison 10 records to meshfleet.spec-changes at +0.0s; 10 in meshfleet.spec-changes.dlq}. */
        public String line() {
            Poison p = written.poison();
            return "sandbox: fault: poison " + p.count() + " records to " + p.topic() + " at +"
                    + seconds(written.at()) + "; " + deadLettered + " in " + Topics.dlq(p.topic())
                    + (READ_BY_A_SERVICE.contains(p.topic()) ? "" : " (no Meshfleet service reads " + p.topic() + ")");
        }
    }

    private Poisoning() {
    }

    public static List<Written> write(String bootstrapServers, List<Poison> poison, Instant firstStep) {
        List<Written> written = new ArrayList<>();
        for (Poison p : poison) {
            Duration at = Duration.between(firstStep, Instant.now());
            written.add(new Written(p, at, PoisonRecords.write(bootstrapServers, p.topic(), p.count())));
        }
        return written;
    }

    /**
     * Counts each fault's dead letters, waiting a little for those of topics a service reads (a service may still be
     * on its way through them).
     */
    public static List<Outcome> outcomes(String bootstrapServers, List<Written> written) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        List<Outcome> outcomes = new ArrayList<>();
        for (Written w : written) {
            Outcome o = count(bootstrapServers, w);
            while (!o.ok() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                o = count(bootstrapServers, w);
            }
            outcomes.add(o);
        }
        return outcomes;
    }

    private static Outcome count(String bootstrapServers, Written w) {
        return new Outcome(w, PoisonRecords.deadLettered(w.records(),
                DeadLetterQueue.read(bootstrapServers, Topics.dlq(w.poison().topic()), WAIT)));
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

}
