package dev.meshfleet.translator.translate;

/** One Helm release of an installation: chart name, release name, namespace, canonical JSON values, chart source (null: installer default). */
public record ChartRelease(String chart, String releaseName, String namespace, String valuesJson, String chartSource) {
}
