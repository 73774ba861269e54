package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
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
    void whenThePlanWasAppliedAndFirstBecameReadyRoundTripAndAreAbsentForAnOldInventory() {
        Inventory inventory = new Inventory(Fixtures.ILM, 3, "1-24", "1.24.2", "hash", null, true,
                List.of(Fixtures.deployment("istiod-1-24")), Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:05:00Z"));
        ConfigMap cm = InventoryCodec.encode(inventory);
        assertThat(cm.getData()).containsEntry("appliedAt", "2026-01-02T03:04:05Z")
                .containsEntry("readySince", "2026-01-02T03:05:00Z");
        assertThat(InventoryCodec.decode(cm)).isEqualTo(inventory);

        cm.getData().remove("appliedAt");
        cm.getData().remove("readySince");
        Inventory old = InventoryCodec.decode(cm);
        assertThat(old.appliedAt()).isNull();
        assertThat(old.readySince()).isNull();
    }

    @Test
    void aConfigMapWithoutItsOwnerIsRejectedNamingTheKey() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("broken").endMetadata().build();
        assertThatThrownBy(() -> InventoryCodec.decode(cm)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken").hasMessageContaining("ownerKind");
    }
}
