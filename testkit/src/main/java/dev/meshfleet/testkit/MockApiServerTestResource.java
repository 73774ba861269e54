package dev.meshfleet.testkit;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource that points the service's Kubernetes client at the JVM's shared
 * {@link MockApiServer} (management cluster). Register it once per module with
 * {@code @QuarkusTestResource(value = MockApiServerTestResource.class, restrictToAnnotatedClass = false)};
 * tests reach the same server with {@link #server()} to create CRDs, objects, workload clusters and
 * faults.
 */
public class MockApiServerTestResource implements QuarkusTestResourceLifecycleManager {

    private static MockApiServer shared;

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized MockApiServer server() {
        if (shared == null) {
            shared = MockApiServer.start();
            MockApiServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mock-api-server-stop"));
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server().url(),
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped by its shutdown hook
    }
}
