package dev.meshfleet.sandbox.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.meshfleet.schemas.time.GoDuration;

/** An instant as the commands take it (pure): RFC 3339 ({@code 2026-11-30T14:05:00Z}) or a Go duration ago ({@code -2h}). */
public final class Instants {
    private Instants() {
    }

    /** @throws IllegalArgumentException saying what is accepted, quoting the text */
    public static Instant parse(String text, Instant now) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("-")) {
                Duration ago = GoDuration.nonNegative(t.substring(1));
                return now.minus(ago);
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither an RFC 3339 time such as"
                    + " 2026-11-30T14:05:00Z nor a duration ago such as -2h");
        }
    }
}
