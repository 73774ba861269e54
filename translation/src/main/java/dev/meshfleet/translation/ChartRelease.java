package dev.meshfleet.translation;

/**
 * One Helm release of an installation: chart name, release name, namespace, canonical JSON values, chart source
 * (null: installer default), and the component's {@code k8s.overlays} as canonical JSON ("[]" for none), which the
 * installer patches on the rendered objects.
 */
public record ChartRelease(String chart, String releaseName, String namespace, String valuesJson, String chartSource,
        String overlaysJson) {

    public ChartRelease(String chart, String releaseName, String namespace, String valuesJson, String chartSource) {
        this(chart, releaseName, namespace, valuesJson, chartSource, "[]");
    }

    public boolean hasOverlays() {
        return overlaysJson != null && !overlaysJson.equals("[]");
    }
}
