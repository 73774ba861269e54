package dev.meshfleet.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the workers run. Kafka or the API server being away is not a reason to restart the
 * process (readiness says so, and the queue retries), but a dead worker pool would never recover.
 */
@Liveness
@ApplicationScoped
public class IntakeLiveness implements HealthCheck {
    @Inject
    IntakeService service;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("spec-intake-workers").status(service.workersAlive()).build();
    }
}
