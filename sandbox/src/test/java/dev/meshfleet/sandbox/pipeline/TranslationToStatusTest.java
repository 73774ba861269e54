package dev.meshfleet.sandbox.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.aggregator.stream.AvroStatus;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translator.stream.TranslatorTopology;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;

/**
 * What the translator's events become in the status a user reads: the translator's real topology
 * (TopologyTestDriver) and the aggregator's real fold over the events in the order they were
 * published, with the installer's reports written by hand. Here, in sandbox, because it spans two
 * services, and services never import each other (ArchUnit, {@code ServiceBoundariesTest}).
 */
class TranslationToStatusTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, SpecChange> specs;
    TestOutputTopic<String, ClusterDesiredState> plans;
    TestOutputTopic<String, InstallationEvent> events;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "translation-to-status-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        var topics = new TranslatorTopology.Topics(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS, Topics.INSTALLATION_EVENTS);
        driver = new TopologyTestDriver(TranslatorTopology.build(topics, new Translator(TranslatorSettings.defaults())), props);
        specs = driver.createInputTopic(Topics.SPEC_CHANGES, new StringSerializer(), AvroSerde.of(SpecChange.class));
        plans = driver.createOutputTopic(Topics.INSTALL_PLANS, new StringDeserializer(), AvroSerde.of(ClusterDesiredState.class));
        events = driver.createOutputTopic(Topics.INSTALLATION_EVENTS, new StringDeserializer(), AvroSerde.of(InstallationEvent.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static JsonNode example(String name) throws Exception {
        return YAML.readTree(Files.readString(Path.of("../examples", name)));
    }

    static SpecChange change(JsonNode manifest, String uid, long generation, Operation op) {
        JsonNode meta = manifest.get("metadata");
        return SpecChange.newBuilder().setUid(uid).setKind(ResourceKind.valueOf(manifest.get("kind").asText()))
                .setNamespace(meta.get("namespace").asText()).setName(meta.get("name").asText()).setGeneration(generation)
                .setResourceVersion(Long.toString(generation)).setOperation(op).setActor("kubectl")
                .setObservedAt(T0.plusSeconds(generation)).setSpecJson(manifest.get("spec").toString()).build();
    }

    void send(SpecChange c) {
        specs.pipeInput(OwnerKeys.of(c.getKind(), c.getNamespace(), c.getName()), c);
    }

    Map<String, ClusterDesiredState> latestPlans() {
        return plans.readKeyValuesToMap();
    }

    static List<String> installations(ClusterDesiredState s) {
        return s.getInstallations().stream().map(p -> OwnerKeys.of(p.getOwner()) + "@" + p.getRevision()).toList();
    }

    /** The aggregator's real fold over events in the order they were published. */
    static Status fold(List<InstallationEvent> evs) {
        return StatusFold.foldAll(null, evs.stream().map(AvroStatus::event).toList());
    }

    /** What the installer reports once a plan is running: HEALTHY for that plan's generation and hash. */
    static InstallationEvent installerHealthy(InstallationPlan p, String cluster, long sequence) {
        return InstallationEvent.newBuilder().setOwner(p.getOwner()).setGeneration(p.getGeneration()).setCluster(cluster)
                .setRevision(p.getRevision()).setState("HEALTHY").setMessage("ready").setObservedOperatorJson(null)
                .setPlanHash(p.getPlanHash()).setSource("installer/replica-0").setSourceEpoch(1).setSequence(sequence)
                .setTime(T0.plusSeconds(100 + sequence)).build();
    }

    ClusterDesiredState effective(String cluster) {
        return driver.<String, ClusterDesiredState>getKeyValueStore(TranslatorTopology.EFFECTIVE_STATE_STORE).get(cluster);
    }

    static List<InstallationEvent> values(List<KeyValue<String, InstallationEvent>> kvs) {
        return kvs.stream().map(kv -> kv.value).toList();
    }

    static JsonNode ilm(String name, String revision, boolean defaultRevision, String... clusters) throws Exception {
        StringBuilder y = new StringBuilder("apiVersion: admin.gloo.solo.io/v2\nkind: IstioLifecycleManager\nmetadata:\n  name: "
                + name + "\n  namespace: gloo-mesh\nspec:\n  installations:\n    - revision: " + revision + "\n      clusters:\n");
        for (String c : clusters) {
            y.append("        - name: ").append(c).append("\n          defaultRevision: ").append(defaultRevision).append('\n');
        }
        y.append("      istioOperatorSpec:\n        profile: minimal\n        tag: 1.24.2-solo\n");
        return YAML.readTree(y.toString());
    }

    static JsonNode glm(String name, String revision, String type, String gatewayName, String... clusters) throws Exception {
        StringBuilder y = new StringBuilder("apiVersion: admin.gloo.solo.io/v2\nkind: GatewayLifecycleManager\nmetadata:\n  name: "
                + name + "\n  namespace: gloo-mesh\nspec:\n  installations:\n    - gatewayRevision: " + revision + "\n      clusters:\n");
        for (String c : clusters) {
            y.append("        - name: ").append(c).append("\n          activeGateway: true\n");
        }
        y.append("      istioOperatorSpec:\n        profile: empty\n        tag: 1.24.2-solo\n        components:\n          ")
                .append(type).append(":\n            - name: ").append(gatewayName).append("\n              enabled: true\n");
        return YAML.readTree(y.toString());
    }

    static String key(String kind, String name) {
        return kind + "/gloo-mesh/" + name;
    }

    List<InstallationEvent> eventsOf(String ownerKey, List<KeyValue<String, InstallationEvent>> kvs) {
        return kvs.stream().filter(kv -> kv.key.equals(ownerKey)).map(kv -> kv.value).toList();
    }

    @Test
    void aTypoInAnInstalledIlmKeepsTheLastGoodPlanRunningWhileTheStatusShowsFailedNamingTheField() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        ClusterDesiredState good = latestPlans().get("cluster1");
        InstallationPlan running = good.getInstallations().get(0);
        List<InstallationEvent> history = new ArrayList<>(values(events.readKeyValuesToList()));
        history.add(installerHealthy(running, "cluster1", 1));

        JsonNode typo = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) typo.at("/spec/installations/0/istioOperatorSpec")).put("profile", "minimall");
        send(change(typo, "u1", 2, Operation.UPSERT));

        assertThat(plans.isEmpty()).as("nothing changes for the installer").isTrue();
        assertThat(effective("cluster1").getInstallations()).as("the generation 1 plan stays in force")
                .containsExactly(running);
        assertThat(effective("cluster2").getInstallations()).singleElement()
                .satisfies(p -> assertThat(p.getGeneration()).isEqualTo(1));
        history.addAll(values(events.readKeyValuesToList()));
        // the installer keeps reporting the plan it runs; those events are of generation 1
        history.add(installerHealthy(running, "cluster1", 2));

        Status status = fold(history);
        assertThat(status.installation("cluster1", "1-24")).get().satisfies(i -> {
            assertThat(i.state().name()).isEqualTo("FAILED");
            assertThat(i.generation()).isEqualTo(2);
            assertThat(i.message()).startsWith("spec.installations[0].istioOperatorSpec.profile: 'minimall' is not an Istio profile")
                    .endsWith("; generation 1 keeps running in this cluster until the spec is fixed");
        });
        assertThat(status.observedGeneration()).isEqualTo(2);
    }

    @Test
    void aSecondIlmClaimingTheDefaultRevisionOfAClusterFailsNamingTheFirstEvenWithALowerName() throws Exception {
        send(change(ilm("istiod-z", "1-24", true, "cluster1"), "z", 1, Operation.UPSERT));
        send(change(ilm("istiod-a", "1-25", true, "cluster1", "cluster2"), "a", 1, Operation.UPSERT));

        Map<String, ClusterDesiredState> states = latestPlans();
        assertThat(installations(states.get("cluster1"))).as("first come, first served")
                .containsExactly(key("IstioLifecycleManager", "istiod-z") + "@1-24");
        assertThat(installations(states.get("cluster2"))).containsExactly(key("IstioLifecycleManager", "istiod-a") + "@1-25");

        List<KeyValue<String, InstallationEvent>> evs = events.readKeyValuesToList();
        Status a = fold(eventsOf(key("IstioLifecycleManager", "istiod-a"), evs));
        assertThat(a.installation("cluster1", "1-25")).get().satisfies(i -> {
            assertThat(i.state().name()).isEqualTo("FAILED");
            assertThat(i.message()).isEqualTo("spec.installations[0].clusters[0].defaultRevision: cluster 'cluster1' already has"
                    + " default revision '1-24' from IstioLifecycleManager gloo-mesh/istiod-z; at most one default revision per"
                    + " cluster: set defaultRevision: false here or set it to false there first");
        });
        assertThat(a.installation("cluster2", "1-25")).get().satisfies(i -> assertThat(i.state().name()).isEqualTo("INSTALL_PENDING"));
        Status z = fold(eventsOf(key("IstioLifecycleManager", "istiod-z"), evs));
        assertThat(z.installation("cluster1", "1-24")).get().satisfies(i -> assertThat(i.state().name()).isEqualTo("INSTALL_PENDING"));
    }

    @Test
    void whenTheHolderIsDeletedTheRefusedPlanBecomesEffectiveByItselfAndTheInstallerMovesItOn() throws Exception {
        JsonNode z = ilm("istiod-z", "1-24", true, "cluster1");
        send(change(z, "z", 1, Operation.UPSERT));
        send(change(ilm("istiod-a", "1-25", true, "cluster1"), "a", 1, Operation.UPSERT));
        latestPlans();
        List<InstallationEvent> history = new ArrayList<>(
                eventsOf(key("IstioLifecycleManager", "istiod-a"), events.readKeyValuesToList()));

        send(change(z, "z", 1, Operation.DELETE));

        ClusterDesiredState c1 = latestPlans().get("cluster1");
        assertThat(installations(c1)).containsExactly(key("IstioLifecycleManager", "istiod-a") + "@1-25");
        assertThat(c1.getInstallations().get(0).getDefaultRevision()).isTrue();
        assertThat(events.readKeyValuesToList()).as("no spec change, nothing new to announce").isEmpty();
        history.add(installerHealthy(c1.getInstallations().get(0), "cluster1", 1));
        assertThat(fold(history).installation("cluster1", "1-25")).get()
                .satisfies(i -> assertThat(i.state().name()).isEqualTo("HEALTHY"));
    }

    @Test
    void aChangeThatMakesAConflictingClaimKeepsThatResourcesPreviousPlanRunning() throws Exception {
        send(change(ilm("istiod-z", "1-24", true, "cluster1"), "z", 1, Operation.UPSERT));
        send(change(ilm("istiod-a", "1-25", false, "cluster1"), "a", 1, Operation.UPSERT));
        InstallationPlan aRunning = latestPlans().get("cluster1").getInstallations().stream()
                .filter(p -> p.getOwner().getName().equals("istiod-a")).findFirst().orElseThrow();
        List<InstallationEvent> history = new ArrayList<>(
                eventsOf(key("IstioLifecycleManager", "istiod-a"), events.readKeyValuesToList()));
        history.add(installerHealthy(aRunning, "cluster1", 1));

        send(change(ilm("istiod-a", "1-25", true, "cluster1"), "a", 2, Operation.UPSERT));

        assertThat(plans.isEmpty()).as("the effective state did not change").isTrue();
        assertThat(effective("cluster1").getInstallations()).extracting(p -> p.getOwner().getName() + "@" + p.getGeneration())
                .containsExactly("istiod-a@1", "istiod-z@1");
        assertThat(effective("cluster1").getInstallations().get(0)).isEqualTo(aRunning);
        history.addAll(eventsOf(key("IstioLifecycleManager", "istiod-a"), events.readKeyValuesToList()));
        history.add(installerHealthy(aRunning, "cluster1", 2));
        assertThat(fold(history).installation("cluster1", "1-25")).get().satisfies(i -> {
            assertThat(i.state().name()).isEqualTo("FAILED");
            assertThat(i.generation()).isEqualTo(2);
            assertThat(i.message()).contains("IstioLifecycleManager gloo-mesh/istiod-z");
        });
    }

    @Test
    void aSecondGlmWithAnIngressGatewayOfTheSameRevisionInAClusterFailsNamingTheFirst() throws Exception {
        send(change(glm("gw-b", "1-24", "ingressGateways", "ingress-b", "cluster1"), "b", 1, Operation.UPSERT));
        send(change(glm("gw-a", "1-24", "ingressGateways", "ingress-a", "cluster1"), "a", 1, Operation.UPSERT));
        send(change(glm("gw-c", "1-25", "ingressGateways", "ingress-c", "cluster1"), "c", 1, Operation.UPSERT));
        send(change(glm("gw-d", "1-24", "egressGateways", "egress-d", "cluster1"), "d", 1, Operation.UPSERT));

        assertThat(installations(latestPlans().get("cluster1"))).as("another revision, or another type, is no conflict")
                .containsExactly(key("GatewayLifecycleManager", "gw-b") + "@1-24", key("GatewayLifecycleManager", "gw-c") + "@1-25",
                        key("GatewayLifecycleManager", "gw-d") + "@1-24");
        List<KeyValue<String, InstallationEvent>> evs = events.readKeyValuesToList();
        assertThat(evs).filteredOn(kv -> kv.value.getState().equals("FAILED")).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(key("GatewayLifecycleManager", "gw-a"));
            assertThat(kv.value.getMessage()).isEqualTo("spec.installations[0].istioOperatorSpec.components.ingressGateways[0]:"
                    + " cluster 'cluster1' already has an ingress gateway of revision '1-24' from GatewayLifecycleManager"
                    + " gloo-mesh/gw-b; one ingress gateway per revision per cluster across all resources: use another"
                    + " gatewayRevision here, or remove that gateway there first");
        });
        assertThat(fold(eventsOf(key("GatewayLifecycleManager", "gw-a"), evs)).installation("cluster1", "1-24")).get()
                .satisfies(i -> assertThat(i.state().name()).isEqualTo("FAILED"));
    }
}
