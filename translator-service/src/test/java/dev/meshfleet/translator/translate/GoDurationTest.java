package dev.meshfleet.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void goDurationsAsInWaitForResourcesTimeoutBecomeMilliseconds() {
        assertThat(GoDuration.parseMillis("300ms")).hasValue(300);
        assertThat(GoDuration.parseMillis("2h45m")).hasValue((2 * 60 + 45) * 60_000L);
        assertThat(GoDuration.parseMillis("1.5h")).hasValue(90 * 60_000L);
        assertThat(GoDuration.parseMillis("5m")).hasValue(300_000);
        assertThat(GoDuration.parseMillis("1m30s")).hasValue(90_000);
        assertThat(GoDuration.parseMillis("1500us")).hasValue(1);
        assertThat(GoDuration.parseMillis("2000000ns")).hasValue(2);
        assertThat(GoDuration.parseMillis("0")).hasValue(0);
    }

    @Test
    void textThatIsNotAGoDurationIsRejected() {
        assertThat(GoDuration.parseMillis("five minutes")).isEmpty();
        assertThat(GoDuration.parseMillis("5")).isEmpty();
        assertThat(GoDuration.parseMillis("5 m")).isEmpty();
        assertThat(GoDuration.parseMillis("m")).isEmpty();
        assertThat(GoDuration.parseMillis("")).isEmpty();
        assertThat(GoDuration.parseMillis("5d")).isEmpty();
    }
}
