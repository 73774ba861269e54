package dev.meshfleet.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class InstallerLivenessTest {

    private static HealthCheckResponse liveness(Throwable failure, String stuck) {
        InstallerLiveness check = new InstallerLiveness();
        check.service = new InstallerService() {
            @Override
            public Optional<Throwable> consumerFailure() {
                return Optional.ofNullable(failure);
            }

            @Override
            public Optional<String> stuckReconcile() {
                return Optional.ofNullable(stuck);
            }
        };
        return check.call();
    }

    @Test
    void aRunningConsumerWithNoStuckReconcileIsLive() {
        assertThat(liveness(null, null).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aDeadConsumerThreadIsDownWithWhatKilledIt() {
        HealthCheckResponse r = liveness(new OutOfMemoryError("Java heap space"), null);
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("failure",
                "java.lang.OutOfMemoryError: Java heap space"));
    }

    @Test
    void aStuckReconcileIsDownNamingTheCluster() {
        String stuck = "the reconcile of cluster cluster7 has run for 601s, over the 600s after which a reconcile is stuck";
        HealthCheckResponse r = liveness(null, stuck);
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("stuck", stuck));
    }
}
