package dev.meshfleet.installer.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The entry of a Helm repository's index.yaml to download for a chart: the version asked for, or without one
 * the highest release by semantic versioning, whatever the order the index lists them in (as {@code helm pull}:
 * a pre-release such as {@code 1.25.0-beta.1} only when named). The entry carries the archive's URL and the SHA-256 digest it must have. Pure.
 */
final class ChartIndex {
    private static final Pattern SEMVER = Pattern.compile(
            "v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ChartIndex() {
    }

    /** What to download, or why nothing can be. */
    sealed interface Selection permits Entry, Missing {
    }

    /** The archive at {@code url} (relative to the repository), version {@code version}, digest {@code sha256} (hex). */
    record Entry(String version, String url, String sha256) implements Selection {
    }

    /** No usable entry, and why (for the message naming the chart and the repository). */
    record Missing(String why) implements Selection {
    }

    /** The entry of {@code chart} at {@code version} (empty or null: the highest) in the parsed {@code index}. */
    static Selection select(JsonNode index, String chart, String version) {
        JsonNode entries = index == null ? null : index.path("entries").path(chart);
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            return new Missing("its index.yaml has no chart '" + chart + "'");
        }
        JsonNode chosen = null;
        if (version != null && !version.isEmpty()) {
            for (JsonNode e : entries) {
                if (version.equals(e.path("version").asText())) {
                    chosen = e;
                    break;
                }
            }
            if (chosen == null) {
                return new Missing("its index.yaml has no version '" + version + "' of chart '" + chart + "'");
            }
        } else {
            List<JsonNode> versioned = new ArrayList<>();
            entries.forEach(e -> {
                Matcher m = SEMVER.matcher(e.path("version").asText());
                if (m.matches() && m.group(4) == null) {
                    versioned.add(e);
                }
            });
            chosen = versioned.stream().max(Comparator.comparing(e -> e.path("version").asText(), ChartIndex::compare))
                    .orElse(null);
            if (chosen == null) {
                return new Missing("its index.yaml lists no release version of chart '" + chart + "' (pre-releases are"
                        + " taken only when the plan's tag names one)");
            }
        }
        String v = chosen.path("version").asText();
        if (!chosen.path("urls").isArray() || chosen.path("urls").isEmpty()) {
            return new Missing("its index.yaml names no archive (urls) for version '" + v + "' of chart '" + chart + "'");
        }
        String digest = chosen.path("digest").asText("").toLowerCase(Locale.ROOT);
        if (digest.startsWith("sha256:")) {
            digest = digest.substring("sha256:".length());
        }
        if (!SHA256.matcher(digest).matches()) {
            return new Missing("its index.yaml gives no SHA-256 digest for version '" + v + "' of chart '" + chart
                    + "', so the archive cannot be verified");
        }
        return new Entry(v, chosen.path("urls").get(0).asText(), digest);
    }

    /** Semantic-version order; a pre-release sorts below its release. Both must match {@link #SEMVER}. */
    static int compare(String a, String b) {
        Matcher x = SEMVER.matcher(a);
        Matcher y = SEMVER.matcher(b);
        if (!x.matches() || !y.matches()) {
            throw new IllegalArgumentException("not a semantic version: " + (x.matches() ? b : a));
        }
        for (int g = 1; g <= 3; g++) {
            int c = Long.compare(number(x.group(g)), number(y.group(g)));
            if (c != 0) {
                return c;
            }
        }
        String pa = x.group(4);
        String pb = y.group(4);
        if (pa == null || pb == null) {
            return pa == null ? (pb == null ? 0 : 1) : -1;
        }
        String[] ia = pa.split("\\.");
        String[] ib = pb.split("\\.");
        for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
            boolean na = ia[i].matches("\\d+");
            boolean nb = ib[i].matches("\\d+");
            int c = na && nb ? Long.compare(Long.parseLong(ia[i]), Long.parseLong(ib[i]))
                    : na ? -1 : nb ? 1 : ia[i].compareTo(ib[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ia.length, ib.length);
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
