package dev.meshfleet.installer;

import java.net.URI;
import io.quarkus.test.common.http.TestHTTPResource;
import dev.meshfleet.testkit.PrometheusScrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.render.Names;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.testkit.PoisonRecords;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ChartRelease;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.UpgradePolicy;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The installer against a real broker and the mock API server: plans in on install-plans, objects
 * in the workload clusters, events out on installation-events.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class InstallerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url")
    String apiServer;

    @Inject
    @Readiness
    InstallerReadiness readiness;

    private KafkaProducer<String, ClusterDesiredState> producer;
    private EventLog events;

    @BeforeEach
    void connect() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(ClusterDesiredState.class));
        events = new EventLog(bootstrap);
    }

    @AfterEach
    void disconnect() {
        producer.close();
        events.close();
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void thePlanConsumersLagAndTheEventProducerAreScrapedAtQMetrics() throws Exception {
        // The install-plans consumer commits no offsets, so no group lag exists: its records-lag (end offset minus
        // position; per partition once a partition returned records, and the maximum over them) is the installer's lag.
        PrometheusScrape.awaitSample(metrics, "kafka_consumer_fetch_manager_records_lag_max",
                l -> l.contains("client_id=\"installer-"), Duration.ofSeconds(60));
        PrometheusScrape.awaitSample(metrics, "kafka_producer_record_send_total", l -> true, Duration.ofSeconds(60));
    }

    @Test
    void aDesiredControlPlaneIsInstalledReportedHealthyThenPrunedWhenNoLongerDesired() throws Exception {
        send("cluster1", List.of(controlPlane("mesh-a", "1-24")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster1", "mesh-a", "1-24"))
                .startsWith("INSTALLING_CONTROLLER", "INSTALLING_CONTROL_PLANE", "HEALTHY"));
        try (KubernetesClient cluster1 = workload("cluster1")) {
            Deployment istiod = cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get();
            assertThat(istiod).isNotNull();
            assertThat(istiod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshfleet")
                    .containsEntry("meshfleet.dev/owner", "ilm.gloo-mesh.mesh-a")
                    .containsEntry("meshfleet.dev/revision", "1-24");
            List<ConfigMap> inventories = cluster1.configMaps().inNamespace("meshfleet-system")
                    .withLabel(Names.OWNER_LABEL, "ilm.gloo-mesh.mesh-a").list().getItems();
            assertThat(inventories).hasSize(1);
            assertThat(inventories.get(0).getData()).containsEntry("planHash", "hash-mesh-a-1-24")
                    .containsEntry("owner", "IstioLifecycleManager/gloo-mesh/mesh-a");
            assertThat(inventories.get(0).getData().get("objects")).contains("istiod-1-24");
            InstallationEvent healthy = events.of("cluster1", "mesh-a").stream()
                    .filter(e -> e.getState().equals("HEALTHY")).findFirst().orElseThrow();
            assertThat(healthy.getSource()).isEqualTo("installer/it");
            assertThat(healthy.getObservedOperatorJson()).isEqualTo("{\"revision\":\"1-24\",\"global\":{\"tag\":\"1.24.2\"}}");
            assertThat(healthy.getPlanHash()).isEqualTo("hash-mesh-a-1-24");
            assertThat(healthy.getGeneration()).isEqualTo(3);
            assertThat(healthy.getSourceEpoch()).isPositive();

            send("cluster1", List.of());

            await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster1", "mesh-a", "1-24"))
                    .containsSubsequence("HEALTHY", "UNINSTALLING_CONTROL_PLANE", "UNINSTALLED_CONTROL_PLANE"));
            assertThat(cluster1.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get())
                    .isNull();
            assertThat(cluster1.configMaps().inNamespace("meshfleet-system")
                    .withLabel(Names.OWNER_LABEL, "ilm.gloo-mesh.mesh-a").list().getItems()).isEmpty();
        }
    }

    @Test
    void anUnreachableClusterIsReportedUnknownWhileAnotherClusterGoesHealthy() {
        send("cluster2", List.of(controlPlane("mesh-b", "1-24")));
        send("cluster4", List.of(controlPlane("mesh-b", "1-24")));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events.states("cluster2", "mesh-b", "1-24")).contains("UNKNOWN");
            assertThat(events.states("cluster4", "mesh-b", "1-24")).contains("HEALTHY");
        });
        assertThat(events.states("cluster2", "mesh-b", "1-24")).containsOnly("UNKNOWN");
        assertThat(events.of("cluster2", "mesh-b").get(0).getMessage()).contains("cluster 'cluster2' is unreachable");
    }

    @Test
    void anUnregisteredClusterIsPendingUntilItsSecretAppears() {
        send("cluster3", List.of(controlPlane("mesh-c", "")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster3", "mesh-c", ""))
                .containsExactly("PENDING"));
        assertThat(events.of("cluster3", "mesh-c").get(0).getMessage()).contains("not registered",
                "meshfleet.dev/cluster=cluster3", "kubeconfig");

        try (KubernetesClient management = client(apiServer)) {
            // What an operator does to register a workload cluster: a labelled Secret holding its kubeconfig.
            management.resource(new SecretBuilder().withNewMetadata().withName("cluster-cluster3")
                    .withNamespace("meshfleet").addToLabels(Crds.CLUSTER_LABEL, "cluster3").endMetadata()
                    .addToData(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                            kubeconfig("cluster3").getBytes(StandardCharsets.UTF_8)))
                    .build()).create();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster3", "mesh-c", ""))
                .containsSubsequence("PENDING", "INSTALLING_CONTROLLER", "HEALTHY"));
    }

    @Test
    void poisonDesiredStatesGoToTheDeadLetterTopicWithTheirSourceAndTheConsumerGoesOnAndReEmitsOnResync()
            throws InterruptedException {
        // Garbage bytes and a well-formed record with an unknown schema fingerprint.
        List<PoisonRecords.Written> poison = PoisonRecords.write(bootstrap, Topics.INSTALL_PLANS, 2);
        send("cluster4", List.of(controlPlane("mesh-d", "1-25")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster4", "mesh-d", "1-25"))
                .contains("HEALTHY"));
        // Each drift repair (every resync, 3s here) re-emits the current state of every owned installation.
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.of("cluster4", "mesh-d").stream()
                .filter(e -> e.getState().equals("HEALTHY")).map(InstallationEvent::getSequence).distinct())
                .hasSizeGreaterThanOrEqualTo(2));
        List<DeadLetter> dead = PoisonRecords.awaitDeadLetters(bootstrap, poison, Duration.ofSeconds(60));
        assertThat(dead).as("a dead letter for every poison record").doesNotContainNull();
        assertThat(dead).extracting(DeadLetter::sourceTopic, DeadLetter::service, DeadLetter::errorClass)
                .containsOnly(tuple(Topics.INSTALL_PLANS, "installer-service",
                        SerializationException.class.getName()));
        assertThat(dead).extracting(DeadLetter::error).allMatch(e -> e.startsWith("cannot decode ClusterDesiredState from"));
        assertThat(dead).extracting(DeadLetter::value).containsExactly(PoisonRecords.value(0), PoisonRecords.value(1));
    }

    @Test
    void anApplyTheClusterRejectsFailsTheBaseLayerNamingTheObjectAndTheApiMessage() {
        send("cluster5", List.of(controlPlane("mesh-e", "1-24")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster5", "mesh-e", "1-24"))
                .containsExactly("INSTALLING_CONTROLLER", "CONTROLLER_INSTALL_FAILED"));
        InstallationEvent failed = events.of("cluster5", "mesh-e").stream()
                .filter(e -> e.getState().equals("CONTROLLER_INSTALL_FAILED")).findFirst().orElseThrow();
        assertThat(failed.getMessage()).contains("HTTP 422", "rejects every apply", "retried at the next resync")
                .containsPattern("applying \\w+ \\S+ was refused");
    }

    @Test
    void workloadsNotReadyWithinThePlanTimeoutFailTheControlPlaneNamingWhatIsNotReady() {
        send("cluster6", List.of(controlPlane("mesh-f", "1-24", 1_500)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster6", "mesh-f", "1-24"))
                .containsExactly("INSTALLING_CONTROLLER", "INSTALLING_CONTROL_PLANE", "CONTROL_PLANE_INSTALL_FAILED"));
        InstallationEvent failed = events.of("cluster6", "mesh-f").stream()
                .filter(e -> e.getState().equals("CONTROL_PLANE_INSTALL_FAILED")).findFirst().orElseThrow();
        assertThat(failed.getMessage()).contains("not ready within 1s", "Deployment istio-system/istiod-1-24");
    }

    @Test
    void anIstioMeshfleetDidNotInstallIsNeverTouchedAndNeedsAPerson() {
        send("cluster7", List.of(controlPlane("mesh-g", "")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster7", "mesh-g", ""))
                .containsExactly("ACTION_REQUIRED"));
        assertThat(events.of("cluster7", "mesh-g").get(0).getMessage()).contains("Deployment istio-system/istiod",
                "does not manage");
        try (KubernetesClient cluster7 = workload("cluster7")) {
            assertThat(cluster7.apps().deployments().inNamespace("istio-system").withName("istiod").get()
                    .getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
        }
    }

    @Test
    void aGatewayWaitsForItsControlPlaneAndIsInstalledOnceOneIsThere() {
        send("cluster8", List.of(gateway("gw-h", "1-24")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster8", "gw-h", "1-24"))
                .containsExactly("NO_CONTROL_PLANE_AVAILABLE"));

        send("cluster8", List.of(controlPlane("mesh-h", "1-24"), gateway("gw-h", "1-24")));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events.states("cluster8", "mesh-h", "1-24")).endsWith("HEALTHY");
            assertThat(events.states("cluster8", "gw-h", "1-24")).containsSubsequence("NO_CONTROL_PLANE_AVAILABLE",
                    "INSTALLING_GATEWAY", "HEALTHY");
        });
        try (KubernetesClient cluster8 = workload("cluster8")) {
            assertThat(cluster8.apps().deployments().inNamespace("istio-ingress").withName("istio-ingressgateway-1-24")
                    .get().getMetadata().getLabels()).containsEntry("meshfleet.dev/owner", "glm.gloo-mesh.gw-h");
        }
    }

    @Test
    void aPatchUpgradeIsAppliedInPlaceAMinorOneIsRefusedLeavingTheRunningVersionAndProceedsWithSkipUpgradeValidation() {
        send("cluster9", List.of(controlPlane("mesh-u", "stable", "1.24.2", 60_000, "h1")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster9", "mesh-u", "stable"))
                .endsWith("HEALTHY"));

        send("cluster9", List.of(controlPlane("mesh-u", "stable", "1.24.3", 60_000, "h2")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster9", "mesh-u", "stable"))
                .containsSubsequence("HEALTHY", "UPDATING_CONTROL_PLANE", "HEALTHY"));
        try (KubernetesClient cluster9 = workload("cluster9")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(image(cluster9, "istiod-stable"))
                    .endsWith("pilot:1.24.3"));

            send("cluster9", List.of(controlPlane("mesh-u", "stable", "1.25.0", 60_000, "h3")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster9", "mesh-u", "stable"))
                    .endsWith("ACTION_REQUIRED"));
            InstallationEvent refused = events.of("cluster9", "mesh-u").stream()
                    .filter(e -> e.getState().equals("ACTION_REQUIRED")).findFirst().orElseThrow();
            assertThat(refused.getMessage()).contains("minor", "1.24.3", "1.25.0", "as a new revision",
                    "skipUpgradeValidation: true");
            assertThat(refused.getObservedOperatorJson()).contains("1.24.3");
            assertThat(image(cluster9, "istiod-stable")).endsWith("pilot:1.24.3");

            InstallationPlan skip = controlPlane("mesh-u", "stable", "1.25.0", 60_000, "h4");
            skip.getUpgradePolicy().setSkipUpgradeValidation(true);
            send("cluster9", List.of(skip));
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster9", "mesh-u", "stable"))
                    .containsSubsequence("ACTION_REQUIRED", "UPDATING_CONTROL_PLANE", "HEALTHY"));
            assertThat(image(cluster9, "istiod-stable")).endsWith("pilot:1.25.0");
        }
    }

    @Test
    void removingOneOfTwoControlPlanesKeepsTheSharedBaseLayerAndTheOtherRevision() {
        send("cluster10", List.of(controlPlane("mesh-x", "1-24"), controlPlane("mesh-y", "1-25")));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(events.states("cluster10", "mesh-x", "1-24")).endsWith("HEALTHY");
            assertThat(events.states("cluster10", "mesh-y", "1-25")).endsWith("HEALTHY");
        });

        send("cluster10", List.of(controlPlane("mesh-y", "1-25")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.states("cluster10", "mesh-x", "1-24"))
                .endsWith("UNINSTALLED_CONTROL_PLANE"));
        try (KubernetesClient cluster10 = workload("cluster10")) {
            assertThat(cluster10.apps().deployments().inNamespace("istio-system").withName("istiod-1-24").get())
                    .isNull();
            assertThat(cluster10.apps().deployments().inNamespace("istio-system").withName("istiod-1-25").get())
                    .isNotNull();
            // Named: every workload cluster also serves the Gateway API's CRD (testkit GatewayApi), which no one prunes.
            assertThat(cluster10.apiextensions().v1().customResourceDefinitions().list().getItems())
                    .extracting(crd -> crd.getMetadata().getName())
                    .as("the base layer's CRDs, still listed by mesh-y's inventory")
                    .contains("virtualservices.networking.istio.io");
        }
        assertThat(events.states("cluster10", "mesh-y", "1-25")).doesNotContain("UNINSTALLING_CONTROL_PLANE");
    }

    @Test
    void readinessIsUpOnceTheConsumerIsInItsGroupAndTheManagementApiAnswers() {
        await().atMost(WAIT).untilAsserted(() -> {
            HealthCheckResponse response = readiness.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(response.getData()).get().satisfies(d -> assertThat(d).containsEntry("kafka-consumer", true)
                    .containsEntry("management-api", true));
        });
    }

    private static String image(KubernetesClient cluster, String deployment) {
        return cluster.apps().deployments().inNamespace("istio-system").withName(deployment).get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static InstallationPlan gateway(String owner, String revision) {
        // As the translator names a revision's Deployment (the upstream gateway chart names it after `name`).
        String values = "{\"name\":\"istio-ingressgateway-" + revision + "\",\"revision\":\"" + revision
                + "\",\"service\":{\"type\":\"None\"}}";
        return InstallationPlan.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(ResourceKind.GatewayLifecycleManager).setNamespace("gloo-mesh")
                        .setName(owner).setUid("uid-" + owner).build())
                .setGeneration(1).setRevision(revision).setTag("1.24.2").setControlPlaneRevision(revision)
                .setCharts(List.of(ChartRelease.newBuilder().setChart("gateway")
                        .setReleaseName("istio-ingressgateway-" + revision).setNamespace("istio-ingress")
                        .setValuesJson(values).build()))
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(false)
                        .setWaitForResourcesTimeoutMillis(60_000).build())
                .setObservedOperatorJson(values).setPlanHash("hash-" + owner).build();
    }

    private void send(String cluster, List<InstallationPlan> plans) {
        try {
            producer.send(new ProducerRecord<>(Topics.INSTALL_PLANS, cluster, ClusterDesiredState.newBuilder()
                    .setCluster(cluster).setInstallations(plans).setPlanHash("cluster-" + plans.size()).build())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static InstallationPlan controlPlane(String owner, String revision) {
        return controlPlane(owner, revision, 60_000);
    }

    private static InstallationPlan controlPlane(String owner, String revision, long waitMillis) {
        return controlPlane(owner, revision, "1.24.2", waitMillis, null);
    }

    private static InstallationPlan controlPlane(String owner, String revision, String tag, long waitMillis,
            String hash) {
        String values = (revision.isEmpty() ? "{" : "{\"revision\":\"" + revision + "\",")
                + "\"global\":{\"tag\":\"" + tag + "\"}}";
        String suffix = revision.isEmpty() ? "" : "-" + revision;
        return InstallationPlan.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager).setNamespace("gloo-mesh")
                        .setName(owner).setUid("uid-" + owner).build())
                .setGeneration(3).setRevision(revision).setTag(tag)
                .setCharts(List.of(
                        ChartRelease.newBuilder().setChart("base").setReleaseName("base").setNamespace("istio-system")
                                .setValuesJson("{}").build(),
                        ChartRelease.newBuilder().setChart("istiod").setReleaseName("istiod" + suffix)
                                .setNamespace("istio-system").setValuesJson(values).build()))
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(false)
                        .setWaitForResourcesTimeoutMillis(waitMillis).build())
                .setObservedOperatorJson(values).setPlanHash(hash != null ? hash : "hash-" + owner + suffix).build();
    }

    private KubernetesClient workload(String cluster) {
        return client(apiServer + "/clusters/" + cluster);
    }

    private String kubeconfig(String cluster) {
        return MockApiServer.kubeconfig(cluster, apiServer + "/clusters/" + cluster);
    }

    private static KubernetesClient client(String url) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url)
                .withRequestRetryBackoffLimit(0).build()).build();
    }
}
