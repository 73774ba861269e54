package dev.meshfleet.testkit;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource that points a service at the JVM's in-process broker. Register it once per
 * module with {@code @QuarkusTestResource(value = KafkaBrokerTestResource.class,
 * restrictToAnnotatedClass = false)} so that every {@code @QuarkusTest} shares one broker.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", InProcessKafka.shared().bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped by its shutdown hook
    }
}
