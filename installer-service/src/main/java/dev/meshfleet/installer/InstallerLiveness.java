package dev.meshfleet.installer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the install-plans consumer thread has died (an OutOfMemoryError, a bug), or a reconcile
 * has hung far past any reconcile's length (a stuck worker): the process would otherwise stay up
 * with clusters it owns and never reconciles. A restart re-reads its partitions and carries on.
 */
@Liveness
@ApplicationScoped
public class InstallerLiveness implements HealthCheck {
    @Inject
    InstallerService service;

    @Override
    public HealthCheckResponse call() {
        var failure = service.consumerFailure();
        var stuck = service.stuckReconcile();
        var response = HealthCheckResponse.named("installer-consumer").status(failure.isEmpty() && stuck.isEmpty());
        failure.ifPresent(e -> response.withData("failure", e.getClass().getName() + ": " + e.getMessage()));
        stuck.ifPresent(s -> response.withData("stuck", s));
        return response.build();
    }
}
