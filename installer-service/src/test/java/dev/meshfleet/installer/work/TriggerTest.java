package dev.meshfleet.installer.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TriggerTest {
    @Test
    void aReEmissionPendingWithAChangeReEmitsAndADriftRepairWinsOverBoth() {
        assertThat(Trigger.CHANGE.merge(Trigger.CHECK)).isEqualTo(Trigger.CHECK);
        assertThat(Trigger.CHECK.merge(Trigger.CHANGE)).isEqualTo(Trigger.CHECK);
        assertThat(Trigger.CHECK.merge(Trigger.RESYNC)).isEqualTo(Trigger.RESYNC);
        assertThat(Trigger.POLL.merge(null)).isEqualTo(Trigger.POLL);
    }

    @Test
    void onlyResyncsReEmitEveryState() {
        assertThat(Trigger.CHECK.reemits()).isFalse();
        assertThat(Trigger.RESYNC.reemits()).isTrue();
        assertThat(Trigger.CHANGE.reemits()).isFalse();
        assertThat(Trigger.POLL.reemits()).isFalse();
    }
}
