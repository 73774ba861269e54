package dev.meshfleet.sandbox.e2e;

/** The IstioLifecycleManager manifests the E2E tests apply, written once: as a user would write them, in gloo-mesh. */
final class Specs {

    static final String TAG = "1.24.2-solo";

    private Specs() {
    }

    /** An ILM in gloo-mesh with the given installations (YAML list items, see {@link #installation}). */
    static String ilm(String name, String... installations) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: %s
                  namespace: gloo-mesh
                spec:
                  installations:
                """.formatted(name));
        for (String installation : installations) {
            yaml.append(installation.stripTrailing().indent(4));
        }
        return yaml.toString();
    }

    /** A minimal-profile installation of {@code revision}; see {@link #installation} for the other arguments. */
    static String minimal(String revision, String tag, String clusters, String extra) {
        return installation("revision: " + revision, "minimal", tag, clusters, extra);
    }

    /**
     * One installation: {@code revisionLine} such as {@code revision: 1-24} (or {@code revision: ""}),
     * {@code clusters} as YAML list items (e.g. {@code - name: cluster1}), and {@code extra} installation
     * fields (e.g. {@code skipUpgradeValidation: true}), all unindented.
     */
    static String installation(String revisionLine, String profile, String tag, String clusters, String extra) {
        return """
                - %s
                  clusters:
                %s
                  istioOperatorSpec:
                    profile: %s
                    hub: registry.example/istio
                    tag: %s
                    namespace: istio-system
                %s""".formatted(revisionLine, clusters.stripTrailing().indent(2).stripTrailing(), profile, tag,
                extra.stripTrailing().indent(2));
    }
}
