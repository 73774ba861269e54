package dev.meshfleet.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void readsKibibyteFieldsOfProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\n";

        assertThat(ProcessStats.kib(status, "VmHWM:")).isEqualTo(524288);
        assertThat(ProcessStats.kib(status, "VmRSS:")).isEqualTo(262144);
        assertThat(ProcessStats.kib(status, "VmSwap:")).isZero();
    }

    @Test
    void thisProcessHasAPeakAtLeastItsCurrentResidentSet() {
        ProcessStats self = ProcessStats.of(ProcessHandle.current().pid());

        assertThat(self.rssBytes()).isPositive();
        assertThat(self.peakRssBytes()).isGreaterThanOrEqualTo(self.rssBytes());
        assertThat(self.cpu()).isPositive();
    }
}
