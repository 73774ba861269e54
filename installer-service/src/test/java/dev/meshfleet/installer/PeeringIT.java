package dev.meshfleet.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ChartRelease;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.UpgradePolicy;
import dev.meshfleet.testkit.Fault;
import dev.meshfleet.testkit.GatewayApi;
import dev.meshfleet.testkit.KafkaBrokerTestResource;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.RbacAuthorizer;
import dev.meshfleet.testkit.UserInfo;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A peered ServiceMeshController's peering installation (ADR 0046), as the translator will plan it (built here by
 * hand: revision {@code peering}, one release of chart {@code peering-gateways}), through the whole installer: plans in
 * on install-plans from a real broker, Gateways applied to workload clusters of a MockApiServer whose
 * WorkloadSimulator plays Istio's peering, events out on installation-events with their facts.
 *
 * <p>The clusters enforce deploy/workload-cluster/installer-role.yaml for the installer, who is registered with its
 * ServiceAccount's token: the Gateways' watch and reads are what that role allows. (The installer here re-emits every
 * state at its 3 s drift repair too; that a new address or a link alone is emitted at once, from the Gateways' watch,
 * is {@code reconcile.WorkloadWatchIT}'s, without periodic resyncs.)
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = false)
class PeeringIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String INSTALLER_TOKEN = "peering-it-installer";
    private static final ResourceDefinitionContext GATEWAYS = new ResourceDefinitionContext.Builder()
            .withGroup(GatewayApi.GROUP).withVersion("v1").withKind("Gateway").withPlural("gateways")
            .withNamespaced(true).build();

    private static MockApiServer peered;
    private static WorkloadSimulator simulator;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url")
    String apiServer;

    private KafkaProducer<String, ClusterDesiredState> producer;
    private EventLog events;

    @BeforeAll
    static void startPeeredClusters() throws Exception {
        peered = MockApiServer.start();
        simulator = WorkloadSimulator.start(peered, Map.of("peer-a", List.of(), "peer-b", List.of(),
                "peer-c", List.of(new Fault.NeverReady())), Duration.ofMillis(100));
        // The role users apply to each workload cluster, for the installer's ServiceAccount there.
        List<HasMetadata> role;
        try (KubernetesClient parser = new KubernetesClientBuilder().build()) {
            role = parser.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("..", "deploy", "workload-cluster", "installer-role.yaml")));
        }
        peered.enforceWorkloadRbac(new RbacAuthorizer(role), Map.of(INSTALLER_TOKEN,
                UserInfo.serviceAccount("meshfleet-system", "meshfleet-installer")));
    }

    @AfterAll
    static void stopPeeredClusters() {
        if (simulator != null) {
            simulator.close();
        }
        if (peered != null) {
            peered.close();
        }
    }

    @BeforeEach
    void connect() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(ClusterDesiredState.class));
        events = new EventLog(bootstrap);
        try (KubernetesClient management = client(apiServer)) {
            for (String cluster : List.of("peer-a", "peer-b", "peer-c")) {
                if (management.secrets().inNamespace(FleetTestResource.SECRET_NAMESPACE).withName("cluster-" + cluster)
                        .get() == null) {
                    register(management, cluster);
                }
            }
        }
    }

    @AfterEach
    void disconnect() {
        producer.close();
        events.close();
    }

    @Test
    void theEastWestAddressAPeersLinkAndAMovedAddressEachComeOutAsFactsOfTheInstallationsEvents() {
        send("peer-a", peering("mesh-a", "peer-a", "[]", "a1"));
        send("peer-b", peering("mesh-b", "peer-b", "[]", "b1"));

        // HEALTHY once the east-west Gateway is Programmed, with its address as the cluster holds it.
        InstallationEvent bHealthy = awaitEvent("peer-b", "mesh-b",
                e -> e.getState().equals("HEALTHY") && e.getFacts().containsKey("eastwest.address"));
        String bAddress = liveAddress("peer-b");
        assertThat(bHealthy.getFacts()).isEqualTo(Map.of("eastwest.address", bAddress,
                "eastwest.addressType", "IPAddress", "peers.up", "", "peers.down", ""));
        assertThat(bAddress).startsWith("192.0.2.");
        InstallationEvent aHealthy = awaitEvent("peer-a", "mesh-a", e -> e.getState().equals("HEALTHY"));
        assertThat(aHealthy.getFacts().get("eastwest.address")).isEqualTo(liveAddress("peer-a"));
        assertThat(events.states("peer-a", "mesh-a", "peering")).as("the Gateways applied, then programmed")
                .containsSubsequence("INSTALLING_CONTROL_PLANE", "HEALTHY")
                .doesNotContain("ACTION_REQUIRED", "CONTROL_PLANE_INSTALL_FAILED");

        // The translator's next plan for peer-a: peer-b at the address its installer reported, and a peer that has no
        // east-west Gateway anywhere.
        send("peer-a", peering("mesh-a", "peer-a", "[{\"cluster\":\"peer-b\",\"address\":\"" + bAddress
                + "\",\"addressType\":\"IPAddress\"},{\"cluster\":\"peer-z\",\"address\":\"192.0.2.250\"}]", "a2"));
        // The simulator judges each remote Gateway on its own: peer-z's link may still be Pending in the event that
        // first has peer-b up, so wait for the event in which both links have been judged.
        InstallationEvent linked = awaitEvent("peer-a", "mesh-a", e -> e.getPlanHash().equals("a2")
                && e.getFacts().getOrDefault("peers.up", "").equals("peer-b")
                && !e.getFacts().getOrDefault("peers.down", "").contains("Pending"));
        assertThat(linked.getState()).isEqualTo("HEALTHY");
        assertThat(linked.getFacts()).containsEntry("peers.down", "peer-z=PeerNotFound");

        // The load balancer moves peer-b's address: a new event of peer-b, still HEALTHY, with the new address; and
        // peer-a, whose plan still names the old one, sees its link go down.
        simulator.setFaults("peer-b", List.of(new Fault.EastWestAddressChange()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(liveAddress("peer-b")).isNotEqualTo(bAddress));
        String moved = liveAddress("peer-b");
        InstallationEvent bMoved = awaitEvent("peer-b", "mesh-b",
                e -> moved.equals(e.getFacts().get("eastwest.address")));
        assertThat(bMoved.getState()).isEqualTo("HEALTHY");
        assertThat(bMoved.getSequence()).isGreaterThan(bHealthy.getSequence());
        InstallationEvent aDown = awaitEvent("peer-a", "mesh-a",
                e -> e.getFacts().getOrDefault("peers.down", "").contains("peer-b=AddressMismatch"));
        assertThat(aDown.getState()).isEqualTo("HEALTHY");
        assertThat(aDown.getFacts()).containsEntry("peers.up", "")
                .containsEntry("peers.down", "peer-b=AddressMismatch,peer-z=PeerNotFound");

        // No event of either carries anything but the four facts, and none a credential.
        assertThat(events.poll()).filteredOn(e -> e.getCluster().startsWith("peer-"))
                .allSatisfy(e -> assertThat(e.getFacts().keySet()).isSubsetOf("eastwest.address",
                        "eastwest.addressType", "peers.up", "peers.down"));
    }

    @Test
    void anEastWestGatewayNeverProgrammedKeepsTheInstallationInstallingNamingTheGatewayAndWhatItWaitsFor() {
        send("peer-c", peering("mesh-c", "peer-c", "[]", "c1"));

        // Right after the apply the simulator may not have judged the Gateway yet ("no Programmed condition yet"):
        // the message to check is the one once it has.
        InstallationEvent waiting = awaitEvent("peer-c", "mesh-c", e -> e.getState().equals("INSTALLING_CONTROL_PLANE")
                && e.getMessage().startsWith("waiting for") && e.getMessage().contains("Programmed is"));
        assertThat(waiting.getMessage()).isEqualTo("waiting for Gateway istio-eastwest/istio-eastwest to be Programmed"
                + " with an address in status.addresses: Programmed is False (Pending: the east-west gateway's pods"
                + " are not ready)");
        assertThat(waiting.getFacts()).as("no address to plan peers against yet")
                .isEqualTo(Map.of("peers.up", "", "peers.down", ""));

        simulator.setFaults("peer-c", List.of());
        InstallationEvent healthy = awaitEvent("peer-c", "mesh-c", e -> e.getState().equals("HEALTHY"));
        assertThat(healthy.getFacts()).containsEntry("eastwest.address", liveAddress("peer-c"));
        assertThat(peered.workloadRbacDenials()).as("the installer-role allows what the installer did").isEmpty();
    }

    private InstallationEvent awaitEvent(String cluster, String owner,
            java.util.function.Predicate<InstallationEvent> wanted) {
        return await().atMost(WAIT).until(() -> events.of(cluster, owner).stream()
                .filter(e -> e.getRevision().equals("peering")).filter(wanted).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** The east-west Gateway's address as the cluster holds it (the simulator's Istio wrote it). */
    private static String liveAddress(String cluster) {
        GenericKubernetesResource gateway = peered.client(cluster).genericKubernetesResources(GATEWAYS)
                .inNamespace("istio-eastwest").withName("istio-eastwest").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) gateway.getAdditionalProperties().get("status");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> addresses = (List<Map<String, Object>>) status.get("addresses");
        return (String) addresses.get(0).get("value");
    }

    /** A peered controller's second installation as ADR 0046 plans it. */
    private static InstallationPlan peering(String owner, String cluster, String peersJson, String hash) {
        String values = "{\"cluster\":\"" + cluster + "\",\"network\":\"" + cluster + "\",\"revision\":\"\","
                + "\"eastwest\":{\"nodePort\":false},\"peers\":" + peersJson + "}";
        return InstallationPlan.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(ResourceKind.ServiceMeshController).setNamespace("gloo-mesh")
                        .setName(owner).setUid("uid-" + owner).build())
                .setGeneration(1).setRevision("peering").setTag("1.28.1-patch0-solo")
                .setCharts(List.of(ChartRelease.newBuilder().setChart("peering-gateways")
                        .setReleaseName("peering-gateways").setNamespace("istio-eastwest").setValuesJson(values).build()))
                .setUpgradePolicy(UpgradePolicy.newBuilder().setSkipUpgradeValidation(false)
                        .setWaitForResourcesTimeoutMillis(60_000).build())
                .setObservedOperatorJson(values).setPlanHash(hash).build();
    }

    private void send(String cluster, InstallationPlan plan) {
        try {
            producer.send(new ProducerRecord<>(Topics.INSTALL_PLANS, cluster, ClusterDesiredState.newBuilder()
                    .setCluster(cluster).setInstallations(List.of(plan)).setPlanHash("cluster-" + plan.getPlanHash())
                    .build())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an operator does: a labelled Secret with a kubeconfig of the installer's ServiceAccount in that cluster. */
    private static void register(KubernetesClient management, String cluster) {
        String kubeconfig = MockApiServer.kubeconfig(cluster, peered.clusterUrl(cluster), INSTALLER_TOKEN);
        management.resource(new SecretBuilder().withNewMetadata().withName("cluster-" + cluster)
                .withNamespace(FleetTestResource.SECRET_NAMESPACE).addToLabels(Crds.CLUSTER_LABEL, cluster).endMetadata()
                .addToData(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                        kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    private static KubernetesClient client(String url) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url)
                .withRequestRetryBackoffLimit(0).build()).build();
    }
}
