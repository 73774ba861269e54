package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.render.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/**
 * An apply's answer is typed and a drift repair's list is generic: the same object must give the same
 * {@link LiveVersion} either way, or every repair would see drift that is not there. Each typed object here is also
 * read back as the server's JSON into a {@link GenericKubernetesResource}, as a list gives it, and read from that JSON
 * without binding ({@link ApplyAnswer}), as a direct apply reads its answer.
 */
class LiveVersionTest {

    static List<HasMetadata> objects() {
        return List.of(
                new DeploymentBuilder().withNewMetadata().withName("istiod").withNamespace("istio-system")
                        .withUid("u1").withResourceVersion("7").withGeneration(3L).addToLabels("app", "istiod")
                        .endMetadata().withNewSpec().withReplicas(2).endSpec().withNewStatus().withReplicas(2)
                        .withReadyReplicas(1).withObservedGeneration(3L).addNewCondition().withType("Available")
                        .withStatus("True").endCondition().endStatus().build(),
                new DeploymentBuilder().withNewMetadata().withName("no-status").withNamespace("istio-system")
                        .withUid("u2").withResourceVersion("8").endMetadata().build(),
                new CustomResourceDefinitionBuilder().withNewMetadata().withName("gateways.networking.istio.io")
                        .withUid("u3").withResourceVersion("9").withGeneration(1L).endMetadata().withNewSpec()
                        .withGroup("networking.istio.io").withScope("Namespaced").withNewNames().withKind("Gateway")
                        .withPlural("gateways").endNames().endSpec().withNewStatus().withStoredVersions("v1")
                        .withNewAcceptedNames().withKind("Gateway").withPlural("gateways").endAcceptedNames()
                        .endStatus().build(),
                new ConfigMapBuilder().withNewMetadata().withName("istio").withNamespace("istio-system")
                        .withUid("u4").withResourceVersion("10").addToAnnotations("a", "b").endMetadata()
                        .addToData("mesh", "defaultConfig: {}").build());
    }

    @ParameterizedTest
    @MethodSource("objects")
    void aTypedAnswerAndTheSameObjectListedHaveOneLiveVersion(HasMetadata typed) {
        GenericKubernetesResource listed = Manifests.serialization()
                .unmarshal(Manifests.serialization().asJson(typed), GenericKubernetesResource.class);

        LiveVersion fromTyped = ClusterOps.liveVersion(typed);
        LiveVersion fromListed = ClusterOps.liveVersion(listed);

        assertThat(fromTyped).isEqualTo(fromListed);
        assertThat(fromTyped.uid()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("objects")
    void anAnswerReadWithoutBindingHasTheLiveVersionOfTheSameObjectListed(HasMetadata typed) throws Exception {
        String json = Manifests.serialization().asJson(typed);
        GenericKubernetesResource listed = Manifests.serialization().unmarshal(json, GenericKubernetesResource.class);

        assertThat(ApplyAnswer.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(ClusterOps.liveVersion(listed));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void onlyTheStatusMovesTheStatusDigest(HasMetadata typed) {
        GenericKubernetesResource listed = Manifests.serialization()
                .unmarshal(Manifests.serialization().asJson(typed), GenericKubernetesResource.class);
        String before = ClusterOps.liveVersion(listed).statusDigest();
        listed.getAdditionalProperties().put("status", Map.of("observedGeneration", 42));

        assertThat(ClusterOps.liveVersion(listed).statusDigest()).isNotEqualTo(before).isNotEmpty();
    }
}
