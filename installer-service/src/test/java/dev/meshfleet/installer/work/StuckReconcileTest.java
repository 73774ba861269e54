package dev.meshfleet.installer.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StuckReconcileTest {

    private static final Duration LIMIT = Duration.ofMinutes(5);

    @Test
    void noReconcileRunningIsNotStuck() {
        assertThat(StuckReconcile.verdict(Map.of(), LIMIT)).isEmpty();
    }

    @Test
    void reconcilesWithinTheLimitAreNotStuck() {
        assertThat(StuckReconcile.verdict(Map.of("cluster1", Duration.ofSeconds(2), "cluster2", LIMIT), LIMIT)).isEmpty();
    }

    @Test
    void aReconcileOverTheLimitIsStuckAndNamed() {
        assertThat(StuckReconcile.verdict(Map.of("cluster1", Duration.ofSeconds(2), "cluster7", Duration.ofSeconds(301)),
                LIMIT)).contains("the reconcile of cluster cluster7 has run for 301s, over the 300s after which a"
                        + " reconcile is stuck");
    }

    @Test
    void theLongestOfSeveralStuckReconcilesIsNamed() {
        assertThat(StuckReconcile.verdict(Map.of("cluster3", Duration.ofMinutes(6), "cluster9", Duration.ofMinutes(40)),
                LIMIT)).hasValueSatisfying(m -> assertThat(m).startsWith("the reconcile of cluster cluster9 has run for 2400s"));
    }
}
