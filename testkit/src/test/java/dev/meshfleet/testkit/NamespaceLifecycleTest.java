package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Kubernetes' NamespaceLifecycle admission plugin, once turned on: no object is created in a namespace that does not
 * exist, by POST or by server-side apply, and the refusal is the API's 404 NotFound naming the namespace.
 */
class NamespaceLifecycleTest {
    static MockApiServer enforced;
    static MockApiServer lenient;

    @BeforeAll
    static void start() {
        enforced = MockApiServer.start();
        enforced.enforceNamespaceLifecycle();
        lenient = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        enforced.close();
        lenient.close();
    }

    private static ConfigMap configMap(String namespace, String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    @Test
    void creatingInAMissingNamespaceIsNotFoundNamingTheNamespaceByPostAndByServerSideApply() {
        KubernetesClient c = enforced.client("c1");

        assertThatThrownBy(() -> c.resource(configMap("absent", "a")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getReason()).isEqualTo("NotFound");
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"absent\" not found");
                    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("namespaces");
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("absent");
                });
        assertThatThrownBy(() -> c.resource(configMap("absent", "b")).fieldManager("t").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("absent");
                });
        assertThat(c.configMaps().inNamespace("absent").list().getItems()).isEmpty();
    }

    @Test
    void onceTheNamespaceExistsItsObjectsAreCreatedAndClusterScopedOnesNeverWaitForOne() {
        KubernetesClient c = enforced.client("c2");
        c.resource(new NamespaceBuilder().withNewMetadata().withName("present").endMetadata().build()).create();

        c.resource(configMap("present", "a")).create();
        c.resource(configMap("present", "b")).fieldManager("t").serverSideApply();
        c.resource(new NamespaceBuilder().withNewMetadata().withName("by-apply").endMetadata().build())
                .fieldManager("t").serverSideApply();

        assertThat(c.configMaps().inNamespace("present").list().getItems()).hasSize(2);
        assertThat(c.namespaces().withName("by-apply").get()).isNotNull();
    }

    @Test
    void withoutItTheStoreAcceptsAnObjectInAnyNamespaceAsBefore() {
        lenient.client("c1").resource(configMap("absent", "a")).create();

        assertThat(lenient.client("c1").configMaps().inNamespace("absent").withName("a").get()).isNotNull();
    }
}
