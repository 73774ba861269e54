package dev.meshfleet.installer.model;

import dev.meshfleet.schemas.v1.ChartRelease;

/** One Helm release of a plan: which chart, under which name and namespace, with which values. */
public record ChartSpec(String chart, String releaseName, String namespace, String valuesJson) {
    public static ChartSpec from(ChartRelease release) {
        return new ChartSpec(release.getChart(), release.getReleaseName(), release.getNamespace(),
                release.getValuesJson());
    }
}
