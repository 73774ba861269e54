package dev.meshfleet.translation;

import java.util.ArrayList;
import java.util.List;

import dev.meshfleet.schemas.charts.ChartSourceAllowList;

/**
 * What the translator fills in when the spec leaves it open: the default distribution used for
 * {@code revision: auto} / {@code gatewayRevision: auto} and for a missing hub or tag, and the chart
 * source (null: the installer's configured default); and the chart sources a spec may name
 * ({@code allowedChartSources}, besides the default chart source, which is always allowed).
 */
public record TranslatorSettings(String defaultRevision, String defaultHub, String defaultTag, String defaultChartSource,
        List<String> allowedChartSources) {
    /** The setting holding the allow-list, as refusals name it. */
    public static final String ALLOWED_SETTING = "meshfleet.translator.allowed-chart-sources";

    public TranslatorSettings {
        allowedChartSources = List.copyOf(allowedChartSources);
    }

    /** No chart source allowed besides the default. */
    public TranslatorSettings(String defaultRevision, String defaultHub, String defaultTag, String defaultChartSource) {
        this(defaultRevision, defaultHub, defaultTag, defaultChartSource, List.of());
    }

    /** The sandbox defaults, equal to the service's configuration defaults. */
    public static TranslatorSettings defaults() {
        return new TranslatorSettings("1-24", "registry.example/istio", "1.24.2-solo", null);
    }

    /** These settings with {@code sources} allowed as chart sources. */
    public TranslatorSettings allowing(List<String> sources) {
        return new TranslatorSettings(defaultRevision, defaultHub, defaultTag, defaultChartSource, sources);
    }

    /**
     * The allow-list: {@link #allowedChartSources()} and the default chart source.
     *
     * @throws IllegalArgumentException when an entry is not a chart source (a configuration error)
     */
    public ChartSourceAllowList allowList() {
        List<String> prefixes = new ArrayList<>(allowedChartSources);
        if (defaultChartSource != null && !defaultChartSource.isBlank()) {
            prefixes.add(defaultChartSource);
        }
        return ChartSourceAllowList.of(ALLOWED_SETTING, prefixes);
    }
}
