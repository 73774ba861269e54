package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

class MockApiServerTestResourceTest {

    @Test
    void theTestResourcePointsTheQuarkusKubernetesClientAtTheSharedServer() {
        Map<String, String> config = new MockApiServerTestResource().start();

        assertThat(config).containsEntry("quarkus.kubernetes-client.api-server-url", MockApiServerTestResource.server().url())
                .containsEntry("quarkus.kubernetes-client.devservices.enabled", "false");
        assertThat(new MockApiServerTestResource().start()).isEqualTo(config);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(config.get("quarkus.kubernetes-client.api-server-url")).build()).build()) {
            assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("32");
        }
    }
}
