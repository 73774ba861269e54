package dev.meshfleet.sandbox.fleet;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the installer replicas hold every install-plans partition, from their readiness answers. Pure.
 *
 * <p>A replica is ready once its consumer joined the group, but a cooperative rebalance hands partitions over in two
 * rounds: right after the last replica is ready, some partitions may be revoked from one replica and not yet taken
 * by another, and their clusters wait. The sandbox's fleet is ready for a first step when the replicas' leases
 * ({@code leases-held}, one per partition a replica owns, ADR 0013) cover every partition and no assigned partition
 * waits to be handed to the workers ({@code partitions-waiting}).
 */
public final class PlanLeases {
    private static final Pattern HELD = Pattern.compile("\"leases-held\"\\s*:\\s*(\\d+)");
    private static final Pattern WAITING = Pattern.compile("\"partitions-waiting\"\\s*:\\s*(\\d+)");

    private PlanLeases() {
    }

    /** Whether {@code answers} (each installer's readiness answer) hold all {@code partitions}, none waiting. */
    public static boolean covered(List<String> answers, int partitions) {
        long held = 0;
        for (String answer : answers) {
            long h = number(HELD, answer);
            long waiting = number(WAITING, answer);
            if (h < 0 || waiting != 0) {
                return false;
            }
            held += h;
        }
        return held == partitions;
    }

    /** The pattern's number in the answer; -1 when it has none. */
    private static long number(Pattern pattern, String answer) {
        Matcher m = pattern.matcher(answer);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
