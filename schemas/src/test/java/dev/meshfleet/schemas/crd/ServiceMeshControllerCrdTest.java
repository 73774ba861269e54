package dev.meshfleet.schemas.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/** Seed 003's ServiceMeshController reference table, field by field, against the shipped CRD (issue 12 item 1). */
class ServiceMeshControllerCrdTest {

    static CustomResourceDefinitionVersion v1() throws IOException {
        CustomResourceDefinition crd = CrdAndExamplesTest.crd(Crds.SMC_CRD_RESOURCE);
        assertThat(crd.getSpec().getGroup()).isEqualTo("operator.gloo.solo.io");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ServiceMeshController");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    static JSONSchemaProps spec() throws IOException {
        return v1().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @Test
    void itIsServedAsOperatorGlooSoloIoV1WithAStatusSubresourceAndIsShipped() throws IOException {
        CustomResourceDefinitionVersion v1 = v1();
        assertThat(v1.getName()).isEqualTo("v1");
        assertThat(v1.getServed()).isTrue();
        assertThat(v1.getStorage()).isTrue();
        assertThat(v1.getSubresources().getStatus()).isNotNull();
        assertThat(Crds.CRD_RESOURCES).contains("crds/servicemeshcontrollers.yaml");
        assertThat(Crds.SMC_API_VERSION).isEqualTo("operator.gloo.solo.io/v1");
    }

    @Test
    void kubectlGetShowsPhaseClusterVersionPeersAndAge() throws IOException {
        assertThat(v1().getAdditionalPrinterColumns()).extracting(c -> c.getName() + "=" + c.getJsonPath())
                .containsExactly("Phase=.status.phase", "Cluster=.spec.cluster", "Version=.spec.version",
                        "Peers=.status.peers", "Age=.metadata.creationTimestamp");
    }

    @Test
    void everyFieldOfTheSeedsReferenceIsThereAndClusterIsRequired() throws IOException {
        JSONSchemaProps spec = spec();
        assertThat(spec.getProperties().keySet()).containsExactlyInAnyOrder("cluster", "network", "dataplaneMode",
                "distribution", "image", "installNamespace", "onConflict", "repository", "scalingProfile",
                "trafficCaptureMode", "trustDomain", "version");
        assertThat(spec.getProperties().get("image").getProperties().keySet()).containsExactlyInAnyOrder("repository",
                "secrets");
        assertThat(spec.getProperties().get("repository").getProperties().keySet()).containsExactlyInAnyOrder("secrets",
                "insecureSkipVerify");
        assertThat(spec.getProperties().get("repository").getProperties().get("insecureSkipVerify").getType())
                .isEqualTo("boolean");
        assertThat(spec.getRequired()).containsExactly("cluster");
    }

    @Test
    void theEnumeratedFieldsHaveTheSeedsValuesAndDefaults() throws IOException {
        JSONSchemaProps spec = spec();
        record Expected(String field, List<String> values, String dflt) {
        }
        for (Expected e : List.of(
                new Expected("dataplaneMode", List.of("Ambient", "Sidecar"), "Ambient"),
                new Expected("distribution", List.of("Standard", "FIPS"), "Standard"),
                new Expected("onConflict", List.of("Force", "Abort"), "Abort"),
                new Expected("scalingProfile", List.of("Default", "Demo", "Large"), "Default"),
                new Expected("trafficCaptureMode", List.of("Auto", "InitContainer"), "Auto"))) {
            JSONSchemaProps field = spec.getProperties().get(e.field());
            assertThat(field.getEnum()).as(e.field()).extracting(j -> j.asText()).containsExactlyElementsOf(e.values());
            assertThat(field.getDefault().asText()).as(e.field()).isEqualTo(e.dflt());
        }
        assertThat(spec.getProperties().get("installNamespace").getDefault().asText()).isEqualTo("istio-system");
        // trustDomain's default depends on cluster, which a schema default cannot say: the translator fills it in.
        assertThat(spec.getProperties().get("trustDomain").getDefault()).isNull();
    }

    @Test
    void statusCarriesTheSeedsConditionsWithObservedGenerationReasonMessageAndTransitionTime() throws IOException {
        JSONSchemaProps status = v1().getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().keySet()).containsExactlyInAnyOrder("observedGeneration", "phase", "peers",
                "peering", "conditions", "rootOfTrust");
        // A peered controller's links not up, each with its PeeringSucceeded reason (docs/adr/0046).
        JSONSchemaProps down = status.getProperties().get("peering").getProperties().get("down");
        assertThat(down.getType()).isEqualTo("array");
        assertThat(down.getItems().getSchema().getProperties().keySet()).containsExactlyInAnyOrder("cluster", "reason");
        assertThat(status.getProperties().get("rootOfTrust").getProperties().get("intermediateRotatesAt").getFormat())
                .isEqualTo("date-time");
        JSONSchemaProps condition = status.getProperties().get("conditions").getItems().getSchema();
        assertThat(condition.getProperties().keySet()).containsExactlyInAnyOrder("type", "status", "observedGeneration",
                "reason", "message", "lastTransitionTime");
        assertThat(condition.getProperties().get("lastTransitionTime").getFormat()).isEqualTo("date-time");
    }

    @Test
    void theKindIsKnownInItsOwnGroupOnlyAndUnknownIsNoKindAServiceActsOn() {
        assertThat(Crds.kindOf("operator.gloo.solo.io/v1", "ServiceMeshController"))
                .isEqualTo(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController);
        assertThat(Crds.kindOf("admin.gloo.solo.io/v2", "ServiceMeshController")).isNull();
        assertThat(Crds.kindOf("admin.gloo.solo.io/v2", "Unknown")).isNull();
        assertThat(Crds.KINDS).doesNotContain(dev.meshfleet.schemas.v1.ResourceKind.Unknown);
        assertThat(Crds.plural(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController)).isEqualTo("servicemeshcontrollers");
        assertThat(Crds.group(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController)).isEqualTo("operator.gloo.solo.io");
        assertThat(Crds.version(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController)).isEqualTo("v1");
        assertThat(dev.meshfleet.schemas.OwnerKeys.parse("ServiceMeshController/gloo-mesh/managed-istio").kind())
                .isEqualTo(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.meshfleet.schemas.OwnerKeys.parse("Unknown/ns/n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown/ns/n");
        assertThat(dev.meshfleet.schemas.state.InstallationState.of(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController,
                "HEALTHY")).isEqualTo(dev.meshfleet.schemas.state.IlmState.HEALTHY);
    }
}
