package dev.meshfleet.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the workers, the informers and the producer run. Kafka or the API server being away is not a reason
 * to restart the process (readiness says so, the informers relist and the queue retries), but a dead worker pool, a
 * stopped informer or a producer whose I/O thread ended would never recover ({@link IntakeService#deadParts}).
 */
@Liveness
@ApplicationScoped
public class IntakeLiveness implements HealthCheck {
    @Inject
    IntakeService service;

    @Override
    public HealthCheckResponse call() {
        var dead = service.deadParts();
        var response = HealthCheckResponse.named("spec-intake-workers").status(dead.isEmpty());
        if (!dead.isEmpty()) {
            response.withData("dead", String.join("; ", dead));
        }
        return response.build();
    }
}
