package dev.meshfleet.translation;

import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Allowed;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Refused;

/**
 * The chart sources the installer can use: a Helm repository (http or https URL with a host), an OCI
 * registry reference ({@code oci://host/path}), or a directory holding the charts (an absolute path
 * or a {@code file://} URL with an absolute path); and, of those, the ones on the allow-list.
 */
final class ChartSources {
    private static final String WHAT_TO_DO = "; use a Helm repository URL such as https://charts.example/istio, an oci://"
            + " reference such as oci://registry.example/istio-charts, or an absolute path or file:// URL of a directory"
            + " holding the charts, or leave it empty for the installer's default";

    private ChartSources() {
    }

    /** Null when {@code source} is usable and on {@code allowed}, else what is wrong with it and what to do. */
    static String check(String source, ChartSourceAllowList allowed) {
        ChartSourceAllowList.Parsed parsed = ChartSourceAllowList.parse(source);
        if (parsed instanceof Refused r) {
            return r.why() + WHAT_TO_DO;
        }
        if (((Allowed) parsed).location().scheme().equals("oci") && ((Allowed) parsed).location().segments().isEmpty()) {
            return "'" + source + "' names no repository path after the registry host" + WHAT_TO_DO;
        }
        if (allowed.check(source) instanceof Refused r) {
            return r.why() + "; nothing is fetched from it: use an allowed source, leave it empty for the default, or"
                    + " ask the operator to add it to " + allowed.setting();
        }
        return null;
    }
}
