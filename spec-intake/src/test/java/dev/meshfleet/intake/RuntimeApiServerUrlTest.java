package dev.meshfleet.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;

class RuntimeApiServerUrlTest {

    @AfterEach
    void clear() {
        System.clearProperty(RuntimeApiServerUrl.KEY);
    }

    @Test
    void theApiServerUrlGivenAtLaunchWinsOverTheBuildTimeValue() {
        System.setProperty(RuntimeApiServerUrl.KEY, "http://127.0.0.1:45678");
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://kubernetes.default.svc").build();

        new RuntimeApiServerUrl().customize(config);

        assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:45678");
    }

    @Test
    void withoutALaunchValueTheClientConfigurationIsLeftAlone() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://kubernetes.default.svc").build();

        new RuntimeApiServerUrl().customize(config);

        assertThat(config.getMasterUrl()).startsWith("https://kubernetes.default.svc");
    }
}
