package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Owner-reference garbage collection and namespace deletion, as
 * https://kubernetes.io/docs/concepts/architecture/garbage-collection/ (background cascading
 * deletion) and https://kubernetes.io/docs/tasks/administer-cluster/namespaces/ describe them.
 */
class GarbageCollectionTest {

    static MockApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
        client = server.client("gc");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ConfigMap create(String ns, String name, HasMetadata owner, String... finalizers) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withFinalizers(finalizers).endMetadata().withData(Map.of("k", "v"));
        if (owner != null) {
            b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
                    .withKind(owner.getKind()).withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid()).build()).endMetadata();
        }
        return client.configMaps().inNamespace(ns).resource(b.build()).create();
    }

    static ConfigMap get(String ns, String name) {
        return client.configMaps().inNamespace(ns).withName(name).get();
    }

    @Test
    void deletingAnOwnerDeletesItsDependentsAndTheirDependentsInTurn() {
        ConfigMap owner = create("default", "owner", null);
        ConfigMap child = create("default", "child", owner);
        create("default", "grandchild", child);
        create("default", "unrelated", null);

        client.configMaps().inNamespace("default").withName("owner").delete();

        assertThat(get("default", "child")).isNull();
        assertThat(get("default", "grandchild")).isNull();
        assertThat(get("default", "unrelated")).isNotNull();
    }

    @Test
    void aDependentWithAFinalizerIsOnlyMarkedForDeletionUntilTheFinalizerIsRemoved() {
        ConfigMap owner = create("default", "owner-f", null);
        create("default", "guarded", owner, "example.com/keep");

        client.configMaps().inNamespace("default").withName("owner-f").delete();

        ConfigMap guarded = get("default", "guarded");
        assertThat(guarded).isNotNull();
        assertThat(guarded.getMetadata().getDeletionTimestamp()).isNotBlank();
        client.configMaps().inNamespace("default").withName("guarded")
                .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
        assertThat(get("default", "guarded")).isNull();
    }

    @Test
    void dependentsAreCollectedOnlyWhenTheOwnerIsReallyGoneNotWhileItsFinalizersHoldIt() {
        ConfigMap owner = create("default", "held-owner", null, "example.com/hold");
        create("default", "held-child", owner);

        client.configMaps().inNamespace("default").withName("held-owner").delete();
        assertThat(get("default", "held-child")).isNotNull();

        client.configMaps().inNamespace("default").withName("held-owner")
                .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
        assertThat(get("default", "held-child")).isNull();
    }

    @Test
    void deletingANamespaceDeletesTheObjectsInItAndNoOthers() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build()).create();
        create("doomed", "inside", null);
        create("default", "outside", null);

        client.namespaces().withName("doomed").delete();

        assertThat(get("doomed", "inside")).isNull();
        assertThat(get("default", "outside")).isNotNull();
        assertThat(client.namespaces().withName("doomed").get()).isNull();
    }
}
