package dev.meshfleet.installer.render;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Reads the chart repository credentials Secret named by {@code meshfleet.installer.chart-credentials-secret} in the
 * management cluster, at each fetch of a repository (once per chart version), so a rotated Secret is used at once.
 * Errors name the Secret and the key, never a value.
 */
public final class CredentialsSecret implements Supplier<Optional<RepositoryCredentials>> {
    private final KubernetesClient management;
    private final String name;
    private final String namespace;

    /** @param name the Secret's name; null or blank: no credentials */
    public CredentialsSecret(KubernetesClient management, String name, String namespace) {
        this.management = management;
        this.name = name == null || name.isBlank() ? null : name;
        this.namespace = namespace;
    }

    @Override
    public Optional<RepositoryCredentials> get() {
        if (name == null) {
            return Optional.empty();
        }
        String what = namespace + "/" + name;
        Secret secret = management.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new ChartRenderer.RenderException("the chart repository credentials Secret " + what + " (setting"
                    + " meshfleet.installer.chart-credentials-secret) does not exist; create it or unset the setting");
        }
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, v == null ? null
                    : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        try {
            return Optional.of(RepositoryCredentials.fromSecret(what, data));
        } catch (IllegalArgumentException e) {
            throw new ChartRenderer.RenderException(e.getMessage() + " (setting meshfleet.installer.chart-credentials-secret)");
        }
    }
}
