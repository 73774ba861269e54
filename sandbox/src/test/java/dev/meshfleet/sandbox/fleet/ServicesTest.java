package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServicesTest {

    @Test
    void threeInstallersAreInstallerServiceThenInstallerOneAndTwoWithReplicaIdsZeroToTwo() {
        Services services = new Services(null, null, null, "127.0.0.1:9092", "http://127.0.0.1:1", 3);

        assertThat(services.instanceNames()).containsExactly("spec-intake", "translator-service", "installer-service",
                "status-aggregator", "installer-1", "installer-2");
        assertThat(Services.moduleOf("installer-2")).isEqualTo("installer-service");
        assertThat(Services.moduleOf("installer-service")).isEqualTo("installer-service");
        assertThat(Services.moduleOf("status-aggregator")).isEqualTo("status-aggregator");
        assertThat(Services.replicaIdOf("installer-service")).isEqualTo("installer-0");
        assertThat(Services.replicaIdOf("installer-2")).isEqualTo("installer-2");
    }

    @Test
    void oneInstallerIsTheDefaultFleet() {
        assertThat(new Services(null, null, null, "", "").instanceNames()).containsExactly("spec-intake",
                "translator-service", "installer-service", "status-aggregator");
        assertThatThrownBy(() -> new Services(null, null, null, "", "", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
