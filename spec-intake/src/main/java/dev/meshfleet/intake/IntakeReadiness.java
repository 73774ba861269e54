package dev.meshfleet.intake;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the informers are synced and watching (API server reachable) and Kafka answers. */
@Readiness
@ApplicationScoped
public class IntakeReadiness implements HealthCheck {
    private static final long KAFKA_TIMEOUT_MS = 3_000;

    @Inject
    IntakeService service;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        boolean informers = service.ready();
        String kafka = kafkaReachable();
        return HealthCheckResponse.named("spec-intake")
                .status(informers && kafka == null)
                .withData("informers-synced", informers)
                .withData("kafka", kafka == null ? "reachable" : kafka)
                .build();
    }

    /** null when the broker answered, else why not. */
    private String kafkaReachable() {
        try {
            admin().describeCluster().clusterId().get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            if (service.kafka() == null) {
                throw new IllegalStateException("not started yet");
            }
            // The check's own timeouts win over kafka.* ones: readiness must answer within its probe's time.
            admin = Admin.create(service.kafka().forClient("spec-intake health check", Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG, "spec-intake-health",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT_MS,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT_MS)));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
