package dev.meshfleet.installer.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ResyncScheduleTest {
    private static final List<String> FLEET = IntStream.rangeClosed(1, 1000).mapToObj(i -> "cluster" + i).toList();
    private final ResyncSchedule schedule = new ResyncSchedule(Duration.ofSeconds(30));

    @Test
    void aThousandClustersAreSpreadOverThePeriodNeverAllAtOnce() {
        // 30 ticks of 1 s: an even spread is 33 a tick; all at the period's start would be 1,000 in one.
        long tick = schedule.tick().toMillis();
        assertThat(tick).isEqualTo(1_000);
        int most = 0;
        int least = Integer.MAX_VALUE;
        for (long t = 0; t < 30_000; t += tick) {
            int due = schedule.dueBetween(FLEET, t, t + tick).size();
            most = Math.max(most, due);
            least = Math.min(least, due);
        }
        assertThat(most).isLessThanOrEqualTo(60);
        assertThat(least).isGreaterThanOrEqualTo(10);
    }

    @Test
    void everyClusterIsDueExactlyOncePerPeriodWhateverTheTicks() {
        Map<String, Integer> times = new HashMap<>();
        // Uneven ticks, starting mid-period, as a late timer would run them, over three periods.
        long[] ticks = {7, 993, 1_500, 250, 4_000, 1};
        long t = 12_345;
        int i = 0;
        while (t < 12_345 + 90_000) {
            long next = Math.min(t + ticks[i++ % ticks.length], 12_345 + 90_000);
            schedule.dueBetween(FLEET, t, next).forEach(c -> times.merge(c, 1, Integer::sum));
            t = next;
        }
        assertThat(times).hasSize(1000);
        assertThat(times.values()).containsOnly(3);
    }

    @Test
    void aClusterKeepsItsOffsetAndNeighbouringNamesLandFarApart() {
        assertThat(schedule.offsetMillis("cluster1")).isEqualTo(schedule.offsetMillis("cluster1"))
                .isBetween(0L, 29_999L);
        assertThat(Math.abs(schedule.offsetMillis("cluster1") - schedule.offsetMillis("cluster2")))
                .isGreaterThan(100);
    }

    @Test
    void aWindowLongerThanThePeriodResyncsEveryClusterOnce() {
        assertThat(schedule.dueBetween(List.of("a", "b"), 0, 45_000)).containsExactly("a", "b");
    }
}
