package dev.meshfleet.translator.translate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration syntax (time.ParseDuration), as used by istioController.waitForResourcesTimeout:
 * an optionally signed sequence of decimal numbers with a unit each, such as 300ms, 1.5h or 2h45m.
 * Units: ns, us (or µs), ms, s, m, h. Result in milliseconds, rounded down.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000L), "µs", BigDecimal.valueOf(1_000L),
            "μs", BigDecimal.valueOf(1_000L), "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L));

    private GoDuration() {
    }

    /** Milliseconds, or empty when the text is not a Go duration. "0" alone is valid, as in Go. */
    public static OptionalLong parseMillis(String text) {
        if (text == null || text.isEmpty()) {
            return OptionalLong.empty();
        }
        String rest = text;
        int sign = 1;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            sign = rest.startsWith("-") ? -1 : 1;
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return OptionalLong.of(0);
        }
        if (rest.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher m = PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at) {
                return OptionalLong.empty();
            }
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(NANOS.get(m.group(2))));
            at = m.end();
        }
        return OptionalLong.of(sign * nanos.divide(BigDecimal.valueOf(1_000_000L), 0, RoundingMode.DOWN).longValueExact());
    }
}
