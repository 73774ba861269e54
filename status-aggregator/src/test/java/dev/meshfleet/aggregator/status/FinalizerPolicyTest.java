package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FinalizerPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode status(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void everyInstallationUninstalledReleasesTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"cluster1": {"installations": {"1-24": {"state": "UNINSTALLED_CONTROL_PLANE"}}},
                              "cluster2": {"installations": {"1-24": {"state": "UNINSTALLED_CONTROL_PLANE"}}}}}
                """))).isTrue();
    }

    @Test
    void anInstallationStillUninstallingHoldsTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"cluster1": {"installations": {"1-24": {"state": "UNINSTALLED_GATEWAY"}}},
                              "cluster2": {"installations": {"1-24": {"state": "UNINSTALLING_GATEWAY"}}}}}
                """))).isFalse();
    }

    @Test
    void aHealthyInstallationHoldsTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"cluster1": {"installations": {"1-24": {"state": "HEALTHY", "observedOperator": {}}}}}}
                """))).isFalse();
    }

    @Test
    void noStatusOrNoInstallationsReleasesTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(null)).isTrue();
        assertThat(FinalizerPolicy.mayRelease(status("{\"clusters\": {}}"))).isTrue();
    }

    @Test
    void aTranslationFailureThatNeverInstalledAnythingReleasesTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"*": {"installations": {"default": {"state": "FAILED", "message": "spec.clusters"}}}}}
                """))).isTrue();
    }

    @Test
    void aFailureOfSomethingInstalledHoldsTheFinalizer() throws Exception {
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"cluster1": {"installations": {"1-24":
                    {"state": "FAILED", "observedOperator": {"profile": "minimal"}}}}}}
                """))).isFalse();
        assertThat(FinalizerPolicy.mayRelease(status("""
                {"clusters": {"cluster1": {"installations": {"1-24": {"state": "CONTROL_PLANE_INSTALL_FAILED"}}}}}
                """))).isFalse();
    }
}
