package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoisonTest {

    @ParameterizedTest
    @CsvSource({
            "meshfleet.spec-changes, meshfleet.spec-changes, 10",
            "meshfleet.install-plans=4, meshfleet.install-plans, 4",
            "meshfleet.installation-events=1, meshfleet.installation-events, 1",
            "meshfleet.lifecycle-status=10000, meshfleet.lifecycle-status, 10000",
    })
    void aTopicAndAnOptionalCountAreRead(String value, String topic, int count) throws UsageException {
        assertThat(Poison.parse(value)).isEqualTo(new Poison(topic, count));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "meshfleet.specs|'meshfleet.specs' is not an input topic",
            "meshfleet.spec-changes.dlq=2|'meshfleet.spec-changes.dlq' is not an input topic",
            "meshfleet.spec-changes=0|'0' is not a record count; give 1 to 10000",
            "meshfleet.spec-changes=ten|'ten' is not a record count",
            "meshfleet.spec-changes=|'' is not a record count",
            "meshfleet.spec-changes=10001|'10001' is not a record count",
    })
    void aWrongValueIsRefusedNamingTheOption(String value, String message) {
        assertThatThrownBy(() -> Poison.parse(value)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--poison: ").hasMessageContaining(message);
    }
}
