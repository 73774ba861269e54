package dev.meshfleet.translator.translate;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The chart sources the installer can use: a Helm repository (http or https URL with a host), an OCI
 * registry reference ({@code oci://host/path}), or a directory holding the charts (an absolute path
 * or a {@code file://} URL with an absolute path).
 */
final class ChartSources {
    private static final String WHAT_TO_DO = "; use a Helm repository URL such as https://charts.example/istio, an oci://"
            + " reference such as oci://registry.example/istio-charts, or an absolute path or file:// URL of a directory"
            + " holding the charts, or leave it empty for the installer's default";

    private ChartSources() {
    }

    /** Null when {@code source} is usable, else what is wrong with it and what to do. */
    static String check(String source) {
        String s = source.trim();
        if (s.startsWith("/")) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            return "'" + source + "' is not a URL or path (" + e.getReason() + ")" + WHAT_TO_DO;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                return uri.getHost() == null ? "'" + source + "' names no host" + WHAT_TO_DO : null;
            }
            case "oci" -> {
                if (uri.getHost() == null) {
                    return "'" + source + "' names no registry host" + WHAT_TO_DO;
                }
                return uri.getPath() == null || uri.getPath().length() <= 1
                        ? "'" + source + "' names no repository path after the registry host" + WHAT_TO_DO : null;
            }
            case "file" -> {
                return uri.getPath() == null || !uri.getPath().startsWith("/")
                        ? "'" + source + "' is not an absolute file:// URL" + WHAT_TO_DO : null;
            }
            case "" -> {
                return "'" + source + "' is a relative path" + WHAT_TO_DO;
            }
            default -> {
                return "'" + source + "' has the unsupported scheme '" + scheme + "'" + WHAT_TO_DO;
            }
        }
    }
}
