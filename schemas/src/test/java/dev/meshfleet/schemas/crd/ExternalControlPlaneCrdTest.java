package dev.meshfleet.schemas.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/** Seed 004's topology as ADR 0031 shapes it, field by field, against the shipped CRD (issue 13 item 1). */
class ExternalControlPlaneCrdTest {

    static CustomResourceDefinitionVersion v1alpha1() throws IOException {
        CustomResourceDefinition crd = CrdAndExamplesTest.crd(Crds.ECP_CRD_RESOURCE);
        assertThat(crd.getMetadata().getName()).isEqualTo("externalcontrolplanes.meshfleet.dev");
        assertThat(crd.getSpec().getGroup()).isEqualTo("meshfleet.dev");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ExternalControlPlane");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ecp");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    static JSONSchemaProps spec() throws IOException {
        return v1alpha1().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @Test
    void itIsServedAsMeshfleetDevV1alpha1WithAStatusSubresourceAndIsShipped() throws IOException {
        CustomResourceDefinitionVersion v = v1alpha1();
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getServed()).isTrue();
        assertThat(v.getStorage()).isTrue();
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(Crds.CRD_RESOURCES).contains("crds/externalcontrolplanes.yaml");
        assertThat(Crds.ECP_API_VERSION).isEqualTo("meshfleet.dev/v1alpha1");
    }

    @Test
    void kubectlGetShowsStateExternalRemotesAndAge() throws IOException {
        assertThat(v1alpha1().getAdditionalPrinterColumns()).extracting(c -> c.getName() + "=" + c.getJsonPath())
                .containsExactly("State=.status.summary.state", "External=.status.summary.external",
                        "Remotes=.status.summary.remotes", "Age=.metadata.creationTimestamp");
    }

    @Test
    void theSpecNamesTheExternalClusterItsAddressAndSecretTheMeshAndTheRemoteClusters() throws IOException {
        JSONSchemaProps spec = spec();
        assertThat(spec.getProperties().keySet()).containsExactlyInAnyOrder("external", "version", "hub", "tag", "meshID",
                "network", "remoteClusters", "istioOperatorSpec", "skipUpgradeValidation");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("external", "meshID", "remoteClusters");
        JSONSchemaProps external = spec.getProperties().get("external");
        assertThat(external.getProperties().keySet()).containsExactlyInAnyOrder("cluster", "namespace", "address",
                "tlsSecretName");
        assertThat(external.getRequired()).containsExactlyInAnyOrder("cluster", "address", "tlsSecretName");
        assertThat(external.getProperties().get("namespace").getDefault().asText()).isEqualTo("external-istiod");
        JSONSchemaProps remotes = spec.getProperties().get("remoteClusters");
        assertThat(remotes.getMinItems()).isEqualTo(1L);
        JSONSchemaProps remote = remotes.getItems().getSchema();
        assertThat(remote.getProperties().keySet()).containsExactlyInAnyOrder("name", "configCluster", "network",
                "apiServerAddress");
        assertThat(remote.getRequired()).containsExactly("name");
        assertThat(remote.getProperties().get("configCluster").getType()).isEqualTo("boolean");
        // Which entry is the config cluster when none says so depends on the list: the validator decides, not a default.
        assertThat(remote.getProperties().get("configCluster").getDefault()).isNull();
        assertThat(spec.getProperties().get("istioOperatorSpec").getXKubernetesPreserveUnknownFields()).isTrue();
    }

    @Test
    void statusHoldsEachClustersRoleAndStateAndTheSummaryTheColumnsRead() throws IOException {
        JSONSchemaProps status = v1alpha1().getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().keySet()).containsExactlyInAnyOrder("observedGeneration", "conditions",
                "summary", "clusters");
        // metav1.Condition's list, keyed by type, as an ILM's (kubectl wait --for=condition=Ready reads it).
        JSONSchemaProps conditions = status.getProperties().get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
        assertThat(conditions.getItems().getSchema().getRequired()).containsExactly("type", "status",
                "lastTransitionTime", "reason", "message");
        assertThat(status.getProperties().get("summary").getProperties().keySet()).containsExactlyInAnyOrder("state",
                "external", "remotes");
        JSONSchemaProps cluster = status.getProperties().get("clusters").getAdditionalProperties().getSchema();
        assertThat(cluster.getProperties().get("role").getEnum()).extracting(j -> j.asText())
                .containsExactly("external", "config", "remote");
    }
}
