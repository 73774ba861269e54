package dev.meshfleet.schemas.time;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's duration syntax, exactly as {@code time.ParseDuration} reads it, for everything Meshfleet reads
 * as a duration: istioController.waitForResourcesTimeout in a spec, the sandbox's options
 * ({@code --timeout}, {@code --ready-after}, {@code --api-latency}) and the testkit's {@code slow=}
 * fault. One parser, so that what a user writes in YAML also works on the command line.
 *
 * <p>A duration is an optionally signed sequence of decimal numbers, each with an optional fraction
 * and a unit: {@code 300ms}, {@code -1.5h}, {@code 2h45m}. Units: ns, us (or µs), ms, s, m, h. A bare
 * {@code 0} (signed or not) needs no unit, as in Go. Fractions below a nanosecond are dropped, and a
 * value past ±292 years is refused, both as in Go. Whether a negative value makes sense is the
 * caller's decision.
 */
public final class GoDuration {

    /** What {@link #parse} read: a duration, or why the text is not one. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    public record Valid(Duration duration) implements Parsed {
    }

    /** The text is not a Go duration; {@code reason} is Go's own wording, without the text. */
    public record Invalid(String text, String reason) implements Parsed {
        /** For a message that names a field or an option: {@code '5d' is not a duration (unknown unit "d")...}. */
        public String describe() {
            return "'" + text + "' is not a duration (" + reason + "); write a Go duration such as 300ms, 30s, 1.5h"
                    + " or 2h45m";
        }
    }

    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);
    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * A duration of 0 or more, for an option or a field that names it in front of the message:
     * {@code '5d' is not a duration (...)}, or {@code '-1s' is negative; give 0 or more}.
     *
     * @throws IllegalArgumentException with that message
     */
    public static Duration nonNegative(String text) {
        Parsed parsed = parse(text == null ? "" : text.trim());
        if (parsed instanceof Invalid invalid) {
            throw new IllegalArgumentException(invalid.describe());
        }
        Duration d = ((Valid) parsed).duration();
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; give 0 or more");
        }
        return d;
    }

    /** Go's time.ParseDuration. */
    public static Parsed parse(String text) {
        if (text == null) {
            return new Invalid("", "empty");
        }
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return new Valid(Duration.ZERO);
        }
        if (s.isEmpty()) {
            return new Invalid(text, text.isEmpty() ? "empty" : "a sign alone");
        }
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!(c == '.' || isDigit(c))) {
                return new Invalid(text, "expected a number at '" + s.substring(i) + "'");
            }
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            boolean hasInteger = i > start;
            BigInteger whole = hasInteger ? new BigInteger(s.substring(start, i)) : BigInteger.ZERO;
            if (whole.compareTo(LIMIT) > 0) {
                return new Invalid(text, "out of range");
            }
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    // As Go: digits past what a long holds are consumed but ignored.
                    if (!overflow) {
                        if (fraction > (Long.MAX_VALUE - 9) / 10) {
                            overflow = true;
                        } else {
                            fraction = fraction * 10 + (s.charAt(i) - '0');
                            scale *= 10;
                        }
                    }
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasInteger && !hasFraction) {
                return new Invalid(text, "a number without digits");
            }
            int unitStart = i;
            while (i < s.length() && !(s.charAt(i) == '.' || isDigit(s.charAt(i)))) {
                i++;
            }
            if (i == unitStart) {
                return new Invalid(text, "missing unit; units are ns, us, ms, s, m, h");
            }
            String unitText = s.substring(unitStart, i);
            Long unit = UNIT_NANOS.get(unitText);
            if (unit == null) {
                return new Invalid(text, "unknown unit \"" + unitText + "\"; units are ns, us, ms, s, m, h");
            }
            BigInteger value = whole.multiply(BigInteger.valueOf(unit));
            if (fraction > 0) {
                // Go computes the fraction in float64; doing the same keeps results identical to Go's.
                value = value.add(BigInteger.valueOf((long) ((double) fraction * ((double) unit / scale))));
            }
            total = total.add(value);
            if (total.compareTo(LIMIT) > 0) {
                return new Invalid(text, "out of range");
            }
        }
        if (negative) {
            return new Valid(Duration.ofNanos(total.negate().longValueExact()));
        }
        if (total.compareTo(LIMIT) >= 0) {
            return new Invalid(text, "out of range");
        }
        return new Valid(Duration.ofNanos(total.longValueExact()));
    }

    /**
     * Go's Duration.String: {@code 0s}, {@code 300ms}, {@code 1.5s}, {@code 1m30s}, {@code 2h45m0s},
     * {@code -1h30m0s}. {@link #parse} reads it back to the same duration.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        boolean negative = d.isNegative();
        BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(d.getNano())).abs();
        String sign = negative ? "-" : "";
        BigInteger second = BigInteger.valueOf(1_000_000_000L);
        if (nanos.compareTo(second) < 0) {
            long n = nanos.longValueExact();
            if (n < 1_000) {
                return sign + n + "ns";
            }
            if (n < 1_000_000) {
                return sign + decimal(n, 1_000) + "\u00b5s";
            }
            return sign + decimal(n, 1_000_000) + "ms";
        }
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(second);
        long seconds = secondsAndNanos[0].longValueExact();
        long rest = secondsAndNanos[1].longValueExact();
        String secondsPart = decimal(seconds % 60 * 1_000_000_000L + rest, 1_000_000_000L) + "s";
        long minutes = seconds / 60;
        if (minutes == 0) {
            return sign + secondsPart;
        }
        long hours = minutes / 60;
        String minutesPart = (minutes % 60) + "m" + secondsPart;
        return sign + (hours == 0 ? minutesPart : hours + "h" + minutesPart);
    }

    /** value/unit with the fraction's trailing zeros dropped: 1500/1000 is 1.5, 2000/1000 is 2. */
    private static String decimal(long value, long unit) {
        long whole = value / unit;
        long fraction = value % unit;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        int digits = Long.toString(unit).length() - 1;
        String f = String.format("%0" + digits + "d", fraction).replaceAll("0+$", "");
        return whole + "." + f;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
