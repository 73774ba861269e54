package dev.meshfleet.schemas.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.v1.ResourceKind;

class StateNumbersTest {

    @Test
    void ilmStatesKeepTheNamesAndNumbersOfTheApi() {
        Map<String, Integer> api = new LinkedHashMap<>();
        String[] names = {"PENDING", "FAILED", "INSTALLING_CONTROLLER", "CONTROLLER_INSTALL_FAILED",
            "INSTALLING_CONTROL_PLANE", "CONTROL_PLANE_INSTALL_FAILED", "HEALTHY", "UNHEALTHY", "ACTION_REQUIRED",
            "UPDATING_CONTROL_PLANE", "RECONCILING_CONTROL_PLANE", "UNKNOWN", "UNINSTALLING_CONTROL_PLANE",
            "UNINSTALLED_CONTROL_PLANE", "INSTALL_PENDING"};
        for (int i = 0; i < names.length; i++) {
            api.put(names[i], i);
        }
        assertThat(numbers(IlmState.values())).isEqualTo(api);
    }

    @Test
    void glmStatesKeepTheNamesAndNumbersOfTheApi() {
        Map<String, Integer> api = new LinkedHashMap<>();
        String[] names = {"PENDING", "FAILED", "NO_CONTROL_PLANE_AVAILABLE", "INSTALLING_GATEWAY", "HEALTHY",
            "UNHEALTHY", "ACTION_REQUIRED", "UPDATING_GATEWAY", "RECONCILING_GATEWAY", "UNKNOWN",
            "UNINSTALLING_GATEWAY", "UNINSTALLED_GATEWAY", "INSTALL_PENDING"};
        for (int i = 0; i < names.length; i++) {
            api.put(names[i], i);
        }
        assertThat(numbers(GlmState.values())).isEqualTo(api);
    }

    @Test
    void everyStateMapsToAPhaseThatMapsBackToItForItsKind() {
        for (IlmState s : IlmState.values()) {
            assertThat(s.phase().state(ResourceKind.IstioLifecycleManager)).isEqualTo(s);
        }
        for (GlmState s : GlmState.values()) {
            assertThat(s.phase().state(ResourceKind.GatewayLifecycleManager)).isEqualTo(s);
        }
    }

    @Test
    void onlyWorkUnderWayIsUnsettled() {
        assertThat(IlmState.INSTALLING_CONTROL_PLANE.phase().settled()).isFalse();
        assertThat(GlmState.UPDATING_GATEWAY.phase().settled()).isFalse();
        assertThat(IlmState.HEALTHY.phase().settled()).isTrue();
        assertThat(GlmState.NO_CONTROL_PLANE_AVAILABLE.phase().settled()).isTrue();
        assertThat(IlmState.UNKNOWN.phase().settled()).isTrue();
    }

    @Test
    void aStateNameTheKindDoesNotHaveIsRejected() {
        assertThat(InstallationState.of(ResourceKind.GatewayLifecycleManager, "INSTALLING_GATEWAY"))
                .isEqualTo(GlmState.INSTALLING_GATEWAY);
        assertThatThrownBy(() -> InstallationState.of(ResourceKind.GatewayLifecycleManager, "INSTALLING_CONTROLLER"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Integer> numbers(InstallationState[] states) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        Arrays.stream(states).sorted((a, b) -> Integer.compare(a.number(), b.number()))
                .forEach(s -> byName.put(s.name(), s.number()));
        return byName;
    }
}
