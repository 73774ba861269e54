package dev.meshfleet.schemas.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table is Go's own (time_test.go, parseDurationTests and durationTests), so the expectations are Go's. */
class GoDurationTest {

    static Stream<Arguments> goAcceptsThese() {
        return Stream.of(
                Arguments.of("0", Duration.ZERO),
                Arguments.of("-0", Duration.ZERO),
                Arguments.of("+0", Duration.ZERO),
                Arguments.of("5s", Duration.ofSeconds(5)),
                Arguments.of("1478s", Duration.ofSeconds(1478)),
                Arguments.of("-5s", Duration.ofSeconds(-5)),
                Arguments.of("+5s", Duration.ofSeconds(5)),
                Arguments.of("5.6s", Duration.ofMillis(5600)),
                Arguments.of("5.s", Duration.ofSeconds(5)),
                Arguments.of(".5s", Duration.ofMillis(500)),
                Arguments.of("1.004s", Duration.ofMillis(1004)),
                Arguments.of("100.00100s", Duration.ofMillis(100_001)),
                Arguments.of("10ns", Duration.ofNanos(10)),
                Arguments.of("11us", Duration.ofNanos(11_000)),
                Arguments.of("12\u00b5s", Duration.ofNanos(12_000)),
                Arguments.of("12\u03bcs", Duration.ofNanos(12_000)),
                Arguments.of("13ms", Duration.ofMillis(13)),
                Arguments.of("15m", Duration.ofMinutes(15)),
                Arguments.of("16h", Duration.ofHours(16)),
                Arguments.of("300ms", Duration.ofMillis(300)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of("-1.5h", Duration.ofMinutes(-90)),
                Arguments.of("2h45m", Duration.ofMinutes(165)),
                Arguments.of("10.5s4m", Duration.ofMillis(4 * 60_000 + 10_500)),
                Arguments.of("-2m3.4s", Duration.ofMillis(-(2 * 60_000 + 3_400))),
                Arguments.of("1h2m3s4ms5us6ns", Duration.ofNanos(3_723_004_005_006L)),
                Arguments.of("39h9m14.425s", Duration.ofMillis(((39 * 60 + 9) * 60 + 14) * 1000L + 425)),
                Arguments.of("52763797000ns", Duration.ofNanos(52_763_797_000L)),
                Arguments.of("0.3333333333333333333h", Duration.ofMinutes(20)),
                Arguments.of("9007199254740993ns", Duration.ofNanos((1L << 53) + 1)),
                Arguments.of("9223372036854775807ns", Duration.ofNanos(Long.MAX_VALUE)),
                Arguments.of("9223372036854775.807us", Duration.ofNanos(Long.MAX_VALUE)),
                Arguments.of("-9223372036854775808ns", Duration.ofNanos(Long.MIN_VALUE)),
                Arguments.of("0.100000000000000000000h", Duration.ofMinutes(6)),
                Arguments.of("0.830103483285477580700h", Duration.ofMinutes(49).plusSeconds(48).plusNanos(372_539_827)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goAcceptsThese")
    void aGoDurationReadsAsGoReadsIt(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(new GoDuration.Valid(expected));
    }

    static Stream<Arguments> goRefusesThese() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("3", "missing unit"),
                Arguments.of("5", "missing unit"),
                Arguments.of("-", "a sign alone"),
                Arguments.of("s", "expected a number"),
                Arguments.of(".", "a number without digits"),
                Arguments.of("-.", "a number without digits"),
                Arguments.of(".s", "a number without digits"),
                Arguments.of("+.s", "a number without digits"),
                Arguments.of("1d", "unknown unit \"d\""),
                Arguments.of("5 m", "unknown unit \" m\""),
                Arguments.of("five minutes", "expected a number"),
                Arguments.of("9223372036854775810ns", "out of range"),
                Arguments.of("9223372036854775808ns", "out of range"),
                Arguments.of("-9223372036854775809ns", "out of range"),
                Arguments.of("9223372036854775.808us", "out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goRefusesThese")
    void textGoRefusesIsInvalidAndTheMessageNamesIt(String text, String reason) {
        GoDuration.Parsed parsed = GoDuration.parse(text);
        assertThat(parsed).isInstanceOf(GoDuration.Invalid.class);
        GoDuration.Invalid invalid = (GoDuration.Invalid) parsed;
        assertThat(invalid.reason()).contains(reason);
        assertThat(invalid.describe()).startsWith("'" + text + "' is not a duration (").contains("2h45m");
    }

    static Stream<Arguments> goPrintsThese() {
        return Stream.of(
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(Duration.ofNanos(1), "1ns"),
                Arguments.of(Duration.ofNanos(1100), "1.1\u00b5s"),
                Arguments.of(Duration.ofNanos(2_200_000), "2.2ms"),
                Arguments.of(Duration.ofMillis(3300), "3.3s"),
                Arguments.of(Duration.ofSeconds(4 * 60 + 5), "4m5s"),
                Arguments.of(Duration.ofMillis((4 * 60 + 5) * 1000 + 1), "4m5.001s"),
                Arguments.of(Duration.ofMillis(((5 * 60 + 6) * 60 + 7) * 1000L + 1), "5h6m7.001s"),
                Arguments.of(Duration.ofMinutes(8).plusNanos(1), "8m0.000000001s"),
                Arguments.of(Duration.ofNanos(Long.MAX_VALUE), "2562047h47m16.854775807s"),
                Arguments.of(Duration.ofNanos(Long.MIN_VALUE), "-2562047h47m16.854775808s"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("goPrintsThese")
    void aDurationPrintsAsGoPrintsItAndReadsBack(Duration d, String expected) {
        assertThat(GoDuration.format(d)).isEqualTo(expected);
        assertThat(GoDuration.parse(expected)).isEqualTo(new GoDuration.Valid(d));
    }

    @Test
    void nullIsInvalidNotAnException() {
        assertThat(GoDuration.parse(null)).isInstanceOf(GoDuration.Invalid.class);
    }
}
