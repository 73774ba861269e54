package dev.meshfleet.installer.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TriggerTest {
    @Test
    void aReEmissionPendingWithAChangeReEmitsAndADriftRepairWinsOverBoth() {
        assertThat(Trigger.CHANGE.merge(Trigger.CHECK)).isEqualTo(Trigger.CHECK);
        assertThat(Trigger.CHECK.merge(Trigger.CHANGE)).isEqualTo(Trigger.CHECK);
        assertThat(Trigger.CHECK.merge(Trigger.RESYNC)).isEqualTo(Trigger.RESYNC);
        assertThat(Trigger.CHECK.merge(Trigger.RESUME)).isEqualTo(Trigger.RESUME);
        assertThat(Trigger.RESUME.merge(Trigger.RESYNC)).isEqualTo(Trigger.RESYNC);
        assertThat(Trigger.RESYNC.merge(Trigger.RESUME)).isEqualTo(Trigger.RESYNC);
        assertThat(Trigger.POLL.merge(null)).isEqualTo(Trigger.POLL);
    }

    @Test
    void onlyAnAssignmentAndADriftRepairReEmitEveryStateAndReadTheInventoriesAndOnlyTheRepairReApplies() {
        assertThat(Trigger.RESUME.reemits()).isTrue();
        assertThat(Trigger.RESUME.readsInventories()).isTrue();
        assertThat(Trigger.RESUME.repairsDrift()).isFalse();
        assertThat(Trigger.RESYNC.readsInventories()).isTrue();
        assertThat(Trigger.RESYNC.repairsDrift()).isTrue();
        assertThat(Trigger.CHECK.readsInventories()).isFalse();
        assertThat(Trigger.CHECK.repairsDrift()).isFalse();
        assertThat(Trigger.CHECK.reemits()).isFalse();
        assertThat(Trigger.RESYNC.reemits()).isTrue();
        assertThat(Trigger.CHANGE.reemits()).isFalse();
        assertThat(Trigger.POLL.reemits()).isFalse();
    }

    @Test
    void theReaderTokensAreReadAgainAtEveryPeriodicRoundAndNeverAtAPollOrAChange() {
        assertThat(Trigger.CHECK.readsReaderTokens()).isTrue();
        assertThat(Trigger.RESYNC.readsReaderTokens()).isTrue();
        assertThat(Trigger.RESUME.readsReaderTokens()).isTrue();
        assertThat(Trigger.POLL.readsReaderTokens()).isFalse();
        assertThat(Trigger.CHANGE.readsReaderTokens()).isFalse();
    }
}
