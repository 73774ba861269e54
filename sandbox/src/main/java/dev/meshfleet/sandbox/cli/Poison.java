package dev.meshfleet.sandbox.cli;

import java.util.ArrayList;
import java.util.List;

import dev.meshfleet.schemas.Topics;

/** {@code --poison TOPIC[=N]}: write N records no service can decode to TOPIC before the first step. */
public record Poison(String topic, int count) {
    public static final int DEFAULT_COUNT = 10;
    /** Enough to see a DLQ at work; more is a typo. */
    public static final int MAX_COUNT = 10_000;

    public static List<Poison> parseAll(List<String> values) throws UsageException {
        List<Poison> all = new ArrayList<>();
        for (String v : values) {
            all.add(parse(v));
        }
        return all;
    }

    /** TOPIC or TOPIC=N, TOPIC one of the input topics; every refusal names the option. */
    public static Poison parse(String value) throws UsageException {
        String text = value == null ? "" : value.trim();
        int eq = text.indexOf('=');
        String topic = eq < 0 ? text : text.substring(0, eq);
        if (!Topics.INPUTS.contains(topic)) {
            throw new UsageException("--poison: '" + topic + "' is not an input topic; give one of "
                    + String.join(", ", Topics.INPUTS) + ", optionally =N");
        }
        if (eq < 0) {
            return new Poison(topic, DEFAULT_COUNT);
        }
        String n = text.substring(eq + 1);
        int count;
        try {
            count = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new UsageException("--poison: '" + n + "' is not a record count; give 1 to " + MAX_COUNT);
        }
        return new Poison(topic, count);
    }
}
