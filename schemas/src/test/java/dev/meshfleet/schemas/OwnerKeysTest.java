package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshfleet.schemas.v1.ResourceKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnerKeysTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "ExternalControlPlane/gloo-mesh/mesh1, true",
            "ExternalControlPlane/a/b, true",
            "IstioLifecycleManager/gloo-mesh/istiod, false",
            "ExternalControlPlaneX/gloo-mesh/mesh1, false",
            "ExternalControlPlane, false",
            "ExternalControlPlan/gloo-mesh/mesh1, false",
            "NULL, false"})
    void aKeyIsOfAKindByItsFirstSegment(String key, boolean ofEcp) {
        assertThat(OwnerKeys.isOf(ResourceKind.ExternalControlPlane, key)).isEqualTo(ofEcp);
    }

    @ParameterizedTest
    @CsvSource({"IstioLifecycleManager/gloo-mesh, expected Kind/namespace/name",
            "Nope/gloo-mesh/x, in 'Nope/gloo-mesh/x'"})
    void aMalformedKeyIsRefusedSayingWhy(String key, String why) {
        assertThatThrownBy(() -> OwnerKeys.parse(key)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
