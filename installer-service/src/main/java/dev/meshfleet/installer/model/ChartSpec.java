package dev.meshfleet.installer.model;

import dev.meshfleet.schemas.v1.ChartRelease;

/**
 * One Helm release of a plan: which chart, under which name and namespace, with which values, and
 * from where: {@code source} null or empty is the installer's configured chart directory; else a
 * directory (absolute path or file:// URL), a Helm repository (http(s)://) or an OCI reference
 * (oci://). {@code version} is the chart version pulled from a repository or registry (the plan's
 * tag, as Istio versions its charts like its releases); a directory ignores it. {@code overlaysJson} is the
 * component's {@code k8s.overlays}, patched on the rendered objects ({@link dev.meshfleet.installer.render.Overlays});
 * "[]" for none.
 */
public record ChartSpec(String chart, String releaseName, String namespace, String valuesJson, String source,
        String version, String overlaysJson) {

    public ChartSpec(String chart, String releaseName, String namespace, String valuesJson, String source,
            String version) {
        this(chart, releaseName, namespace, valuesJson, source, version, "[]");
    }

    public ChartSpec(String chart, String releaseName, String namespace, String valuesJson) {
        this(chart, releaseName, namespace, valuesJson, null, null);
    }

    public static ChartSpec from(ChartRelease release, String version) {
        return new ChartSpec(release.getChart(), release.getReleaseName(), release.getNamespace(),
                release.getValuesJson(), release.getChartSource(), version, release.getOverlaysJson());
    }

    /** The same release with other values. */
    public ChartSpec withValuesJson(String values) {
        return new ChartSpec(chart, releaseName, namespace, values, source, version, overlaysJson);
    }
}
