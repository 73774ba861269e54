package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The gateway-switch check the installer IT and the sandbox E2E share, on objects applied as the installer applies them. */
class ServiceSelectionLogTest {

    MockApiServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = MockApiServer.start();
        client = server.client("gw");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void deployment(String name) {
        client.apps().deployments().inNamespace("gw").resource(new DeploymentBuilder().withNewMetadata().withName(name)
                .withNamespace("gw").endMetadata().withNewSpec().withReplicas(1).endSpec().build()).fieldManager("test").serverSideApply();
    }

    void service(String revision) {
        client.services().inNamespace("gw").resource(new ServiceBuilder().withNewMetadata().withName("ingress")
                .withNamespace("gw").endMetadata().withNewSpec().withSelector(Map.of(ServiceSelectionLog.GATEWAY_REVISION_LABEL, revision))
                .endSpec().build()).fieldManager("test").serverSideApply();
    }

    @Test
    void aServiceMovedToARevisionWhoseDeploymentExistsBreaksNoRule() {
        deployment("ingress-1-24");
        try (ServiceSelectionLog log = ServiceSelectionLog.start(server.store("gw"), "gw", Set.of("ingress-1-24"))) {
            service("1-24");
            int mark = log.size();
            deployment("ingress-1-25");
            service("1-25");

            assertThat(log.serviceWrittenBefore(mark)).isTrue();
            assertThat(log.serviceChangedSince(mark)).isTrue();
            assertThat(log.violations(0)).isEmpty();
        }
    }

    @Test
    void aDeletedServiceAndOneSelectingARevisionWithoutDeploymentAreEachReported() {
        try (ServiceSelectionLog log = ServiceSelectionLog.start(server.store("gw"), "gw", Set.of())) {
            service("1-25");
            client.services().inNamespace("gw").withName("ingress").delete();

            assertThat(log.violations(0)).hasSize(2).satisfiesExactly(
                    p -> assertThat(p).contains("selects revision '1-25'", "ingress-1-25 does not exist"),
                    p -> assertThat(p).contains("Service ingress was deleted"));
        }
    }
}
