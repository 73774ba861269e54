package dev.meshfleet.translator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.translation.Canonical;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

/**
 * The translator topology with TopologyTestDriver (STYLE.md 11). Undecodable input is covered by
 * TranslatorIT (real handler, real broker). What the translator's events become in status, through the
 * aggregator's real fold, is tested in sandbox's {@code TranslationToStatusTest}: services never import
 * each other.
 */
class TranslatorTopologyTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, SpecChange> specs;
    TestOutputTopic<String, ClusterDesiredState> plans;
    TestOutputTopic<String, InstallationEvent> events;
    /** What the installers write on installation-events, which the translator reads for facts (ADR 0031). */
    TestInputTopic<String, InstallationEvent> installerEvents;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "translator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // No cache: every intermediate aggregate would be published, which is what the installer must never see.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        var topics = new TranslatorTopology.Topics(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS, Topics.INSTALLATION_EVENTS);
        driver = new TopologyTestDriver(TranslatorTopology.build(topics, new Translator(TranslatorSettings.defaults())), props);
        specs = driver.createInputTopic(Topics.SPEC_CHANGES, new StringSerializer(), AvroSerde.of(SpecChange.class));
        plans = driver.createOutputTopic(Topics.INSTALL_PLANS, new StringDeserializer(), AvroSerde.of(ClusterDesiredState.class));
        events = driver.createOutputTopic(Topics.INSTALLATION_EVENTS, new StringDeserializer(), AvroSerde.of(InstallationEvent.class));
        installerEvents = driver.createInputTopic(Topics.INSTALLATION_EVENTS, new StringSerializer(),
                AvroSerde.of(InstallationEvent.class));
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

    @Test
    void creatingAnIlmPublishesEachClustersDesiredStateAndInstallPendingPerInstallation() throws Exception {
        send(change(example("ilm-minimal.yaml"), "u1", 1, Operation.UPSERT));

        Map<String, ClusterDesiredState> states = latestPlans();
        assertThat(states).containsOnlyKeys("cluster1", "cluster2");
        ClusterDesiredState c1 = states.get("cluster1");
        assertThat(installations(c1)).containsExactly("IstioLifecycleManager/gloo-mesh/istiod-control-plane@1-24");
        InstallationPlan plan = c1.getInstallations().get(0);
        assertThat(plan.getCharts()).extracting(c -> c.getReleaseName()).containsExactly("istio-base", "istiod-1-24");
        assertThat(plan.getDefaultRevision()).isTrue();
        assertThat(plan.getOwner().getUid()).isEqualTo("u1");
        assertThat(c1.getPlanHash()).matches("[0-9a-f]{64}");

        List<KeyValue<String, InstallationEvent>> evs = events.readKeyValuesToList();
        assertThat(evs).hasSize(2).allSatisfy(kv -> {
            assertThat(kv.key).isEqualTo("IstioLifecycleManager/gloo-mesh/istiod-control-plane");
            assertThat(kv.value.getState()).isEqualTo("INSTALL_PENDING");
            assertThat(kv.value.getSource()).isEqualTo("translator");
            assertThat(kv.value.getSourceEpoch()).isZero();
            assertThat(kv.value.getRevision()).isEqualTo("1-24");
            assertThat(kv.value.getTime()).isEqualTo(T0.plusSeconds(1));
        });
        assertThat(evs).extracting(kv -> kv.value.getCluster()).containsExactly("cluster1", "cluster2");
        assertThat(evs.get(1).value.getSequence()).isGreaterThan(evs.get(0).value.getSequence());
        assertThat(evs.get(0).value.getPlanHash()).isEqualTo(plan.getPlanHash());
    }

    static JsonNode smc(String name, String cluster, String extra) throws Exception {
        return YAML.readTree("""
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: %s, namespace: gloo-mesh}
                spec: {cluster: %s, version: 1.28.1-patch0%s}
                """.formatted(name, cluster, extra));
    }

    @Test
    void aServiceMeshControllerPlansItsOneRevisionlessInstallationInItsClusterAndForceTakesOverUnmanagedIstio()
            throws Exception {
        send(change(smc("abort", "cluster1", ""), "u1", 1, Operation.UPSERT));
        send(change(smc("force", "cluster2", ", onConflict: Force"), "u2", 1, Operation.UPSERT));

        Map<String, ClusterDesiredState> states = latestPlans();
        assertThat(states).containsOnlyKeys("cluster1", "cluster2");
        InstallationPlan abort = states.get("cluster1").getInstallations().get(0);
        assertThat(installations(states.get("cluster1"))).containsExactly("ServiceMeshController/gloo-mesh/abort@");
        assertThat(abort.getCharts()).extracting(c -> c.getReleaseName())
                .containsExactly("istio-base", "istiod", "istio-cni", "ztunnel");
        assertThat(abort.getTakeOverUnmanaged()).as("onConflict: Abort, the default").isFalse();
        assertThat(states.get("cluster2").getInstallations().get(0).getTakeOverUnmanaged()).as("onConflict: Force").isTrue();
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.key + " " + kv.value.getCluster() + " "
                + kv.value.getState()).containsExactly("ServiceMeshController/gloo-mesh/abort cluster1 INSTALL_PENDING",
                        "ServiceMeshController/gloo-mesh/force cluster2 INSTALL_PENDING");
    }

    static SpecChange withExtensions(SpecChange c, String extensionsJson) {
        return SpecChange.newBuilder(c).setExtensionsJson(extensionsJson).build();
    }

    static String pilotOf(ClusterDesiredState state) {
        return state.getInstallations().get(0).getCharts().stream().filter(c -> c.getChart().equals("istiod"))
                .findFirst().orElseThrow().getValuesJson();
    }

    /** ADR 0045: a gloo-extensions-config change comes as the same generation with other data, and rolls out. */
    @Test
    void aChangedExtensionsConfigAtTheSameGenerationIsTranslatedAgainAndTheSameDataIsNot() throws Exception {
        SpecChange first = withExtensions(change(smc("managed-istio", "cluster1", ""), "u1", 1, Operation.UPSERT),
                "{\"stable\":\"serviceMeshController: {istiod: {topology: {nodeSelector: {pool: a}}}}\"}");
        send(first);
        String before = pilotOf(latestPlans().get("cluster1"));
        assertThat(Canonical.parse(before).at("/pilot/nodeSelector/pool").asText()).isEqualTo("a");
        long firstSequence = events.readValuesToList().get(0).getSequence();

        send(withExtensions(first, "{ \"stable\" : \"serviceMeshController: {istiod: {topology: {nodeSelector: {pool: a}}}}\" }"));
        assertThat(plans.isEmpty()).as("the same data, written otherwise").isTrue();
        assertThat(events.isEmpty()).isTrue();

        send(withExtensions(first, "{\"stable\":\"serviceMeshController: {istiod: {topology: {nodeSelector: {pool: b}}}}\"}"));
        ClusterDesiredState after = latestPlans().get("cluster1");
        assertThat(Canonical.parse(pilotOf(after)).at("/pilot/nodeSelector/pool").asText()).isEqualTo("b");
        List<InstallationEvent> again = events.readValuesToList();
        assertThat(again).extracting(e -> e.getGeneration() + " " + e.getState()).containsExactly("1 INSTALL_PENDING");
        assertThat(again.get(0).getSequence()).as("numbered after the first step's, or the aggregator drops it as a replay")
                .isGreaterThan(firstSequence);

        send(withExtensions(first, null));
        assertThat(Canonical.parse(pilotOf(latestPlans().get("cluster1"))).at("/pilot").has("nodeSelector"))
                .as("the ConfigMap deleted").isFalse();
    }

    @Test
    void aServiceMeshControllerBelowTheMinimumVersionFailsNamingTheField() throws Exception {
        JsonNode old = smc("old", "cluster1", "");
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("spec")).put("version", "1.24.2-solo");
        send(change(old, "u1", 1, Operation.UPSERT));

        assertThat(latestPlans()).isEmpty();
        List<InstallationEvent> evs = events.readValuesToList();
        assertThat(evs).hasSize(1);
        assertThat(evs.get(0).getState()).isEqualTo("FAILED");
        assertThat(evs.get(0).getCluster()).isEqualTo("cluster1");
        assertThat(evs.get(0).getMessage()).startsWith("spec.version");
    }

    @Test
    void aSpecChangeOfAKindThisTranslatorDoesNotKnowIsSkipped() throws Exception {
        SpecChange unknown = change(smc("next", "cluster1", ""), "u1", 1, Operation.UPSERT);
        unknown.setKind(ResourceKind.Unknown);
        send(unknown);

        assertThat(plans.isEmpty()).isTrue();
        assertThat(events.isEmpty()).isTrue();
    }

    /** The istiod release of an ExternalControlPlane's plan in a remote cluster, as the chart gets its values. */
    static JsonNode remoteIstiod(ClusterDesiredState state) throws Exception {
        InstallationPlan plan = state.getInstallations().get(0);
        return YAML.readTree(plan.getCharts().stream().filter(c -> c.getReleaseName().equals("istiod")).findFirst()
                .orElseThrow().getValuesJson());
    }

    /** The installer that owns {@code state}'s cluster reports its ExternalControlPlane installation in {@code phase}. */
    void installerReports(ClusterDesiredState state, String phase) {
        InstallationPlan plan = state.getInstallations().get(0);
        installerEvents.pipeInput(OwnerKeys.of(plan.getOwner()), InstallationEvent.newBuilder().setOwner(plan.getOwner())
                .setGeneration(plan.getGeneration()).setCluster(state.getCluster()).setRevision("").setState(phase)
                .setMessage("").setObservedOperatorJson(plan.getObservedOperatorJson()).setPlanHash(plan.getPlanHash())
                .setSource("installer/installer-0").setSourceEpoch(1).setSequence(7).setTime(T0.plusSeconds(60)).build());
    }

    static JsonNode withAddress(JsonNode ecp, String address) {
        JsonNode copy = ecp.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy.path("spec").path("external")).put("address", address);
        return copy;
    }

    /**
     * The translator reads installation-events only for an ExternalControlPlane's facts: the events of every other
     * kind are told by their key and never decoded (at a thousand clusters they are nearly all of the topic). Bytes
     * that are no event prove it: under an ILM's key they pass unread; under an ECP's they are decoded, and fail.
     */
    @Test
    void installationEventsOfOtherKindsAreNotDecoded() {
        var raw = driver.createInputTopic(Topics.INSTALLATION_EVENTS, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        byte[] notAnEvent = "not an avro record".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        raw.pipeInput("IstioLifecycleManager/gloo-mesh/istiod-control-plane", notAnEvent);
        raw.pipeInput("GatewayLifecycleManager/gloo-mesh/istio-ingressgateway", notAnEvent);
        assertThat(plans.isEmpty()).isTrue();
        assertThat(events.isEmpty()).isTrue();

        assertThatThrownBy(() -> raw.pipeInput("ExternalControlPlane/gloo-mesh/mesh1", notAnEvent))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
    }

    @Test
    void anExternalControlPlanesRemoteClustersGetTheirWebhooksOnlyOnceTheExternalIstiodIsReportedHealthy() throws Exception {
        JsonNode ecp = example("external-control-plane.yaml");
        send(change(ecp, "u1", 1, Operation.UPSERT));

        Map<String, ClusterDesiredState> first = latestPlans();
        assertThat(first).containsOnlyKeys("cluster1", "cluster2", "cluster3");
        assertThat(installations(first.get("cluster1"))).containsExactly("ExternalControlPlane/gloo-mesh/mesh1@");
        // The chart renders no webhook while the operator (here: Meshfleet, until the fact) manages them.
        assertThat(remoteIstiod(first.get("cluster2")).path("global").path("operatorManageWebhooks").asBoolean()).isTrue();
        assertThat(remoteIstiod(first.get("cluster3")).path("global").path("operatorManageWebhooks").asBoolean()).isTrue();
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.value.getCluster() + " " + kv.value.getState())
                .containsExactly("cluster1 INSTALL_PENDING", "cluster2 INSTALL_PENDING", "cluster3 INSTALL_PENDING");

        // Neither a remote cluster's HEALTHY nor the external one still installing is the fact.
        installerReports(first.get("cluster2"), "HEALTHY");
        installerReports(first.get("cluster1"), "INSTALLING_CONTROL_PLANE");
        assertThat(plans.isEmpty()).isTrue();

        installerReports(first.get("cluster1"), "HEALTHY");

        Map<String, ClusterDesiredState> after = latestPlans();
        assertThat(after).as("only the remote clusters are planned again").containsOnlyKeys("cluster2", "cluster3");
        JsonNode config = remoteIstiod(after.get("cluster2"));
        assertThat(config.path("global").path("operatorManageWebhooks").asBoolean()).isFalse();
        assertThat(config.path("istiodRemote").path("injectionURL").asText())
                .isEqualTo("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster2:ENV:net=network1");
        assertThat(remoteIstiod(after.get("cluster3")).path("istiodRemote").path("injectionURL").asText())
                .isEqualTo("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster3:ENV:net=network2");
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.value.getCluster() + " " + kv.value.getState()
                + " " + kv.value.getGeneration()).containsExactly("cluster2 INSTALL_PENDING 1", "cluster3 INSTALL_PENDING 1");

        // The same fact again (the installer's resync re-emits HEALTHY) changes nothing.
        installerReports(first.get("cluster1"), "HEALTHY");
        assertThat(plans.isEmpty()).isTrue();
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void aDeletedExternalControlPlaneLeavesItsRemoteClustersFirstAndTheExternalClusterOnceTheyAreUninstalled()
            throws Exception {
        JsonNode ecp = example("external-control-plane.yaml");
        send(change(ecp, "u1", 1, Operation.UPSERT));
        Map<String, ClusterDesiredState> first = latestPlans();
        installerReports(first.get("cluster1"), "HEALTHY");
        latestPlans();

        send(change(ecp, "u1", 1, Operation.DELETE));
        Map<String, ClusterDesiredState> removed = latestPlans();
        assertThat(removed).as("the remote clusters leave first").containsOnlyKeys("cluster2", "cluster3");
        assertThat(removed.get("cluster2").getInstallations()).isEmpty();
        assertThat(removed.get("cluster3").getInstallations()).isEmpty();

        // One remote gone (twice: a resync re-emits it), the other still uninstalling: the external istiod stays.
        installerReports(first.get("cluster2"), "UNINSTALLED_CONTROL_PLANE");
        installerReports(first.get("cluster2"), "UNINSTALLED_CONTROL_PLANE");
        installerReports(first.get("cluster3"), "UNINSTALLING_CONTROL_PLANE");
        assertThat(plans.isEmpty()).isTrue();

        installerReports(first.get("cluster3"), "UNINSTALLED_CONTROL_PLANE");
        Map<String, ClusterDesiredState> last = latestPlans();
        assertThat(last).as("then the external cluster").containsOnlyKeys("cluster1");
        assertThat(last.get("cluster1").getInstallations()).isEmpty();

        // Its own uninstall, and any later report, change nothing more.
        installerReports(first.get("cluster1"), "UNINSTALLED_CONTROL_PLANE");
        installerReports(first.get("cluster3"), "UNINSTALLED_CONTROL_PLANE");
        assertThat(plans.isEmpty()).isTrue();
    }

    /** The remote secrets the external cluster's plan renders, by Secret name. */
    static List<String> remoteSecrets(ClusterDesiredState external) throws Exception {
        InstallationPlan plan = external.getInstallations().get(0);
        JsonNode values = YAML.readTree(plan.getCharts().stream().filter(c -> c.getChart().equals("remote-secrets"))
                .findFirst().orElseThrow().getValuesJson());
        List<String> names = new java.util.ArrayList<>();
        values.path("secrets").forEach(s -> names.add(s.path("name").asText()));
        return names;
    }

    /**
     * ADR 0031, "Removal in order", for one remote cluster: dropped from the spec, it leaves at once (its webhooks and
     * reader), and the external cluster keeps its remote secret until the installer reported it uninstalled.
     */
    @Test
    void aRemoteClusterDroppedFromTheSpecLeavesFirstAndItsRemoteSecretOnceItIsUninstalled() throws Exception {
        JsonNode ecp = example("external-control-plane.yaml");
        send(change(ecp, "u1", 1, Operation.UPSERT));
        Map<String, ClusterDesiredState> first = latestPlans();
        installerReports(first.get("cluster1"), "HEALTHY");
        latestPlans();
        assertThat(remoteSecrets(first.get("cluster1"))).containsExactly("istio-kubeconfig",
                "istio-remote-secret-cluster3");

        JsonNode without3 = ecp.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode remotes = (com.fasterxml.jackson.databind.node.ArrayNode) without3
                .path("spec").path("remoteClusters");
        for (int i = remotes.size() - 1; i >= 0; i--) {
            if (remotes.get(i).path("name").asText().equals("cluster3")) {
                remotes.remove(i);
            }
        }
        send(change(without3, "u1", 2, Operation.UPSERT));
        Map<String, ClusterDesiredState> second = latestPlans();
        assertThat(second.get("cluster3").getInstallations()).as("the remote cluster leaves at once").isEmpty();
        assertThat(remoteSecrets(second.get("cluster1"))).as("its remote secret stays meanwhile")
                .containsExactly("istio-kubeconfig", "istio-remote-secret-cluster3");

        installerReports(first.get("cluster3"), "UNINSTALLING_CONTROL_PLANE");
        assertThat(plans.isEmpty()).isTrue();
        installerReports(first.get("cluster3"), "UNINSTALLED_CONTROL_PLANE");
        Map<String, ClusterDesiredState> third = latestPlans();
        assertThat(third).as("only the external cluster is planned again").containsOnlyKeys("cluster1");
        assertThat(remoteSecrets(third.get("cluster1"))).containsExactly("istio-kubeconfig");

        // A later report (a resync re-emits it) changes nothing.
        installerReports(first.get("cluster3"), "UNINSTALLED_CONTROL_PLANE");
        assertThat(plans.isEmpty()).isTrue();
    }

    @Test
    void aNewAddressWithdrawsTheWebhooksUntilTheIstiodBehindItIsReportedHealthyAndANewRemoteGetsThemAtOnce()
            throws Exception {
        JsonNode ecp = example("external-control-plane.yaml");
        send(change(ecp, "u1", 1, Operation.UPSERT));
        installerReports(latestPlans().get("cluster1"), "HEALTHY");
        events.readKeyValuesToList();

        JsonNode moved = withAddress(ecp, "istiod2.mesh1.example.com");
        send(change(moved, "u1", 2, Operation.UPSERT));
        Map<String, ClusterDesiredState> second = latestPlans();
        assertThat(remoteIstiod(second.get("cluster2")).path("global").path("operatorManageWebhooks").asBoolean())
                .as("no webhook may point at an address nothing answers yet").isTrue();
        installerReports(second.get("cluster1"), "HEALTHY");
        Map<String, ClusterDesiredState> healthy = latestPlans();
        assertThat(remoteIstiod(healthy.get("cluster2")).path("istiodRemote").path("injectionURL").asText())
                .startsWith("https://istiod2.mesh1.example.com:15017/inject/");

        ((com.fasterxml.jackson.databind.node.ArrayNode) moved.path("spec").path("remoteClusters")).addObject()
                .put("name", "cluster4");
        send(change(moved, "u1", 3, Operation.UPSERT));
        Map<String, ClusterDesiredState> third = latestPlans();
        assertThat(remoteIstiod(third.get("cluster4")).path("global").path("operatorManageWebhooks").asBoolean())
                .as("the external istiod already answers at this address").isFalse();
        // Every plan carries the new generation; what reaches the other remote clusters stays the same.
        for (String other : List.of("cluster2", "cluster3")) {
            assertThat(third.get(other).getInstallations().get(0).getCharts())
                    .as(other).isEqualTo(healthy.get(other).getInstallations().get(0).getCharts());
        }
        assertThat(third.get("cluster1").getInstallations().get(0).getObservedOperatorJson()).contains("cluster4");
    }

    @Test
    void aFactOfAnEarlierIncarnationDoesNotCarryOverToTheRecreatedResource() throws Exception {
        JsonNode ecp = example("external-control-plane.yaml");
        send(change(ecp, "u1", 1, Operation.UPSERT));
        ClusterDesiredState external = latestPlans().get("cluster1");
        send(change(ecp, "u1", 2, Operation.DELETE));
        send(change(ecp, "u2", 1, Operation.UPSERT));
        latestPlans();
        installerReports(external, "HEALTHY"); // the old incarnation's installer report, late

        assertThat(plans.isEmpty()).isTrue();
    }

    @Test
    void aDuplicateOrStaleSpecChangeProducesNothingNew() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 2, Operation.UPSERT));
        latestPlans();
        events.readKeyValuesToList();

        send(change(ilm, "u1", 2, Operation.UPSERT));
        send(change(ilm, "u1", 1, Operation.UPSERT));

        assertThat(plans.isEmpty()).isTrue();
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void removingAClusterFromTheSpecRemovesItsInstallationsFromThatClustersStateOnly() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        latestPlans();
        events.readKeyValuesToList();

        JsonNode shrunk = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) shrunk.at("/spec/installations/0/clusters")).remove(1);
        send(change(shrunk, "u1", 2, Operation.UPSERT));

        Map<String, ClusterDesiredState> states = latestPlans();
        assertThat(states.get("cluster2").getInstallations()).isEmpty();
        assertThat(states.get("cluster2").getCluster()).isEqualTo("cluster2");
        assertThat(installations(states.get("cluster1"))).containsExactly("IstioLifecycleManager/gloo-mesh/istiod-control-plane@1-24");
        assertThat(states.get("cluster1").getInstallations().get(0).getGeneration()).isEqualTo(2);
    }

    @Test
    void deletingTheResourceLeavesEmptyDesiredStatesNotTombstones() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        latestPlans();
        send(change(ilm, "u1", 1, Operation.DELETE));

        List<KeyValue<String, ClusterDesiredState>> out = plans.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactlyInAnyOrder("cluster1", "cluster2");
        assertThat(out).allSatisfy(kv -> {
            assertThat(kv.value).isNotNull();
            assertThat(kv.value.getInstallations()).isEmpty();
        });
        send(change(ilm, "u1", 1, Operation.UPSERT)); // intake replaying the old create after a restart
        assertThat(plans.isEmpty()).isTrue();
    }

    @Test
    void aBadSpecFailsNamingTheFieldAndLeavesTheOtherResourceUnaffected() throws Exception {
        send(change(example("glm-ingress.yaml"), "g1", 1, Operation.UPSERT));
        latestPlans();
        events.readKeyValuesToList();

        JsonNode bad = example("ilm-minimal.yaml");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.at("/spec/installations/0")).put("revision", "1.24/bad");
        send(change(bad, "u1", 1, Operation.UPSERT));

        List<KeyValue<String, InstallationEvent>> evs = events.readKeyValuesToList();
        assertThat(evs).hasSize(2).allSatisfy(kv -> {
            assertThat(kv.value.getState()).isEqualTo("FAILED");
            assertThat(kv.value.getMessage()).startsWith("spec.installations[0].revision: ");
        });
        assertThat(plans.isEmpty()).as("the GLM's desired states are not republished or changed").isTrue();
        ClusterDesiredState c1 = driver.<String, ClusterDesiredState>getKeyValueStore(TranslatorTopology.CLUSTER_STATE_STORE)
                .get("cluster1");
        assertThat(installations(c1)).containsExactly("GatewayLifecycleManager/gloo-mesh/istio-ingressgateway@1-24");
    }

    @Test
    void twoOwnersShareAClustersStateSortedByKindNamespaceNameAndAnUpdateNeverDropsTheOtherOrItself() throws Exception {
        send(change(example("ilm-minimal.yaml"), "u1", 1, Operation.UPSERT));
        send(change(example("glm-ingress.yaml"), "g1", 1, Operation.UPSERT));
        latestPlans();

        JsonNode ilm = example("ilm-minimal.yaml");
        ((com.fasterxml.jackson.databind.node.ObjectNode) ilm.at("/spec/installations/0/istioOperatorSpec")).put("tag", "1.24.3-solo");
        send(change(ilm, "u1", 2, Operation.UPSERT));

        List<KeyValue<String, ClusterDesiredState>> out = plans.readKeyValuesToList();
        assertThat(out).isNotEmpty().allSatisfy(kv -> assertThat(installations(kv.value)).containsExactly(
                "GatewayLifecycleManager/gloo-mesh/istio-ingressgateway@1-24",
                "IstioLifecycleManager/gloo-mesh/istiod-control-plane@1-24"));
        assertThat(out.get(out.size() - 1).value.getInstallations().get(1).getTag()).isEqualTo("1.24.3-solo");
    }

    @Test
    void aRecreatedResourceWithANewUidIsTranslatedAgainAndAnnouncedAgain() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        send(change(ilm, "u1", 1, Operation.DELETE));
        events.readKeyValuesToList();
        latestPlans();

        send(change(ilm, "u2", 1, Operation.UPSERT));

        assertThat(events.readKeyValuesToList()).hasSize(2)
                .allSatisfy(kv -> assertThat(kv.value.getOwner().getUid()).isEqualTo("u2"));
        assertThat(latestPlans().get("cluster1").getInstallations()).singleElement()
                .satisfies(p -> assertThat(p.getOwner().getUid()).isEqualTo("u2"));
    }

    // ---- keep what runs when a spec goes bad ----

    static final String ILM = "IstioLifecycleManager/gloo-mesh/istiod-control-plane";

    ClusterDesiredState effective(String cluster) {
        return driver.<String, ClusterDesiredState>getKeyValueStore(TranslatorTopology.EFFECTIVE_STATE_STORE).get(cluster);
    }

    @Test
    void fixingTheTypoReplacesTheKeptPlanWithTheNewGeneration() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        JsonNode typo = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) typo.at("/spec/installations/0/clusters/0")).put("defaultRevision", "yes");
        send(change(typo, "u1", 2, Operation.UPSERT));
        assertThat(effective("cluster1").getInstallations()).singleElement()
                .satisfies(p -> assertThat(p.getGeneration()).isEqualTo(1));
        events.readKeyValuesToList();

        send(change(ilm, "u1", 3, Operation.UPSERT));

        assertThat(latestPlans().get("cluster1").getInstallations()).singleElement()
                .satisfies(p -> assertThat(p.getGeneration()).isEqualTo(3));
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.value.getState()).containsOnly("INSTALL_PENDING");
    }

    @Test
    void aResourceThatNeverHadAGoodPlanGetsNoPlan() throws Exception {
        JsonNode bad = example("ilm-minimal.yaml");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.at("/spec/installations/0")).put("revision", "1.24/bad");
        send(change(bad, "u1", 1, Operation.UPSERT));
        send(change(bad, "u1", 2, Operation.UPSERT));

        assertThat(plans.isEmpty()).isTrue();
        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.value.getState()).containsOnly("FAILED");
    }

    @Test
    void removingAClusterStillRemovesItWhileAnotherClusterOfTheSameResourceHasAnError() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        latestPlans();

        JsonNode next = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) next.at("/spec/installations/0/clusters")).remove(1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) next.at("/spec/installations/0/clusters/0")).put("trustDomain", 7);
        send(change(next, "u1", 2, Operation.UPSERT));

        Map<String, ClusterDesiredState> states = latestPlans();
        assertThat(states.get("cluster2").getInstallations()).as("cluster2 left the spec").isEmpty();
        assertThat(states).doesNotContainKey("cluster1");
        assertThat(effective("cluster1").getInstallations()).as("cluster1 has an error: its plan is kept").singleElement()
                .satisfies(p -> assertThat(p.getGeneration()).isEqualTo(1));
    }

    @Test
    void anErrorThatNamesNoClusterKeepsEveryRunningPlanAndRemovingTheInstallationLaterRemovesThem() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        latestPlans();

        JsonNode broken = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/spec/installations/0")).put("clusters", "cluster1");
        send(change(broken, "u1", 2, Operation.UPSERT));
        assertThat(plans.isEmpty()).as("nothing changes for the installer").isTrue();
        assertThat(events.readKeyValuesToList()).filteredOn(kv -> kv.value.getState().equals("FAILED")).singleElement()
                .satisfies(kv -> assertThat(kv.value.getMessage()).startsWith(
                        "spec.installations[0].clusters: must be a list of cluster entries such as [{name: cluster1}]"));

        JsonNode empty = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) empty.get("spec")).putArray("installations");
        send(change(empty, "u1", 3, Operation.UPSERT));
        assertThat(latestPlans()).as("both clusters' plans removed").containsOnlyKeys("cluster1", "cluster2")
                .allSatisfy((cluster, state) -> assertThat(state.getInstallations()).isEmpty());
    }

    @Test
    void keptPlansAreStoredOnePerPlanAndLeaveWithTheirClusterOrTheResource() throws Exception {
        JsonNode ilm = example("ilm-minimal.yaml");
        send(change(ilm, "u1", 1, Operation.UPSERT));
        var store = driver.<String, String>getKeyValueStore(TranslatorTopology.OWNER_PLANS_STORE);
        assertThat(store.get(ILM + "|cluster1|1-24")).contains("\"generation\":1");
        assertThat(store.get(ILM + "|cluster2|1-24")).isNotNull();

        JsonNode shrunk = ilm.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) shrunk.at("/spec/installations/0/clusters")).remove(1);
        send(change(shrunk, "u1", 2, Operation.UPSERT));
        assertThat(store.get(ILM + "|cluster2|1-24")).isNull();
        assertThat(KeptPlan.fromJson(store.get(ILM + "|cluster1|1-24")).generation()).isEqualTo(2);

        send(change(shrunk, "u1", 2, Operation.DELETE));
        assertThat(store.get(ILM + "|cluster1|1-24")).isNull();
    }

    // ---- exclusive claims across resources ----

    static JsonNode ilm(String name, String revision, boolean defaultRevision, String... clusters) throws Exception {
        StringBuilder y = new StringBuilder("apiVersion: admin.gloo.solo.io/v2\nkind: IstioLifecycleManager\nmetadata:\n  name: "
                + name + "\n  namespace: gloo-mesh\nspec:\n  installations:\n    - revision: " + revision + "\n      clusters:\n");
        for (String c : clusters) {
            y.append("        - name: ").append(c).append("\n          defaultRevision: ").append(defaultRevision).append('\n');
        }
        y.append("      istioOperatorSpec:\n        profile: minimal\n        tag: 1.24.2-solo\n");
        return YAML.readTree(y.toString());
    }

    static String key(String kind, String name) {
        return kind + "/gloo-mesh/" + name;
    }

    @Test
    void aRefusalIsAnnouncedOnceNotOnEveryUpdateOfTheCluster() throws Exception {
        send(change(ilm("istiod-z", "1-24", true, "cluster1"), "z", 1, Operation.UPSERT));
        send(change(ilm("istiod-a", "1-25", true, "cluster1"), "a", 1, Operation.UPSERT));
        assertThat(events.readKeyValuesToList()).filteredOn(kv -> kv.value.getState().equals("FAILED")).hasSize(1);

        send(change(example("glm-ingress.yaml"), "g1", 1, Operation.UPSERT));
        JsonNode zNext = ilm("istiod-z", "1-24", true, "cluster1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) zNext.at("/spec/installations/0/istioOperatorSpec")).put("tag", "1.24.3-solo");
        send(change(zNext, "z", 2, Operation.UPSERT));

        assertThat(events.readKeyValuesToList()).extracting(kv -> kv.value.getState()).containsOnly("INSTALL_PENDING");
        assertThat(installations(latestPlans().get("cluster1"))).containsExactly(
                key("GatewayLifecycleManager", "istio-ingressgateway") + "@1-24", key("IstioLifecycleManager", "istiod-z") + "@1-24");
    }
}
