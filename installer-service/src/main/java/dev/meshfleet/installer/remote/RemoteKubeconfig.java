package dev.meshfleet.installer.remote;

import java.util.Map;

/**
 * The kubeconfig {@code istioctl create-remote-secret} writes for the external istiod (seed 004): one cluster, named
 * after the remote cluster, its API server and the CA the reader's token Secret carries, and one user with the
 * reader's token. Pure: the result is a credential; it is put in a Secret and never logged or kept.
 */
public final class RemoteKubeconfig {
    private RemoteKubeconfig() {
    }

    /**
     * @param cluster the remote cluster's name (the kubeconfig's cluster, user and context)
     * @param server the remote API server's URL
     * @param caData the base64 PEM of the CA of the API server (the token Secret's {@code ca.crt} as stored), or empty
     * @param token the reader's token, decoded
     */
    public static String build(String cluster, String server, String caData, String token) {
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: v1\n");
        out.append("kind: Config\n");
        out.append("clusters:\n");
        out.append("- cluster:\n");
        if (!caData.isEmpty()) {
            out.append("    certificate-authority-data: ").append(caData).append('\n');
        }
        out.append("    server: ").append(quote(server)).append('\n');
        out.append("  name: ").append(quote(cluster)).append('\n');
        out.append("contexts:\n");
        out.append("- context:\n");
        out.append("    cluster: ").append(quote(cluster)).append('\n');
        out.append("    user: ").append(quote(cluster)).append('\n');
        out.append("  name: ").append(quote(cluster)).append('\n');
        out.append("current-context: ").append(quote(cluster)).append('\n');
        out.append("preferences: {}\n");
        out.append("users:\n");
        out.append("- name: ").append(quote(cluster)).append('\n');
        out.append("  user:\n");
        out.append("    token: ").append(quote(token)).append('\n');
        return out.toString();
    }

    /** A YAML double-quoted scalar: names, URLs and tokens as given, whatever characters they hold. */
    private static String quote(String value) {
        StringBuilder q = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            String escaped = ESCAPES.get(ch);
            if (escaped != null) {
                q.append(escaped);
            } else if (ch < 0x20) {
                q.append(String.format("\\x%02x", (int) ch));
            } else {
                q.append(ch);
            }
        }
        return q.append('"').toString();
    }

    private static final Map<Character, String> ESCAPES = Map.of('"', "\\\"", '\\', "\\\\", '\n', "\\n", '\t', "\\t",
            '\r', "\\r");
}
