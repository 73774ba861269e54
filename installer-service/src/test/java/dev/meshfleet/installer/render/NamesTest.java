package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.Owner;
import dev.meshfleet.schemas.v1.ResourceKind;

class NamesTest {
    @Test
    void ownerLabelIsShortKindNamespaceAndName() {
        assertThat(Names.ownerLabel(Fixtures.ILM)).isEqualTo("ilm.gloo-mesh.istio");
    }

    @Test
    void aLongOwnerLabelIsCutTo63CharactersAndStaysValid() {
        Owner owner = new Owner(ResourceKind.GatewayLifecycleManager, "n".repeat(60), "x".repeat(60), "u");
        String label = Names.ownerLabel(owner);
        assertThat(label).hasSizeLessThanOrEqualTo(63).matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    }

    @Test
    void inventoryNamesDifferPerRevisionAndAreDnsNames() {
        String a = Names.inventoryName(Fixtures.ILM, "1-24");
        String b = Names.inventoryName(Fixtures.ILM, "");
        assertThat(a).isNotEqualTo(b).matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
        assertThat(b).contains("default");
    }
}
