package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.testkit.ServiceSelectionLog;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Drift repair and a gap-free gateway switch on cluster1, through the whole pipeline. The installer
 * resyncs every 5s in the sandbox; RECONCILING is read from the installation-events topic (the CR's
 * status may pass through it between two status writes). The cases build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftAndGatewaySwitchE2E {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GATEWAYS = "gloo-mesh-gateways";

    static Fleet fleet;
    static KafkaConsumer<String, InstallationEvent> consumer;
    static final List<InstallationEvent> events = new ArrayList<>();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1"), Map.of());
        consumer = fleet.eventsConsumer();
    }

    @AfterAll
    static void stopFleet() {
        if (consumer != null) {
            consumer.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void aDeletedIstiodDeploymentInCluster1IsRecreatedAndTheInstallationGoesReconcilingThenHealthy() throws Exception {
        String ilm = Files.readString(fleet.example("ilm-minimal.yaml")).replace("""
                        - defaultRevision: true
                          name: cluster2
                """, "");
        fleet.applyAndSettle(fleet.manifest("ilm-cluster1.yaml", ilm));
        assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "1-24").state())
                .isEqualTo("HEALTHY");
        KubernetesClient cluster1 = cluster1();
        Instant deleted = Instant.now();
        cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").delete();

        InstallationEvent reconciling = awaitEvent("IstioLifecycleManager", "RECONCILING_CONTROL_PLANE", deleted);
        assertThat(reconciling.getMessage()).isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was deleted");
        // The status on the resource may still show the HEALTHY of before the delete (writes are coalesced), so the
        // repair's end is read from the events topic first: RECONCILING, then HEALTHY again.
        await().atMost(WAIT).untilAsserted(() -> assertThat(statesSince("IstioLifecycleManager", deleted))
                .containsSubsequence("RECONCILING_CONTROL_PLANE", "HEALTHY"));
        assertThat(statesSince("IstioLifecycleManager", deleted)).as("a repair is not an install")
                .doesNotContain("INSTALLING_CONTROL_PLANE", "INSTALLING_CONTROLLER");
        assertThat(cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get()).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "1-24").state()).isEqualTo("HEALTHY"));
    }

    @Test
    @Order(2)
    void anIstiodImageChangedByAnotherFieldManagerIsPutBack() {
        KubernetesClient cluster1 = cluster1();
        String image = image(cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get());
        Instant edited = Instant.now();
        cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example/pilot:hacked");
            return d;
        });

        InstallationEvent reconciling = awaitEvent("IstioLifecycleManager", "RECONCILING_CONTROL_PLANE", edited);
        assertThat(reconciling.getMessage()).isEqualTo("repairing drift: Deployment istio-system/istiod-1-24 was changed");
        await().atMost(WAIT).untilAsserted(() -> assertThat(statesSince("IstioLifecycleManager", edited))
                .containsSubsequence("RECONCILING_CONTROL_PLANE", "HEALTHY"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(image(cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get()))
                    .isEqualTo(image);
            assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "1-24").state())
                    .isEqualTo("HEALTHY");
        });
    }

    @Test
    @Order(3)
    void aGatewayWithRevision124ActiveAnd125BesideItKeepsTheServiceOn124AndBothDeployments() throws Exception {
        fleet.applyAndSettle(fleet.manifest("glm-canary.yaml", glm(true)));

        var status = fleet.glmStatus("istio-ingressgateway");
        assertThat(Fleet.installation(status, "cluster1", "1-24").state()).isEqualTo("HEALTHY");
        assertThat(Fleet.installation(status, "cluster1", "1-25").state()).isEqualTo("HEALTHY");
        KubernetesClient cluster1 = cluster1();
        assertThat(service(cluster1).getSpec().getSelector()).containsEntry(ServiceSelectionLog.GATEWAY_REVISION_LABEL, "1-24");
        assertThat(gatewayDeployment(cluster1, "1-24")).isNotNull();
        assertThat(gatewayDeployment(cluster1, "1-25")).isNotNull();
    }

    @Test
    @Order(4)
    void movingActiveGatewayTo125MovesTheServiceSelectorWithTheServiceNeverAbsentAndKeepsThe124Deployment()
            throws Exception {
        KubernetesClient cluster1 = cluster1();
        // What exists when the recording starts; every later change is replayed on top of it.
        Set<String> deployments = new HashSet<>();
        cluster1.apps().deployments().inNamespace(GATEWAYS).list().getItems()
                .forEach(d -> deployments.add(d.getMetadata().getName()));
        try (ServiceSelectionLog log = ServiceSelectionLog.start(fleet.sandbox.api().store("cluster1"), GATEWAYS,
                deployments)) {
            fleet.applyAndSettle(fleet.manifest("glm-canary-switched.yaml", glm(false)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(service(cluster1).getSpec().getSelector())
                    .containsEntry(ServiceSelectionLog.GATEWAY_REVISION_LABEL, "1-25"));
            log.close();

            assertThat(gatewayDeployment(cluster1, "1-24")).as("an inactive revision keeps its Deployment").isNotNull();
            var status = fleet.glmStatus("istio-ingressgateway");
            assertThat(Fleet.installation(status, "cluster1", "1-24").state()).isEqualTo("HEALTHY");
            assertThat(Fleet.installation(status, "cluster1", "1-25").state()).isEqualTo("HEALTHY");
            assertThat(log.serviceChangedSince(0)).as("the switch changed the Service").isTrue();
            assertThat(log.violations(0)).as("the gateway Service is never absent and always selects a revision"
                    + " whose Deployment exists").isEmpty();
        }
    }

    /** The seed's ingress GLM on cluster1 with a canary revision 1-25 beside 1-24, one of them active. */
    private static String glm(boolean active124) {
        return """
                apiVersion: admin.gloo.solo.io/v2
                kind: GatewayLifecycleManager
                metadata:
                  name: istio-ingressgateway
                  namespace: gloo-mesh
                spec:
                  installations:
                %s%s""".formatted(installation("1-24", "", active124), installation("1-25",
                "      controlPlaneRevision: 1-24\n", !active124));
    }

    /** One installation of examples/glm-ingress.yaml, on cluster1 only. */
    private static String installation(String revision, String extra, boolean active) {
        return """
                    - gatewayRevision: %s
                %s      clusters:
                        - name: cluster1
                          activeGateway: %s
                      istioOperatorSpec:
                        profile: empty
                        hub: registry.example/istio
                        tag: 1.24.2-solo
                        components:
                          ingressGateways:
                            - name: istio-ingressgateway
                              namespace: gloo-mesh-gateways
                              enabled: true
                              label:
                                istio: ingressgateway
                                app: istio-ingressgateway
                              k8s:
                                service:
                                  type: LoadBalancer
                                  selector:
                                    istio: ingressgateway
                                  ports:
                                    - name: http2
                                      port: 80
                                      targetPort: 8080
                """.formatted(revision, extra, active);
    }

    private static KubernetesClient cluster1() {
        return fleet.sandbox.api().client("cluster1");
    }

    private static Service service(KubernetesClient cluster) {
        Service s = cluster.services().inNamespace(GATEWAYS).withName("istio-ingressgateway").get();
        assertThat(s).as("Service " + GATEWAYS + "/istio-ingressgateway").isNotNull();
        return s;
    }

    private static Deployment gatewayDeployment(KubernetesClient cluster, String revision) {
        return cluster.apps().deployments().inNamespace(GATEWAYS).withName("istio-ingressgateway-" + revision).get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static synchronized List<InstallationEvent> poll() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INSTALLATION_EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
        return List.copyOf(events);
    }

    private static List<InstallationEvent> cluster1Events(String kind, Instant since) {
        return poll().stream().filter(e -> e.getCluster().equals("cluster1")
                && e.getOwner().getKind().name().equals(kind) && !e.getTime().isBefore(since)).toList();
    }

    private static List<String> statesSince(String kind, Instant since) {
        return cluster1Events(kind, since).stream().map(InstallationEvent::getState).toList();
    }

    private static InstallationEvent awaitEvent(String kind, String state, Instant since) {
        return await().atMost(WAIT).until(() -> cluster1Events(kind, since).stream()
                .filter(e -> e.getState().equals(state)).findFirst().orElse(null), e -> e != null);
    }
}
