package dev.meshfleet.installer.remote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.meshfleet.installer.render.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Fills the remote secrets of seed 004 (docs/adr/0031, "Credentials"): a rendered Secret annotated
 * {@value #KUBECONFIG_OF} gets, under its {@value #KUBECONFIG_KEY}, the kubeconfig {@code istioctl create-remote-secret}
 * would write for that remote cluster, with the token of the reader's token Secret {@value #READER_TOKEN}
 * ({@code namespace/name}) read from the remote cluster through its registration client. The reader's token Secret is
 * the remote cluster's installation's (chart {@code remote-reader}); Kubernetes' token controller fills it.
 *
 * <p>The token is read with the registration client of the remote cluster whichever replica owns that cluster: a read
 * is not fenced (only writes are, ADR 0013), and the installer holds a client for every registered cluster. So the
 * replica that owns the external cluster writes its remote secrets, and no credential crosses a topic. Nothing here
 * logs: a message names the cluster and the token Secret, never their content.
 */
public final class RemoteSecrets {
    public static final String KUBECONFIG_OF = "meshfleet.dev/kubeconfig-of";
    public static final String KUBECONFIG_KEY = "meshfleet.dev/kubeconfig-key";
    public static final String READER_TOKEN = "meshfleet.dev/reader-token";
    public static final String API_SERVER = "meshfleet.dev/api-server";
    /**
     * On a filled remote secret: the uid and resourceVersion of the reader token Secret its kubeconfig was built from
     * ({@link ReaderTokenRefill.Version}): its identity, nothing of the token.
     */
    public static final String READER_TOKEN_VERSION = "meshfleet.dev/reader-token-version";
    /** Meshfleet's chart that renders the shells, in an ExternalControlPlane's external cluster. */
    public static final String CHART = "remote-secrets";

    /** The rendered objects with every remote secret filled, or why one cannot be yet. */
    public sealed interface Outcome {
        record Filled(List<List<HasMetadata>> rendered) implements Outcome {
        }

        /** A reader's token is not there (yet): the remote cluster's installation creates it. */
        record Waiting(String message) implements Outcome {
        }
    }

    private final Function<String, Optional<KubernetesClient>> clients;

    public RemoteSecrets(Function<String, Optional<KubernetesClient>> clients) {
        this.clients = clients;
    }

    /** Whether {@code object} is a remote secret's shell, to be filled before it is applied. */
    public static boolean isShell(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return "Secret".equals(object.getKind()) && annotations != null && annotations.containsKey(KUBECONFIG_OF);
    }

    public Outcome fill(List<List<HasMetadata>> rendered) {
        if (rendered.stream().flatMap(List::stream).noneMatch(RemoteSecrets::isShell)) {
            return new Outcome.Filled(rendered);
        }
        List<List<HasMetadata>> out = new ArrayList<>();
        for (List<HasMetadata> objects : rendered) {
            List<HasMetadata> filled = new ArrayList<>();
            for (HasMetadata object : objects) {
                if (!isShell(object)) {
                    filled.add(object);
                    continue;
                }
                TokenRead read = read(object);
                if (read instanceof TokenRead.NotRead not) {
                    return new Outcome.Waiting(not.message());
                }
                filled.add(filled(object, (TokenRead.Read) read));
            }
            out.add(List.copyOf(filled));
        }
        return new Outcome.Filled(List.copyOf(out));
    }

    /** A remote secret filled again at a resync ({@link #refill}), and why: a line naming it, never its content. */
    public record Refilled(HasMetadata secret, String why) {
    }

    /**
     * At a resync, for shells already written: reads each one's reader token once and fills again those whose
     * recorded version is not the token Secret's now ({@link ReaderTokenRefill}). A token that cannot be read or is
     * not filled leaves its remote secret as it is.
     *
     * @param recorded the version each shell records in the cluster ({@value #READER_TOKEN_VERSION}), empty for none
     */
    public List<Refilled> refill(List<HasMetadata> shells,
            Function<HasMetadata, Optional<ReaderTokenRefill.Version>> recorded) {
        List<Refilled> out = new ArrayList<>();
        for (HasMetadata shell : shells) {
            TokenRead read = read(shell);
            ReaderTokenRefill.Token now = read instanceof TokenRead.Read r
                    ? new ReaderTokenRefill.Token.Filled(r.version())
                    : ((TokenRead.NotRead) read).unfilled() ? new ReaderTokenRefill.Token.Unfilled()
                    : new ReaderTokenRefill.Token.Unread();
            ReaderTokenRefill.Decision decision = ReaderTokenRefill.decide(recorded.apply(shell), now);
            if (decision instanceof ReaderTokenRefill.Decision.Refill refill) {
                TokenRead.Read r = (TokenRead.Read) read;
                out.add(new Refilled(filled(shell, r), "Secret " + name(shell) + " was filled again: the reader token"
                        + " Secret " + r.tokenSecret() + " of cluster " + r.cluster() + " " + refill.reason().words()));
            }
        }
        return List.copyOf(out);
    }

    /** The version of the reader token a filled remote secret records, if any. */
    public static Optional<ReaderTokenRefill.Version> recorded(HasMetadata secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return ReaderTokenRefill.Version.parse(annotations == null ? null : annotations.get(READER_TOKEN_VERSION));
    }

    /** A shell's reader token Secret, as read from its remote cluster. */
    private sealed interface TokenRead {
        /** Read with a token in it, through the client of its cluster. */
        record Read(String cluster, String tokenSecret, KubernetesClient client, Secret secret) implements TokenRead {
            ReaderTokenRefill.Version version() {
                return new ReaderTokenRefill.Version(String.valueOf(secret.getMetadata().getUid()),
                        String.valueOf(secret.getMetadata().getResourceVersion()));
            }
        }

        /** No token: why, naming the cluster and the Secret; {@code unfilled} when the Secret is missing or empty. */
        record NotRead(String message, boolean unfilled) implements TokenRead {
        }
    }

    private static String name(HasMetadata shell) {
        return shell.getMetadata().getNamespace() + "/" + shell.getMetadata().getName();
    }

    private TokenRead read(HasMetadata shell) {
        Map<String, String> a = shell.getMetadata().getAnnotations();
        String cluster = a.get(KUBECONFIG_OF);
        String[] token = a.getOrDefault(READER_TOKEN, "").split("/", 2);
        String name = name(shell);
        if (token.length != 2) {
            return new TokenRead.NotRead("remote secret " + name + " names no reader token (" + READER_TOKEN + ")",
                    false);
        }
        String tokenSecret = token[0] + "/" + token[1];
        Optional<KubernetesClient> client = clients.apply(cluster);
        if (client.isEmpty()) {
            return new TokenRead.NotRead("remote secret " + name + " waits for cluster " + cluster
                    + " to be registered (its reader token " + tokenSecret + " is read there)", false);
        }
        Secret secret;
        try {
            secret = client.get().secrets().inNamespace(token[0]).withName(token[1]).get();
        } catch (RuntimeException e) {
            // The exception's text is the API's answer about the Secret, never its content.
            return new TokenRead.NotRead("remote secret " + name + ": reading the reader token " + tokenSecret
                    + " in cluster " + cluster + " failed (" + e.getClass().getSimpleName() + "); retried", false);
        }
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get("token");
        if (encoded == null || encoded.isEmpty()) {
            return new TokenRead.NotRead("remote secret " + name + " waits for the reader token " + tokenSecret
                    + " in cluster " + cluster + (secret == null ? " (not created yet)"
                            : " (not filled by the token controller yet)"), true);
        }
        return new TokenRead.Read(cluster, tokenSecret, client.get(), secret);
    }

    /**
     * The shell filled from {@code read}: istioctl's kubeconfig under the shell's key, and the token Secret's version
     * ({@value #READER_TOKEN_VERSION}), which a resync compares with the token Secret then.
     */
    private static HasMetadata filled(HasMetadata shell, TokenRead.Read read) {
        Map<String, String> a = shell.getMetadata().getAnnotations();
        String key = a.getOrDefault(KUBECONFIG_KEY, read.cluster());
        String server = a.getOrDefault(API_SERVER, "");
        if (server.isEmpty()) {
            server = read.client().getConfiguration().getMasterUrl();
            server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        }
        Secret secret = read.secret();
        String ca = secret.getData().getOrDefault("ca.crt", "");
        String kubeconfig = RemoteKubeconfig.build(read.cluster(), server, ca,
                new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
        Secret filled = (Secret) Manifests.serialization().clone(shell);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
        filled.setData(data);
        Map<String, String> annotations = new LinkedHashMap<>(filled.getMetadata().getAnnotations());
        annotations.put(READER_TOKEN_VERSION, read.version().annotation());
        filled.getMetadata().setAnnotations(annotations);
        return filled;
    }
}
