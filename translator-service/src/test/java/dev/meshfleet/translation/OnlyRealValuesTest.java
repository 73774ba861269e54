package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every value the translator sets, for every golden input and example, is a value the upstream chart has
 * (upstream-chart-values.txt, written from reading the charts): a value the chart does not know would be
 * accepted by Helm and silently do nothing in production.
 */
class OnlyRealValuesTest {
    /** chart -> exact paths, and chart -> prefixes under which any key is accepted (entries ending in .*). */
    private static final Map<String, Set<String>> EXACT = new HashMap<>();
    private static final Map<String, Set<String>> ANY_BENEATH = new HashMap<>();

    static {
        try (InputStream in = OnlyRealValuesTest.class.getResourceAsStream("/upstream-chart-values.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+");
                String path = parts[1];
                if (path.endsWith(".*")) {
                    ANY_BENEATH.computeIfAbsent(parts[0], k -> new HashSet<>()).add(path.substring(0, path.length() - 2));
                } else {
                    EXACT.computeIfAbsent(parts[0], k -> new HashSet<>()).add(path);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean known(String chart, String path) {
        if ("istiod".equals(chart) && path.startsWith("pilot.")) {
            path = path.substring("pilot.".length());
        }
        if (EXACT.getOrDefault(chart, Set.of()).contains(path)) {
            return true;
        }
        for (String prefix : ANY_BENEATH.getOrDefault(chart, Set.of())) {
            if (path.equals(prefix) || path.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Leaf paths of a values tree; a list is one value, an empty map sets nothing. */
    static void leaves(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> leaves(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
        } else {
            out.add(prefix);
        }
    }

    /**
     * The leaves of every release's values: each one no upstream chart has goes to {@code unknown} as
     * {@code "<where>: <chart> <path>"}. Returns how many leaves were checked.
     */
    static int unknownValues(String where, List<ChartRelease> releases, List<String> unknown) {
        int checked = 0;
        for (ChartRelease r : releases) {
            List<String> paths = new ArrayList<>();
            leaves(Canonical.parse(r.valuesJson()), "", paths);
            for (String path : paths) {
                checked++;
                if (!known(r.chart(), path)) {
                    unknown.add(where + ": " + r.chart() + " " + path);
                }
            }
        }
        return checked;
    }

    @Test
    void everyValueTheTranslatorSetsForEveryGoldenInputAndExampleIsAnUpstreamChartValue() throws Exception {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Golden.Case c : Golden.cases()) {
            for (Translation t : Golden.translate(c.input())) {
                for (Plan p : t.allPlans()) {
                    for (ChartRelease r : p.charts()) {
                        List<String> paths = new ArrayList<>();
                        leaves(Canonical.parse(r.valuesJson()), "", paths);
                        for (String path : paths) {
                            checked++;
                            if (!known(r.chart(), path)) {
                                unknown.add(c.name() + ": " + r.chart() + " " + path);
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).as("values checked").isGreaterThan(200);
        assertThat(unknown).as("values no upstream chart has").isEmpty();
    }

    @Test
    void theListKnowsWhatTheChartsHaveAndNothingElse() {
        assertThat(known("gateway", "autoscaling.minReplicas")).isTrue();
        assertThat(known("istiod", "pilot.cpu.targetAverageUtilization")).isTrue();
        assertThat(known("gateway", "env.ANYTHING")).isTrue();
        assertThat(known("gateway", "service.enabled")).as("a stand-in-only value").isFalse();
        assertThat(known("gateway", "service.selector")).as("a stand-in-only value").isFalse();
        assertThat(known("istiod", "pilot.readinessProbe")).isFalse();
    }
}
