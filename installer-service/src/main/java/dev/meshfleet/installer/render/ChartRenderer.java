package dev.meshfleet.installer.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.marcnuri.helm.Helm;

import dev.meshfleet.installer.model.ChartSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Renders a chart release with helm-java (Helm linked in through JNA: nothing to install) and
 * parses the result. Renders are cached by chart, release, namespace and values hash: every
 * resync renders the same plans again, and the charts do not change while the process runs.
 */
public class ChartRenderer {
    private final Path chartDir;
    private final Map<String, List<HasMetadata>> cache = new ConcurrentHashMap<>();

    public ChartRenderer(Path chartDir) {
        this.chartDir = chartDir;
    }

    /** The release's objects, with namespaced ones defaulted to the release namespace. */
    public List<HasMetadata> render(ChartSpec release) {
        String key = release.chart() + "|" + release.releaseName() + "|" + release.namespace() + "|"
                + Names.hash(release.valuesJson());
        return cache.computeIfAbsent(key, k -> Manifests.defaultNamespace(Manifests.parse(template(release)),
                release.namespace()));
    }

    private String template(ChartSpec release) {
        Path chart = chartDir.resolve(release.chart());
        if (!Files.isDirectory(chart)) {
            throw new RenderException("chart '" + release.chart() + "' not found under " + chartDir.toAbsolutePath());
        }
        Path values = null;
        try {
            // JSON is YAML: the canonical values JSON is passed unchanged as the values file.
            values = Files.createTempFile("meshfleet-values-", ".yaml");
            Files.writeString(values, release.valuesJson() == null || release.valuesJson().isBlank() ? "{}"
                    : release.valuesJson(), StandardCharsets.UTF_8);
            return new Helm(chart).template().withName(release.releaseName()).withNamespace(release.namespace())
                    .withValuesFile(values).call();
        } catch (IOException e) {
            throw new RenderException("cannot write the values of release " + release.releaseName() + ": " + e, e);
        } catch (RuntimeException e) {
            throw new RenderException("helm template of chart '" + release.chart() + "' (release "
                    + release.releaseName() + ") failed: " + e.getMessage(), e);
        } finally {
            if (values != null) {
                try {
                    Files.deleteIfExists(values);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** A chart that cannot be rendered: final for this plan (only a new plan or chart fixes it). */
    public static class RenderException extends RuntimeException {
        public RenderException(String message) {
            super(message);
        }

        public RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
