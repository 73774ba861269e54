package dev.meshfleet.translator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh join of peered ServiceMeshControllers (docs/adr/0046) with TopologyTestDriver: the installers' east-west
 * addresses, written here by hand as the installer half will write them, reach the other controllers' plans of the
 * same namespace as {@code istio-remote-peer-<cluster>} entries of the {@code peering} installation, and nothing else
 * is planned again.
 */
class MeshJoinTopologyTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String PEERING = "{\"beta\":\"serviceMeshController:\\n  multiClusterMode: Peering\\n\"}";

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, SpecChange> specs;
    TestInputTopic<String, InstallationEvent> installerEvents;
    TestOutputTopic<String, ClusterDesiredState> plans;
    TestOutputTopic<String, InstallationEvent> events;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "translator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        var topics = new TranslatorTopology.Topics(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS, Topics.INSTALLATION_EVENTS);
        driver = new TopologyTestDriver(TranslatorTopology.build(topics, new Translator(TranslatorSettings.defaults())), props);
        specs = driver.createInputTopic(Topics.SPEC_CHANGES, new StringSerializer(), AvroSerde.of(SpecChange.class));
        installerEvents = driver.createInputTopic(Topics.INSTALLATION_EVENTS, new StringSerializer(),
                AvroSerde.of(InstallationEvent.class));
        plans = driver.createOutputTopic(Topics.INSTALL_PLANS, new StringDeserializer(), AvroSerde.of(ClusterDesiredState.class));
        events = driver.createOutputTopic(Topics.INSTALLATION_EVENTS, new StringDeserializer(),
                AvroSerde.of(InstallationEvent.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Controller {@code name} of gloo-mesh, for {@code cluster}, uid "u-name", with the namespace's extensions. */
    void controller(String name, String cluster, long generation, String extensions, Operation op) throws Exception {
        controller(name, cluster, generation, extensions, op, null);
    }

    /** The same, with the annotations intake publishes (null: none). */
    void controller(String name, String cluster, long generation, String extensions, Operation op,
            Map<String, String> annotations) throws Exception {
        JsonNode spec = YAML.readTree("{cluster: %s, version: 1.28.1-patch0}".formatted(cluster));
        SpecChange c = SpecChange.newBuilder().setUid("u-" + name).setKind(ResourceKind.ServiceMeshController)
                .setNamespace("gloo-mesh").setName(name).setGeneration(generation).setResourceVersion("1")
                .setOperation(op).setActor("kubectl").setObservedAt(T0.plusSeconds(generation))
                .setSpecJson(spec.toString()).setExtensionsJson(extensions).setAnnotations(annotations).build();
        specs.pipeInput(OwnerKeys.of(ResourceKind.ServiceMeshController, "gloo-mesh", name), c);
    }

    void peered(String name, String cluster) throws Exception {
        controller(name, cluster, 1, PEERING, Operation.UPSERT);
    }

    /** What the installer half writes once a controller's east-west Gateway is Programmed (docs/adr/0046). */
    void installerReports(String name, String cluster, String address, String type, long epoch) {
        OwnerRef owner = OwnerRef.newBuilder().setKind(ResourceKind.ServiceMeshController).setNamespace("gloo-mesh")
                .setName(name).setUid("u-" + name).build();
        installerEvents.pipeInput(OwnerKeys.of(owner), InstallationEvent.newBuilder().setOwner(owner).setGeneration(1)
                .setCluster(cluster).setRevision("peering").setState("HEALTHY").setMessage("").setPlanHash("h")
                .setSource("installer/installer-" + epoch).setSourceEpoch(epoch).setSequence(1)
                .setTime(T0.plusSeconds(60)).setFacts(Map.of("eastwest.address", address, "eastwest.addressType", type,
                        "peers.up", "", "peers.down", "")).build());
    }

    /** The installations of a cluster's state, "owner-name@revision". */
    static List<String> installations(ClusterDesiredState s) {
        return s.getInstallations().stream().map(p -> p.getOwner().getName() + "@" + p.getRevision()).toList();
    }

    static InstallationPlan plan(ClusterDesiredState s, String revision) {
        return s.getInstallations().stream().filter(p -> p.getRevision().equals(revision)).findFirst().orElseThrow();
    }

    /** The peers of a cluster's peering installation, as "cluster@address (type)". */
    static List<String> peers(ClusterDesiredState s) throws Exception {
        JsonNode values = YAML.readTree(plan(s, "peering").getCharts().get(0).getValuesJson());
        List<String> out = new ArrayList<>();
        values.path("peers").forEach(p -> out.add(p.path("cluster").asText() + "@" + p.path("address").asText() + " ("
                + p.path("addressType").asText() + ")"));
        return out;
    }

    /** Plans read since the last call, by cluster, the newest of each. */
    Map<String, ClusterDesiredState> newPlans() {
        return new HashMap<>(plans.readKeyValuesToMap());
    }

    List<String> newEvents() {
        return events.readValuesToList().stream().map(e -> e.getOwner().getName() + " " + e.getCluster() + "@"
                + e.getRevision() + " " + e.getState()).toList();
    }

    @Test
    void theMeshJoinGoesThroughTwoInternalRepartitionTopics() {
        TopologyDescription d = TranslatorTopology.build(new TranslatorTopology.Topics(Topics.SPEC_CHANGES,
                Topics.INSTALL_PLANS, Topics.INSTALLATION_EVENTS), new Translator(TranslatorSettings.defaults())).describe();
        assertThat(d.toString()).contains("mesh-members-repartition", "peer-sets-repartition", "translator-meshes",
                "translator-smc-mesh");
    }

    @Test
    void aPeeredControllerWithNoPeerYetIsPlannedWithItsEastWestGatewayAndNoRemotePeer() throws Exception {
        peered("c1", "cluster1");

        ClusterDesiredState c1 = newPlans().get("cluster1");
        assertThat(installations(c1)).containsExactly("c1@", "c1@peering");
        assertThat(plan(c1, "peering").getCharts().get(0).getValuesJson()).isEqualTo("{\"cluster\":\"cluster1\","
                + "\"eastwest\":{\"nodePort\":false},\"network\":\"cluster1\",\"peers\":[],\"revision\":\"\"}");
        assertThat(newEvents()).containsExactly("c1 cluster1@ INSTALL_PENDING", "c1 cluster1@peering INSTALL_PENDING");
    }

    @Test
    void anAddressReachesEveryOtherMembersPeeringPlanAndNothingElse() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        peered("c3", "cluster3");
        newPlans();
        newEvents();

        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);

        Map<String, ClusterDesiredState> after = newPlans();
        assertThat(after).containsOnlyKeys("cluster2", "cluster3");
        assertThat(peers(after.get("cluster2"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");
        assertThat(peers(after.get("cluster3"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");
        assertThat(newEvents()).containsExactly("c2 cluster2@peering INSTALL_PENDING", "c3 cluster3@peering INSTALL_PENDING");

        installerReports("c3", "cluster3", "cluster3.eastwest.example", "Hostname", 1);
        installerReports("c2", "cluster2", "192.0.2.2", "IPAddress", 1);
        Map<String, ClusterDesiredState> all = newPlans();
        assertThat(peers(all.get("cluster1"))).containsExactly("cluster2@192.0.2.2 (IPAddress)",
                "cluster3@cluster3.eastwest.example (Hostname)");
        assertThat(peers(all.get("cluster2"))).containsExactly("cluster1@192.0.2.1 (IPAddress)",
                "cluster3@cluster3.eastwest.example (Hostname)");
        assertThat(peers(all.get("cluster3"))).containsExactly("cluster1@192.0.2.1 (IPAddress)",
                "cluster2@192.0.2.2 (IPAddress)");
        assertThat(newEvents()).as("cluster3's address, then cluster2's").containsExactly(
                "c1 cluster1@peering INSTALL_PENDING", "c2 cluster2@peering INSTALL_PENDING",
                "c1 cluster1@peering INSTALL_PENDING", "c3 cluster3@peering INSTALL_PENDING");

        // The installer's resync reports the same address again: nothing moves.
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        assertThat(newEvents()).isEmpty();
        assertThat(newPlans()).isEmpty();
    }

    @Test
    void aReportOfAStaleInstallerEpochIsIgnoredAndANewerOneMovesTheAddress() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 3);
        assertThat(peers(newPlans().get("cluster2"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");

        installerReports("c1", "cluster1", "192.0.2.77", "IPAddress", 2);
        assertThat(plans.isEmpty()).as("a replica that lost cluster1's partition reporting late").isTrue();

        installerReports("c1", "cluster1", "192.0.2.11", "IPAddress", 4);
        assertThat(peers(newPlans().get("cluster2"))).containsExactly("cluster1@192.0.2.11 (IPAddress)");
    }

    @Test
    void eventsThatAreNoAddressFactMoveNothing() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        newPlans();
        OwnerRef owner = OwnerRef.newBuilder().setKind(ResourceKind.ServiceMeshController).setNamespace("gloo-mesh")
                .setName("c1").setUid("u-c1").build();
        InstallationEvent.Builder e = InstallationEvent.newBuilder().setOwner(owner).setGeneration(1).setCluster("cluster1")
                .setState("HEALTHY").setSource("installer/installer-0").setSourceEpoch(1).setTime(T0)
                .setFacts(Map.of("eastwest.address", "192.0.2.1"));
        installerEvents.pipeInput(OwnerKeys.of(owner), e.setRevision("").build());
        installerEvents.pipeInput(OwnerKeys.of(owner), e.setRevision("peering").setSource("translator").build());
        installerEvents.pipeInput(OwnerKeys.of(owner), e.setSource("installer/installer-0").setFacts(Map.of()).build());
        assertThat(plans.isEmpty()).isTrue();

        installerEvents.pipeInput(OwnerKeys.of(owner), e.setFacts(Map.of("eastwest.address", "192.0.2.1")).build());
        assertThat(peers(newPlans().get("cluster2"))).as("the one that is").containsExactly("cluster1@192.0.2.1 (IPAddress)");
    }

    @Test
    void theNPlusFirstControllerReplansOnlyThePeeringInstallationsNeverAControlPlane() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        peered("c3", "cluster3");
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        installerReports("c2", "cluster2", "192.0.2.2", "IPAddress", 1);
        installerReports("c3", "cluster3", "192.0.2.3", "IPAddress", 1);
        Map<String, ClusterDesiredState> before = newPlans();
        String c1ControlPlane = plan(before.get("cluster1"), "").getPlanHash();
        String c2ControlPlane = plan(before.get("cluster2"), "").getPlanHash();
        newEvents();

        peered("c4", "cluster4");
        Map<String, ClusterDesiredState> joined = newPlans();
        assertThat(joined).as("no address of cluster4 yet: only its own plans").containsOnlyKeys("cluster4");
        assertThat(peers(joined.get("cluster4"))).containsExactly("cluster1@192.0.2.1 (IPAddress)",
                "cluster2@192.0.2.2 (IPAddress)", "cluster3@192.0.2.3 (IPAddress)");
        assertThat(newEvents()).containsExactly("c4 cluster4@ INSTALL_PENDING", "c4 cluster4@peering INSTALL_PENDING",
                "c4 cluster4@peering INSTALL_PENDING");

        installerReports("c4", "cluster4", "192.0.2.4", "IPAddress", 1);
        Map<String, ClusterDesiredState> after = newPlans();
        assertThat(after).containsOnlyKeys("cluster1", "cluster2", "cluster3");
        assertThat(peers(after.get("cluster1"))).containsExactly("cluster2@192.0.2.2 (IPAddress)",
                "cluster3@192.0.2.3 (IPAddress)", "cluster4@192.0.2.4 (IPAddress)");
        assertThat(plan(after.get("cluster1"), "").getPlanHash()).as("cluster1's istiod is not planned again")
                .isEqualTo(c1ControlPlane);
        assertThat(plan(after.get("cluster2"), "").getPlanHash()).isEqualTo(c2ControlPlane);
        assertThat(newEvents()).containsExactly("c1 cluster1@peering INSTALL_PENDING",
                "c2 cluster2@peering INSTALL_PENDING", "c3 cluster3@peering INSTALL_PENDING");
    }

    @Test
    void aDeletedControllerLeavesEveryPeersPlanAndItsOwnClusterKeepsNothing() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        peered("c3", "cluster3");
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        installerReports("c2", "cluster2", "192.0.2.2", "IPAddress", 1);
        installerReports("c3", "cluster3", "192.0.2.3", "IPAddress", 1);
        newPlans();
        newEvents();

        controller("c2", "cluster2", 1, PEERING, Operation.DELETE);

        Map<String, ClusterDesiredState> after = newPlans();
        assertThat(installations(after.get("cluster2"))).isEmpty();
        assertThat(peers(after.get("cluster1"))).containsExactly("cluster3@192.0.2.3 (IPAddress)");
        assertThat(peers(after.get("cluster3"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");
        assertThat(newEvents()).containsExactly("c1 cluster1@peering INSTALL_PENDING", "c3 cluster3@peering INSTALL_PENDING");

        // A late report of the deleted controller brings nothing back.
        installerReports("c2", "cluster2", "192.0.2.22", "IPAddress", 2);
        assertThat(plans.isEmpty()).isTrue();
    }

    @Test
    void turningPeeringOffRemovesThePeeringInstallationAndTheControllerFromItsPeers() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        installerReports("c2", "cluster2", "192.0.2.2", "IPAddress", 1);
        newPlans();
        newEvents();

        // The ConfigMap changed: intake re-publishes each controller of the namespace at its generation (ADR 0045).
        controller("c2", "cluster2", 1, null, Operation.UPSERT);

        Map<String, ClusterDesiredState> after = newPlans();
        assertThat(installations(after.get("cluster2"))).containsExactly("c2@");
        assertThat(YAML.readTree(plan(after.get("cluster2"), "").getObservedOperatorJson()).has("multiClusterMode"))
                .as("the control plane's observed spec (ADR 0045)").isFalse();
        assertThat(peers(after.get("cluster1"))).isEmpty();
        assertThat(installations(after.get("cluster1"))).containsExactly("c1@", "c1@peering");

        // Back on: it is planned again with its peers; they get it once its new east-west Gateway reports an address.
        controller("c2", "cluster2", 1, PEERING, Operation.UPSERT);
        Map<String, ClusterDesiredState> back = newPlans();
        assertThat(back).containsOnlyKeys("cluster2");
        assertThat(peers(back.get("cluster2"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");
        installerReports("c2", "cluster2", "192.0.2.12", "IPAddress", 1);
        assertThat(peers(newPlans().get("cluster1"))).containsExactly("cluster2@192.0.2.12 (IPAddress)");
    }

    /**
     * The seed's alpha NodePort peering (docs/adr/0046): annotating a controller is a metadata change, published by
     * intake at the same generation with the annotation; its own east-west Gateway is planned NodePort and every peer's
     * entry for it says so, then follows the address its NodePort Gateway gets. Its istiod is not planned again.
     */
    @Test
    void theNodePortAnnotationReachesTheControllersEastWestGatewayAndItsPeersEntriesAtTheSameGeneration()
            throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster2");
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        installerReports("c2", "cluster2", "192.0.2.2", "IPAddress", 1);
        String c2ControlPlane = plan(newPlans().get("cluster2"), "").getPlanHash();
        newEvents();

        Map<String, String> nodePort = Map.of("peering.solo.io/data-plane-service-type", "nodeport");
        controller("c2", "cluster2", 1, PEERING, Operation.UPSERT, nodePort);

        Map<String, ClusterDesiredState> annotated = newPlans();
        assertThat(annotated).containsOnlyKeys("cluster1", "cluster2");
        assertThat(plan(annotated.get("cluster2"), "peering").getCharts().get(0).getValuesJson()).isEqualTo(
                "{\"cluster\":\"cluster2\",\"eastwest\":{\"nodePort\":true},\"network\":\"cluster2\",\"peers\":["
                + "{\"address\":\"192.0.2.1\",\"addressType\":\"IPAddress\",\"cluster\":\"cluster1\","
                + "\"network\":\"cluster1\",\"nodePort\":false,\"trustDomain\":\"cluster1\"}],\"revision\":\"\"}");
        assertThat(plan(annotated.get("cluster2"), "").getPlanHash()).as("cluster2's istiod").isEqualTo(c2ControlPlane);
        assertThat(plan(annotated.get("cluster1"), "peering").getCharts().get(0).getValuesJson()).isEqualTo(
                "{\"cluster\":\"cluster1\",\"eastwest\":{\"nodePort\":false},\"network\":\"cluster1\",\"peers\":["
                + "{\"address\":\"192.0.2.2\",\"addressType\":\"IPAddress\",\"cluster\":\"cluster2\","
                + "\"network\":\"cluster2\",\"nodePort\":true,\"trustDomain\":\"cluster2\"}],\"revision\":\"\"}");
        assertThat(newEvents()).containsExactly("c2 cluster2@peering INSTALL_PENDING",
                "c1 cluster1@peering INSTALL_PENDING");

        // intake's replay after a restart: nothing moves.
        controller("c2", "cluster2", 1, PEERING, Operation.UPSERT, nodePort);
        assertThat(plans.isEmpty()).isTrue();

        // The NodePort Gateway is reached by its hostname (the simulator's <cluster>.eastwest.example).
        installerReports("c2", "cluster2", "cluster2.eastwest.example", "Hostname", 1);
        assertThat(peers(newPlans().get("cluster1"))).containsExactly("cluster2@cluster2.eastwest.example (Hostname)");

        // The annotation removed: LoadBalancer again, for the Gateway and for its peer's entry.
        controller("c2", "cluster2", 1, PEERING, Operation.UPSERT, null);
        Map<String, ClusterDesiredState> removed = newPlans();
        assertThat(YAML.readTree(plan(removed.get("cluster2"), "peering").getCharts().get(0).getValuesJson())
                .at("/eastwest/nodePort").toString()).isEqualTo("false");
        assertThat(YAML.readTree(plan(removed.get("cluster1"), "peering").getCharts().get(0).getValuesJson())
                .at("/peers/0/nodePort").toString()).isEqualTo("false");
    }

    @Test
    void controllersOfAnotherNamespaceAreAnotherMesh() throws Exception {
        peered("c1", "cluster1");
        peered("c2", "cluster3");
        JsonNode spec = YAML.readTree("{cluster: cluster2, version: 1.28.1-patch0}");
        SpecChange other = SpecChange.newBuilder().setUid("u-x").setKind(ResourceKind.ServiceMeshController)
                .setNamespace("team-b").setName("x").setGeneration(1).setResourceVersion("1").setOperation(Operation.UPSERT)
                .setActor("kubectl").setObservedAt(T0).setSpecJson(spec.toString()).setExtensionsJson(PEERING).build();
        specs.pipeInput("ServiceMeshController/team-b/x", other);
        newPlans();
        installerReports("c1", "cluster1", "192.0.2.1", "IPAddress", 1);
        Map<String, ClusterDesiredState> gloo = newPlans();
        assertThat(gloo).as("c1's address reaches gloo-mesh's c2 only").containsOnlyKeys("cluster3");
        assertThat(peers(gloo.get("cluster3"))).containsExactly("cluster1@192.0.2.1 (IPAddress)");

        OwnerRef owner = OwnerRef.newBuilder().setKind(ResourceKind.ServiceMeshController).setNamespace("team-b")
                .setName("x").setUid("u-x").build();
        installerEvents.pipeInput(OwnerKeys.of(owner), InstallationEvent.newBuilder().setOwner(owner).setGeneration(1)
                .setCluster("cluster2").setRevision("peering").setState("HEALTHY").setSource("installer/i")
                .setSourceEpoch(1).setTime(T0).setFacts(Map.of("eastwest.address", "192.0.2.2")).build());
        assertThat(plans.isEmpty()).as("gloo-mesh's controllers have no peer in team-b").isTrue();
    }
}
