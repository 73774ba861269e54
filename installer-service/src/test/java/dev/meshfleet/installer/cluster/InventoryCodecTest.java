package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

class InventoryCodecTest {
    @Test
    void anInventoryRoundTripsThroughItsConfigMap() {
        Inventory inventory = new Inventory(Fixtures.ILM, 3, "1-24", "1.24.2", "hash", "{\"profile\":\"minimal\"}",
                true, List.of(Fixtures.deployment("istiod-1-24"),
                        new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "x.istio.io")));
        ConfigMap cm = InventoryCodec.encode(inventory);
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("meshfleet-system");
        assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshfleet")
                .containsEntry("meshfleet.dev/inventory", "true");
        assertThat(cm.getData()).containsEntry("owner", "IstioLifecycleManager/gloo-mesh/istio")
                .containsEntry("ownerUid", "uid-1").containsEntry("planHash", "hash").containsEntry("tag", "1.24.2");
        Inventory back = InventoryCodec.decode(cm);
        assertThat(back.owner()).isEqualTo(inventory.owner());
        assertThat(back.objects()).containsExactlyInAnyOrderElementsOf(inventory.objects());
        assertThat(back).usingRecursiveComparison().ignoringFields("objects").isEqualTo(inventory);
    }

    @Test
    void aConfigMapWithoutItsOwnerIsRejectedNamingTheKey() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("broken").endMetadata().build();
        assertThatThrownBy(() -> InventoryCodec.decode(cm)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken").hasMessageContaining("ownerKind");
    }
}
