package dev.meshfleet.installer.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.meshfleet.installer.diff.RepairScope;

class WatchedWorkloadTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nothing written by this replica (restart, handover) | u1 | 3 |    |   | true
            the watch has the write                             | u1 | 4 | u1 | 4 | true
            the watch has a later spec change                   | u1 | 5 | u1 | 4 | true
            the watch still has the copy before the write       | u1 | 3 | u1 | 4 | false
            the watch still has the deleted incarnation         | u1 | 9 | u2 | 1 | false
            """)
    void aWatchedCopyStandsForAReadOnlyOnceItHasThisReplicasLastWrite(String row, String watchedUid,
            long watchedGeneration, String writtenUid, Long writtenGeneration, boolean current) {
        RepairScope.Seen written = writtenUid == null ? null
                : new RepairScope.Seen(writtenUid, "rv", writtenGeneration, "meta", "digest");
        assertThat(WatchedWorkload.current(watchedUid, watchedGeneration, written)).isEqualTo(current);
    }
}
