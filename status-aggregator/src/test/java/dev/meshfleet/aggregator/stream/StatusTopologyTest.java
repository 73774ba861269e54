package dev.meshfleet.aggregator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;

class StatusTopologyTest {
    static final OwnerRef ILM = new OwnerRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane",
            "uid-1");
    static final OwnerRef GLM = new OwnerRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh",
            "istio-ingressgateway", "uid-2");

    private TopologyTestDriver driver;
    private TestInputTopic<String, InstallationEvent> events;
    private TestInputTopic<String, byte[]> rawEvents;
    private TestOutputTopic<String, LifecycleStatus> statuses;
    private final List<KeyValue<String, LifecycleStatus>> sink = new ArrayList<>();

    static InstallationEvent event(OwnerRef owner, String state, String source, long epoch, long sequence) {
        boolean deployed = state.equals("HEALTHY");
        return new InstallationEvent(owner, 1L, "cluster1", "1-24", state, "",
                deployed ? "{\"profile\":\"minimal\"}" : null, "h1", source, epoch, sequence,
                Instant.ofEpochMilli(1_000 + sequence), null, java.util.Map.of());
    }

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregator-ttd").toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // The dead-letter handler needs a broker; the IT covers it. Here: the stream goes on.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(StatusTopology.build(Topics.INSTALLATION_EVENTS, Topics.LIFECYCLE_STATUS,
                (key, status) -> sink.add(KeyValue.pair(key, status))), props);
        AvroSerde<InstallationEvent> eventSerde = AvroSerde.of(InstallationEvent.class);
        events = driver.createInputTopic(Topics.INSTALLATION_EVENTS, new StringSerializer(), eventSerde);
        rawEvents = driver.createInputTopic(Topics.INSTALLATION_EVENTS, new StringSerializer(),
                new ByteArraySerializer());
        statuses = driver.createOutputTopic(Topics.LIFECYCLE_STATUS, Serdes.String().deserializer(),
                AvroSerde.of(LifecycleStatus.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(InstallationEvent event) {
        events.pipeInput(OwnerKeys.of(event.getOwner()), event);
    }

    /** Lets one publish interval pass: what was folded since the last one is published. */
    private void tick() {
        driver.advanceWallClockTime(StatusTopology.PUBLISH_INTERVAL);
    }

    private KeyValueStore<String, LifecycleStatus> clusterStore() {
        return driver.getKeyValueStore(StatusTopology.CLUSTER_STORE);
    }

    private static String clusterKey(OwnerRef owner, String cluster) {
        return OwnerKeys.of(owner) + "\u0000" + cluster;
    }

    private static InstallationEvent inCluster(InstallationEvent event, String cluster) {
        InstallationEvent copy = InstallationEvent.newBuilder(event).build();
        copy.setCluster(cluster);
        return copy;
    }

    @Test
    void eventsOfAnOwnerFoldIntoItsStatusOnLifecycleStatusKeyedByOwner() {
        send(event(ILM, "INSTALL_PENDING", "translator", 0, 1000));
        tick();
        send(event(ILM, "INSTALLING_CONTROLLER", "installer/installer-0", 1, 1));
        tick();
        send(event(ILM, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 2));
        tick();
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 3));
        tick();

        List<KeyValue<String, LifecycleStatus>> out = statuses.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("IstioLifecycleManager/gloo-mesh/istiod-control-plane",
                "IstioLifecycleManager/gloo-mesh/istiod-control-plane", "IstioLifecycleManager/gloo-mesh/istiod-control-plane",
                "IstioLifecycleManager/gloo-mesh/istiod-control-plane");
        assertThat(out).extracting(kv -> kv.value.getSummary().getState()).containsExactly("INSTALL_PENDING",
                "INSTALLING_CONTROLLER", "INSTALLING_CONTROL_PLANE", "HEALTHY");
        LifecycleStatus last = out.get(3).value;
        assertThat(last.getClusters().get("cluster1").getInstallations().get("1-24").getState()).isEqualTo("HEALTHY");
        assertThat(last.getClusters().get("cluster1").getInstallations().get("1-24").getObservedOperatorJson())
                .isEqualTo("{\"profile\":\"minimal\"}");
        assertThat(last.getSummary().getHealthy()).isEqualTo(1);
        assertThat(last.getSummary().getTotal()).isEqualTo(1);
        assertThat(last.getObservedGeneration()).isEqualTo(1L);
        assertThat(last.getOwner()).isEqualTo(ILM);
    }

    @Test
    void aBurstWithinOneIntervalIsPublishedOnceWithTheNewestStatus() {
        send(event(ILM, "INSTALL_PENDING", "translator", 0, 1000));
        send(event(ILM, "INSTALLING_CONTROLLER", "installer/installer-0", 1, 1));
        send(event(ILM, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 2));
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 3));
        assertThat(statuses.isEmpty()).isTrue();

        tick();

        List<LifecycleStatus> out = statuses.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSummary().getState()).isEqualTo("HEALTHY");
        assertThat(sink).hasSize(1);
    }

    @Test
    void ownersAreFoldedApartAndGatewaysKeepTheirStateNames() {
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 1));
        send(event(GLM, "INSTALLING_GATEWAY", "installer/installer-0", 1, 2));
        tick();

        var published = statuses.readKeyValuesToMap();
        assertThat(published.get(OwnerKeys.of(ILM)).getSummary().getState()).isEqualTo("HEALTHY");
        assertThat(published.get(OwnerKeys.of(GLM)).getSummary().getState()).isEqualTo("INSTALLING_GATEWAY");
    }

    @Test
    void aServiceMeshControllerFoldsWithTheIlmStatesAndAnEventOfAKindThisBuildDoesNotKnowIsSkipped() {
        OwnerRef smc = new OwnerRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-3");
        OwnerRef next = new OwnerRef(ResourceKind.Unknown, "gloo-mesh", "next", "uid-4");
        send(event(next, "HEALTHY", "installer/installer-0", 1, 1));
        send(event(smc, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 2));
        send(event(smc, "HEALTHY", "installer/installer-0", 1, 3));
        tick();

        var published = statuses.readKeyValuesToMap();
        assertThat(published).containsOnlyKeys("ServiceMeshController/gloo-mesh/managed-istio");
        assertThat(published.get(OwnerKeys.of(smc)).getSummary().getState()).isEqualTo("HEALTHY");
    }

    @Test
    void eachClusterIsStoredApartSoThatAnEventWritesOnlyItsCluster() {
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 1));
        send(inCluster(event(ILM, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 2), "cluster2"));

        LifecycleStatus one = clusterStore().get(clusterKey(ILM, "cluster1"));
        LifecycleStatus two = clusterStore().get(clusterKey(ILM, "cluster2"));
        assertThat(one.getClusters()).containsOnlyKeys("cluster1");
        assertThat(one.getClusters().get("cluster1").getInstallations().get("1-24").getState()).isEqualTo("HEALTHY");
        assertThat(two.getClusters()).containsOnlyKeys("cluster2");
        assertThat(two.getClusters().get("cluster2").getInstallations().get("1-24").getState())
                .isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(driver.<String, LifecycleStatus>getKeyValueStore(StatusTopology.OWNER_STORE).get(OwnerKeys.of(ILM))
                .getClusters()).isEmpty();
    }

    @Test
    void aStateReEmittedByTheInstallerIsStoredButNotPublishedAgain() {
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 3));
        tick();
        assertThat(statuses.readValuesToList()).hasSize(1);

        // The drift repair re-emits every state: a newer sequence saying the same.
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 4));
        tick();

        assertThat(statuses.isEmpty()).isTrue();
        assertThat(sink).hasSize(1);
        assertThat(clusterStore().get(clusterKey(ILM, "cluster1")).getClusters().get("cluster1").getInstallations()
                .get("1-24").getSequence()).isEqualTo(4L);
    }

    @Test
    void aDuplicateEventLeavesTheStatusAsItWas() {
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 3));
        LifecycleStatus before = clusterStore().get(clusterKey(ILM, "cluster1"));

        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 3));
        send(event(ILM, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 2));

        assertThat(clusterStore().get(clusterKey(ILM, "cluster1"))).isEqualTo(before);
    }

    @Test
    void anEventFromAReplicaThatLostThePartitionDoesNotChangeTheStatus() {
        send(event(ILM, "HEALTHY", "installer/installer-1", 2, 1));
        send(event(ILM, "UNKNOWN", "installer/installer-0", 1, 99));

        LifecycleStatus status = clusterStore().get(clusterKey(ILM, "cluster1"));
        assertThat(status.getClusters().get("cluster1").getInstallations().get("1-24").getState())
                .isEqualTo("HEALTHY");
        assertThat(status.getClusters().get("cluster1").getInstallerEpoch()).isEqualTo(2L);
    }

    @Test
    void aReCreatedOwnerDropsTheRecordsOfTheClustersItNoLongerHas() {
        send(event(ILM, "UNINSTALLED", "installer/installer-0", 1, 1));
        send(inCluster(event(ILM, "UNINSTALLED", "installer/installer-0", 1, 2), "cluster2"));
        OwnerRef recreated = new OwnerRef(ILM.getKind(), ILM.getNamespace(), ILM.getName(), "uid-9");
        InstallationEvent first = event(recreated, "INSTALLING_CONTROLLER", "installer/installer-0", 1, 3);
        first.setTime(Instant.ofEpochMilli(5_000));
        send(first);
        tick();

        assertThat(clusterStore().get(clusterKey(ILM, "cluster2"))).isNull();
        LifecycleStatus published = statuses.readValuesToList().get(0);
        assertThat(published.getOwner().getUid()).isEqualTo("uid-9");
        assertThat(published.getClusters()).containsOnlyKeys("cluster1");
    }

    @Test
    void everyNewStatusReachesTheWriter() {
        send(event(ILM, "INSTALLING_CONTROL_PLANE", "installer/installer-0", 1, 1));
        tick();
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 2));
        tick();

        assertThat(sink).hasSize(2);
        assertThat(sink.get(1).key).isEqualTo(OwnerKeys.of(ILM));
        assertThat(sink.get(1).value.getSummary().getState()).isEqualTo("HEALTHY");
    }

    @Test
    void anUndecodableRecordIsSkippedAndTheNextOneStillFolds() {
        rawEvents.pipeInput(OwnerKeys.of(ILM), new byte[] {1, 2, 3});
        send(event(ILM, "HEALTHY", "installer/installer-0", 1, 1));
        tick();

        List<LifecycleStatus> out = statuses.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSummary().getState()).isEqualTo("HEALTHY");
    }
}
