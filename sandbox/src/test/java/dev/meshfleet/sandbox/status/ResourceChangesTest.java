package dev.meshfleet.sandbox.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/** The change signal a settle wait sleeps on: woken by a change of any Meshfleet resource, and only then. */
class ResourceChangesTest {

    static MockApiServer server;
    ResourceChanges changes;

    @BeforeAll
    static void startServer() throws IOException {
        server = MockApiServer.start();
        for (String crd : new String[] {"crds/istiolifecyclemanagers.yaml", "crds/gatewaylifecyclemanagers.yaml"}) {
            try (InputStream in = ResourceChangesTest.class.getClassLoader().getResourceAsStream(crd)) {
                CustomResourceDefinition loaded = server.client().apiextensions().v1().customResourceDefinitions()
                        .load(in).item();
                server.client().apiextensions().v1().customResourceDefinitions().resource(loaded).create();
            }
        }
        server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gloo-mesh")
                .endMetadata().build()).create();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        changes = new ResourceChanges(server.client());
    }

    @AfterEach
    void close() {
        changes.close();
    }

    @Test
    void aWaitWithNothingChangingLastsItsWholeTimeAndSaysNothingChanged() throws Exception {
        long seen = changes.awaitChange(changes.version(), Duration.ZERO); // opens the watches
        long t0 = System.nanoTime();
        long after = changes.awaitChange(seen, Duration.ofMillis(600));
        long waitedMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(after).isEqualTo(seen);
        assertThat(waitedMillis).isGreaterThanOrEqualTo(550);
    }

    @Test
    void aCreatedResourceAndAStatusWriteEachEndAWait() throws Exception {
        long seen = changes.awaitChange(changes.version(), Duration.ZERO);
        new Thread(() -> create(Path.of("../examples/glm-ingress.yaml"))).start();

        long afterCreate = changes.awaitChange(seen, Duration.ofSeconds(20));
        assertThat(afterCreate).as("the creation of a GLM ends the wait").isGreaterThan(seen);

        GenericKubernetesResource glm = server.client().genericKubernetesResources("admin.gloo.solo.io/v2",
                "GatewayLifecycleManager").inNamespace("gloo-mesh").list().getItems().get(0);
        long beforeStatus = changes.version();
        glm.setAdditionalProperty("status", java.util.Map.of("clusters", java.util.Map.of()));
        new Thread(() -> server.client().genericKubernetesResources("admin.gloo.solo.io/v2", "GatewayLifecycleManager")
                .inNamespace("gloo-mesh").resource(glm).updateStatus()).start();

        assertThat(changes.awaitChange(beforeStatus, Duration.ofSeconds(20)))
                .as("a status write ends the wait").isGreaterThan(beforeStatus);
    }

    private void create(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            server.client().load(in).items().forEach(item -> server.client().resource(item).create());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
