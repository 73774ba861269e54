package dev.meshfleet.installer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the install-plans consumer thread has died (an OutOfMemoryError, a bug): the process
 * would otherwise stay up reading nothing, its clusters unreconciled. A restart re-reads its
 * partitions and carries on.
 */
@Liveness
@ApplicationScoped
public class InstallerLiveness implements HealthCheck {
    @Inject
    InstallerService service;

    @Override
    public HealthCheckResponse call() {
        var failure = service.consumerFailure();
        var response = HealthCheckResponse.named("installer-consumer").status(failure.isEmpty());
        failure.ifPresent(e -> response.withData("failure", e.getClass().getName() + ": " + e.getMessage()));
        return response.build();
    }
}
