package dev.meshfleet.installer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.fabric8.kubernetes.client.KubernetesClient;

/** UP when the install-plans consumer is in its group and polling and the management API answers. */
@Readiness
@ApplicationScoped
public class InstallerReadiness implements HealthCheck {
    @Inject
    InstallerService service;

    @Inject
    KubernetesClient management;

    @Override
    public HealthCheckResponse call() {
        boolean kafka = service.consumerHealthy();
        boolean api;
        try {
            management.getKubernetesVersion();
            api = service.registrySynced();
        } catch (RuntimeException e) {
            api = false;
        }
        var response = HealthCheckResponse.named("installer").status(kafka && api).withData("kafka-consumer", kafka)
                .withData("management-api", api);
        // Not part of the verdict: where the replica stands, for whoever reads why nothing moves.
        service.progress().forEach(response::withData);
        return response.build();
    }
}
