package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;

/**
 * {@link DirectApply}'s paths, as the Kubernetes API serves each kind (the API reference's HTTP requests:
 * {@code PATCH /apis/apps/v1/namespaces/{namespace}/deployments/{name}} and so on), and which objects it leaves to the
 * client's DSL.
 */
class DirectApplyTest {

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(new NamespaceBuilder().withNewMetadata().withName("istio-system").endMetadata().build(),
                        "api/v1/namespaces/istio-system"),
                Arguments.of(new ConfigMapBuilder().withNewMetadata().withName("istio").withNamespace("istio-system")
                        .endMetadata().build(), "api/v1/namespaces/istio-system/configmaps/istio"),
                Arguments.of(new ServiceAccountBuilder().withNewMetadata().withName("istiod").withNamespace("istio-system")
                        .endMetadata().build(), "api/v1/namespaces/istio-system/serviceaccounts/istiod"),
                Arguments.of(new DeploymentBuilder().withNewMetadata().withName("istiod").withNamespace("istio-system")
                        .endMetadata().build(), "apis/apps/v1/namespaces/istio-system/deployments/istiod"),
                Arguments.of(new DaemonSetBuilder().withNewMetadata().withName("ztunnel").withNamespace("istio-system")
                        .endMetadata().build(), "apis/apps/v1/namespaces/istio-system/daemonsets/ztunnel"),
                Arguments.of(new PodDisruptionBudgetBuilder().withNewMetadata().withName("istiod")
                        .withNamespace("istio-system").endMetadata().build(),
                        "apis/policy/v1/namespaces/istio-system/poddisruptionbudgets/istiod"),
                Arguments.of(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("istiod")
                        .withNamespace("istio-system").endMetadata().build(),
                        "apis/autoscaling/v2/namespaces/istio-system/horizontalpodautoscalers/istiod"),
                Arguments.of(new CustomResourceDefinitionBuilder().withNewMetadata()
                        .withName("gateways.networking.istio.io").endMetadata().build(),
                        "apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.networking.istio.io"),
                Arguments.of(new ClusterRoleBindingBuilder().withNewMetadata().withName("istio-reader").endMetadata()
                        .build(), "apis/rbac.authorization.k8s.io/v1/clusterrolebindings/istio-reader"),
                Arguments.of(new ValidatingWebhookConfigurationBuilder().withNewMetadata()
                        .withName("istiod-default-validator").endMetadata().build(),
                        "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator"));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aTypedObjectIsAppliedAtItsPath(HasMetadata object, String path) {
        assertThat(DirectApply.knowsPath(object)).isTrue();
        assertThat(DirectApply.path(object)).isEqualTo(path);
    }

    static Stream<HasMetadata> leftToTheClient() {
        return Stream.of(
                new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1").withKind("Gateway")
                        .withNewMetadata().withName("gw").withNamespace("istio-system").endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withName("no-namespace").endMetadata().build(),
                new DeploymentBuilder().withNewMetadata().withNamespace("istio-system").endMetadata().build());
    }

    @ParameterizedTest
    @MethodSource("leftToTheClient")
    void aGenericObjectOrOneWithoutItsNameOrNamespaceIsLeftToTheClient(HasMetadata object) {
        assertThat(DirectApply.knowsPath(object)).isFalse();
    }
}
