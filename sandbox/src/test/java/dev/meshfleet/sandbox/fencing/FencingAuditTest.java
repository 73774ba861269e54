package dev.meshfleet.sandbox.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.fencing.FencingAudit.EpochStart;
import dev.meshfleet.sandbox.fencing.FencingAudit.Event;
import dev.meshfleet.sandbox.fencing.FencingAudit.Write;

/**
 * A handover of partition 0 (clusters c1, c2) from installer-0 (epoch 3) to installer-1 (epoch 5), whose
 * first event, about c2, is at t=1000; partition 1 (c3) stays with installer-0 under epoch 3.
 */
class FencingAuditTest {
    static final Map<String, Integer> PARTITIONS = Map.of("c1", 0, "c2", 0, "c3", 1);
    static final List<Event> EVENTS = List.of(
            new Event("c1", "installer-0", 3, 100), new Event("c2", "installer-0", 3, 120),
            new Event("c3", "installer-0", 3, 130), new Event("c2", "installer-1", 5, 1000),
            new Event("c1", "installer-1", 5, 1500), new Event("c9", "installer-1", 7, 10));

    @Test
    void anEpochBeginsWithItsReplicasFirstEventAboutAnyClusterOfThePartition() {
        assertThat(FencingAudit.starts(EVENTS, PARTITIONS)).containsExactlyInAnyOrder(
                new EpochStart(0, "installer-0", 3, 100), new EpochStart(1, "installer-0", 3, 130),
                new EpochStart(0, "installer-1", 5, 1000));
    }

    @Test
    void aWriteCountsWhenAnotherReplicasGreaterEpochForTheClustersPartitionHadBegunBeforeItArrived() {
        List<Write> writes = List.of(
                new Write("c1", "installer-0", 3, 999), // before the new epoch began: the old owner's own
                new Write("c1", "installer-0", 3, 1000), // the new epoch began (at c2): stale
                new Write("c2", "installer-0", 3, 4000), // stale
                new Write("c3", "installer-0", 3, 4000), // its partition never moved
                new Write("c1", "installer-1", 5, 1001), // the new owner
                new Write("c1", "installer-1", 3, 5000), // a lower epoch of the new owner itself: not another's
                new Write("c9", "installer-0", 1, 5000)); // no partition known: not judged
        assertThat(FencingAudit.stale(writes, PARTITIONS, FencingAudit.starts(EVENTS, PARTITIONS)))
                .containsExactly(new Write("c1", "installer-0", 3, 1000), new Write("c2", "installer-0", 3, 4000));
    }

    @Test
    void aPartitionHandedBackToItsFirstOwnerUnderAGreaterEpochMakesTheSecondOwnersLaterWritesStale() {
        List<Event> events = List.of(new Event("c1", "installer-0", 3, 100), new Event("c1", "installer-1", 5, 1000),
                new Event("c1", "installer-0", 8, 2000));
        List<Write> writes = List.of(new Write("c1", "installer-1", 5, 1999), new Write("c1", "installer-1", 5, 2001),
                new Write("c1", "installer-0", 8, 2002));
        assertThat(FencingAudit.stale(writes, PARTITIONS, FencingAudit.starts(events, PARTITIONS)))
                .containsExactly(new Write("c1", "installer-1", 5, 2001));
    }
}
