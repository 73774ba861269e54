package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventOrderTest {

    @Test
    void theTranslatorNumbersAGenerationsEventsFromGenerationTimesAThousand() {
        assertThat(EventOrder.translated(1, 0)).isEqualTo(1000);
        assertThat(EventOrder.translated(1, 1)).isEqualTo(1001);
        assertThat(EventOrder.translated(7, 12)).isEqualTo(7012);
        assertThat(EventOrder.translated(2, 0)).as("a newer generation comes after every event of the older")
                .isGreaterThan(EventOrder.refused(1));
    }

    @Test
    void aClaimRefusalComesAfterEveryEventOfItsGenerationsTranslateStep() {
        assertThat(EventOrder.refused(3)).isEqualTo(3999);
        assertThat(EventOrder.translated(3, 5000)).as("a huge step stays below the refusal").isEqualTo(3998);
    }

    @Test
    void theInstallerCounterIncreasesFromOne() {
        EventOrder.Counter counter = new EventOrder.Counter();
        assertThat(counter.next()).isEqualTo(1);
        assertThat(counter.next()).isEqualTo(2);
    }

    @Test
    void anEventReplaysWhatWasSeenOnlyFromTheSameSourceAndEpochAndNotAfterIt() {
        EventOrder seen = new EventOrder("installer/r1", 5, 10);
        assertThat(new EventOrder("installer/r1", 5, 10).replays(seen)).as("the same event again").isTrue();
        assertThat(new EventOrder("installer/r1", 5, 9).replays(seen)).as("an older one").isTrue();
        assertThat(new EventOrder("installer/r1", 5, 11).replays(seen)).as("a newer one").isFalse();
        assertThat(new EventOrder("installer/r1", 6, 1).replays(seen)).as("another epoch").isFalse();
        assertThat(new EventOrder("installer/r2", 5, 1).replays(seen)).as("another source").isFalse();
        assertThat(new EventOrder("translator", 0, 1000).replays(new EventOrder("translator", 0, 1999)))
                .as("the translator's older generation").isTrue();
    }
}
