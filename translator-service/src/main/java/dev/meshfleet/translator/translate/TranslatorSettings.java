package dev.meshfleet.translator.translate;

/**
 * What the translator fills in when the spec leaves it open: the default distribution used for
 * {@code revision: auto} / {@code gatewayRevision: auto} and for a missing hub or tag, and the chart
 * source (null: the installer's configured default).
 */
public record TranslatorSettings(String defaultRevision, String defaultHub, String defaultTag, String defaultChartSource) {

    /** The sandbox defaults, equal to the service's configuration defaults. */
    public static TranslatorSettings defaults() {
        return new TranslatorSettings("1-24", "registry.example/istio", "1.24.2-solo", null);
    }
}
