package dev.meshfleet.intake;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;

/**
 * Quarkus fixes quarkus.kubernetes-client.api-server-url at build time (BUILD_AND_RUN_TIME_FIXED),
 * so the launch convention `-Dquarkus.kubernetes-client.api-server-url=...` on a packaged jar would
 * otherwise be ignored (with only a warning) and the client would talk to whatever ~/.kube/config
 * says. This applies the value given at launch to the injected client's configuration.
 */
@Singleton
public class RuntimeApiServerUrl implements KubernetesConfigCustomizer {
    static final String KEY = "quarkus.kubernetes-client.api-server-url";

    @Override
    public void customize(Config config) {
        launchValue().ifPresent(url -> {
            config.setMasterUrl(url);
            // An explicit URL means this server, not the kubeconfig's current context.
            config.setCurrentContext(null);
        });
    }

    static Optional<String> launchValue() {
        String property = System.getProperty(KEY);
        if (property != null && !property.isBlank()) {
            return Optional.of(property);
        }
        String env = System.getenv("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL");
        if (env != null && !env.isBlank()) {
            return Optional.of(env);
        }
        return ConfigProvider.getConfig().getOptionalValue(KEY, String.class).filter(s -> !s.isBlank());
    }
}
