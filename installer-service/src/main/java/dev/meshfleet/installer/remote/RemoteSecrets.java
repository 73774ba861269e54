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
                Object result = fillOne(object);
                if (result instanceof Outcome.Waiting waiting) {
                    return waiting;
                }
                filled.add((HasMetadata) result);
            }
            out.add(List.copyOf(filled));
        }
        return new Outcome.Filled(List.copyOf(out));
    }

    /** The filled copy of {@code shell}, or a {@link Outcome.Waiting}. */
    private Object fillOne(HasMetadata shell) {
        Map<String, String> a = shell.getMetadata().getAnnotations();
        String cluster = a.get(KUBECONFIG_OF);
        String key = a.getOrDefault(KUBECONFIG_KEY, cluster);
        String[] token = a.getOrDefault(READER_TOKEN, "").split("/", 2);
        String name = shell.getMetadata().getNamespace() + "/" + shell.getMetadata().getName();
        if (token.length != 2) {
            return new Outcome.Waiting("remote secret " + name + " names no reader token (" + READER_TOKEN + ")");
        }
        String tokenSecret = token[0] + "/" + token[1];
        Optional<KubernetesClient> client = clients.apply(cluster);
        if (client.isEmpty()) {
            return new Outcome.Waiting("remote secret " + name + " waits for cluster " + cluster
                    + " to be registered (its reader token " + tokenSecret + " is read there)");
        }
        Secret secret;
        try {
            secret = client.get().secrets().inNamespace(token[0]).withName(token[1]).get();
        } catch (RuntimeException e) {
            // The exception's text is the API's answer about the Secret, never its content.
            return new Outcome.Waiting("remote secret " + name + ": reading the reader token " + tokenSecret
                    + " in cluster " + cluster + " failed (" + e.getClass().getSimpleName() + "); retried");
        }
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get("token");
        if (encoded == null || encoded.isEmpty()) {
            return new Outcome.Waiting("remote secret " + name + " waits for the reader token " + tokenSecret
                    + " in cluster " + cluster + (secret == null ? " (not created yet)"
                            : " (not filled by the token controller yet)"));
        }
        String server = a.getOrDefault(API_SERVER, "");
        if (server.isEmpty()) {
            server = client.get().getConfiguration().getMasterUrl();
            server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        }
        String ca = secret.getData().getOrDefault("ca.crt", "");
        String kubeconfig = RemoteKubeconfig.build(cluster, server, ca,
                new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        Secret filled = (Secret) Manifests.serialization().clone(shell);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
        filled.setData(data);
        return filled;
    }
}
