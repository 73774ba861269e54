package dev.meshfleet.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessFaultsTest {

    private static final Duration RESTART_AFTER = Duration.ofSeconds(2);

    @ParameterizedTest(name = "--kill {0} with {1} installer(s) acts on {2} at {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            kafka@6s                   | 3 | kafka                                     | PT6S
            spec-intake@15s            | 1 | spec-intake                               | PT15S
            translator-service@500ms   | 1 | translator-service                        | PT0.5S
            status-aggregator@1m30s    | 1 | status-aggregator                         | PT1M30S
            installer-service@0        | 3 | installer-service,installer-1,installer-2 | PT0S
            installer-service@3s       | 1 | installer-service                         | PT3S
            installer-0@3s             | 3 | installer-service                         | PT3S
            installer-1@3s             | 3 | installer-1                               | PT3S
            installer-11@3s            | 12 | installer-11                             | PT3S
            """)
    void aKillNamesItsProcessesAndItsTime(String spec, int installers, String instances, Duration delay) {
        ProcessFault.Kill kill = ProcessFaults.kill(spec, installers, RESTART_AFTER);

        assertThat(kill.instances()).containsExactlyElementsOf(List.of(instances.split(",")));
        assertThat(kill.delay()).isEqualTo(delay);
        assertThat(kill.restartAfter()).isEqualTo(RESTART_AFTER);
    }

    @org.junit.jupiter.api.Test
    void aFaultIsShownAsTheOptionThatAskedForIt() {
        assertThat(ProcessFaults.kill("installer-1@3s", 3, RESTART_AFTER).spec()).isEqualTo("--kill installer-1@3s");
        assertThat(ProcessFaults.pause("installer-0@2s+40s", 2).spec()).isEqualTo("--pause installer-0@2s+40s");
    }

    @ParameterizedTest(name = "--pause {0} with {1} installer(s) acts on {2} at {3} for {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            installer-0@2s+40s | 2 | installer-service             | PT2S  | PT40S
            installer-service@1s+500ms | 2 | installer-service,installer-1 | PT1S | PT0.5S
            kafka@0+3s          | 1 | kafka                         | PT0S  | PT3S
            status-aggregator@1m+1m30s | 1 | status-aggregator        | PT1M  | PT1M30S
            """)
    void aPauseNamesItsProcessesItsTimeAndItsLength(String spec, int installers, String instances, Duration delay,
            Duration duration) {
        ProcessFault.Pause pause = ProcessFaults.pause(spec, installers);

        assertThat(pause.instances()).containsExactlyElementsOf(List.of(instances.split(",")));
        assertThat(pause.delay()).isEqualTo(delay);
        assertThat(pause.duration()).isEqualTo(duration);
    }

    @ParameterizedTest(name = "--kill {0} with {1} installer(s) is refused: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            installer-1        | 3 | 'installer-1' must be SERVICE@DELAY
            @3s                | 1 | '@3s' must be SERVICE@DELAY
            kafka@             | 1 | 'kafka@' must be SERVICE@DELAY
            kafka@3s@4s        | 1 | 'kafka@3s@4s' must be SERVICE@DELAY
            installer@3s       | 1 | 'installer@3s': no service 'installer'; give kafka, spec-intake
            zookeeper@3s       | 1 | 'zookeeper@3s': no service 'zookeeper'
            installer-3@3s     | 3 | 'installer-3@3s': there is no installer-3; with --installers 3 the replicas are installer-0 .. installer-2
            installer-1@3s     | 1 | there is no installer-1
            kafka@3           | 1 | 'kafka@3': '3' is not a duration
            kafka@-1s          | 1 | 'kafka@-1s': '-1s' is negative
            """)
    void aBadKillSaysWhatIsWrongWithTheValue(String spec, int installers, String message) {
        assertThatThrownBy(() -> ProcessFaults.kill(spec, installers, RESTART_AFTER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "--pause {0} is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            installer-0@2s     | 'installer-0@2s' must be SERVICE@DELAY+DURATION
            installer-0@2s+    | 'installer-0@2s+' must be SERVICE@DELAY+DURATION
            installer-0@+40s   | 'installer-0@+40s' must be SERVICE@DELAY+DURATION
            installer-0@2s+0   | 'installer-0@2s+0': the pause must last more than 0
            installer-0@2s+x   | 'installer-0@2s+x': 'x' is not a duration
            etcd@2s+40s        | no service 'etcd'
            """)
    void aBadPauseSaysWhatIsWrongWithTheValue(String spec, String message) {
        assertThatThrownBy(() -> ProcessFaults.pause(spec, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
