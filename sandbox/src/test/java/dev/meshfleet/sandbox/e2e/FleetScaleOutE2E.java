package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.bench.FleetSpecs;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.fencing.FencingCheck;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.crd.GatewayLifecycleManager;
import dev.meshfleet.schemas.crd.IstioLifecycleManager;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.v1.InstallationEvent;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The fleet at 200 clusters with two installer replicas ({@code --installers 2 --ready-after 0s}): an ILM and a
 * GLM naming cluster1..cluster200 (the README's examples, {@link FleetSpecs#naming}), then a tag patch of the ILM
 * rolling out while a third replica joins and the first one stops. One fleet for the whole class, the cases in
 * order; who did the work is read from the installation-events topic ({@code source}, {@code sourceEpoch}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetScaleOutE2E {

    private static final int CLUSTERS = 200;
    private static final double MAX_STATUS_WRITES_PER_SECOND = 2.0;
    private static final long MAX_STATUS_BYTES = 1024 * 1024;
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ILM = "istiod-control-plane";
    private static final String GLM = "istio-ingressgateway";
    private static final String REVISION = "1-24";
    private static final String INSTALLER_0 = "installer/installer-0";
    private static final String INSTALLER_1 = "installer/installer-1";
    private static final String INSTALLER_2 = "installer/installer-2";

    static final List<String> clusters = FleetSpecs.clusters(CLUSTERS);
    static Fleet fleet;
    static KafkaConsumer<String, InstallationEvent> consumer;
    static final List<InstallationEvent> events = new ArrayList<>();
    static String ilmYaml;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(SandboxOptions.defaults(SandboxOptions.Mode.RUN, clusters).withInstallers(2)
                .withReadyAfter(Duration.ZERO));
        consumer = fleet.eventsConsumer();
        ilmYaml = FleetSpecs.naming(Files.readString(fleet.example("ilm-minimal.yaml")), clusters);
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
    void anIlmNamingTwoHundredClustersEndsHealthyOnEveryClusterWithAtMostTwoStatusWritesPerSecond() throws Exception {
        double writesPerSecond = step("ilm-200.yaml", ilmYaml);

        assertEveryClusterHealthy(fleet.ilmStatus(ILM));
        assertThat(writesPerSecond).as("status writes per resource per second during the ILM rollout")
                .isLessThanOrEqualTo(MAX_STATUS_WRITES_PER_SECOND);
    }

    @Test
    @Order(2)
    void aGlmNamingTheSameClustersEndsHealthyOnEveryClusterWithAtMostTwoStatusWritesPerSecond() throws Exception {
        String glm = FleetSpecs.naming(Files.readString(fleet.example("glm-ingress.yaml")), clusters);
        double writesPerSecond = step("glm-200.yaml", glm);

        assertEveryClusterHealthy(fleet.glmStatus(GLM));
        assertEveryClusterHealthy(fleet.ilmStatus(ILM));
        assertThat(writesPerSecond).as("status writes per resource per second during the GLM rollout")
                .isLessThanOrEqualTo(MAX_STATUS_WRITES_PER_SECOND);
    }

    @Test
    @Order(3)
    void bothInstallerReplicasEmittedEventsSoTheClustersWereSplitBetweenThem() {
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Set<String>> clustersBySource = healthyClustersBySource(poll());
            assertThat(clustersBySource).as("clusters reported HEALTHY, by replica").containsKeys(INSTALLER_0,
                    INSTALLER_1);
            assertThat(clustersBySource.get(INSTALLER_0)).as("installer-0's share").isNotEmpty()
                    .hasSizeLessThan(CLUSTERS);
            assertThat(clustersBySource.get(INSTALLER_1)).as("installer-1's share").isNotEmpty()
                    .hasSizeLessThan(CLUSTERS);
            Set<String> both = new TreeSet<>(clustersBySource.get(INSTALLER_0));
            both.addAll(clustersBySource.get(INSTALLER_1));
            assertThat(both).as("every cluster reported HEALTHY by one of them").hasSize(CLUSTERS);
        });
    }

    @Test
    @Order(4)
    void eachResourceStatusNamesEveryClusterAndIsUnderOneMebibyte() {
        IstioLifecycleManager ilm = fleet.sandbox.management().resources(IstioLifecycleManager.class)
                .inNamespace("gloo-mesh").withName(ILM).get();
        GatewayLifecycleManager glm = fleet.sandbox.management().resources(GatewayLifecycleManager.class)
                .inNamespace("gloo-mesh").withName(GLM).get();
        assertThat(ilm.getStatus().clusters()).as("ILM status clusters").containsOnlyKeys(clusters);
        assertThat(glm.getStatus().clusters()).as("GLM status clusters").containsOnlyKeys(clusters);
        int ilmBytes = Serialization.asJson(ilm).getBytes(StandardCharsets.UTF_8).length;
        int glmBytes = Serialization.asJson(glm).getBytes(StandardCharsets.UTF_8).length;
        System.err.println("FleetScaleOutE2E: ILM object " + ilmBytes + " bytes, GLM object " + glmBytes + " bytes");
        assertThat(ilmBytes).as("ILM object size in bytes").isLessThan((int) MAX_STATUS_BYTES);
        assertThat(glmBytes).as("GLM object size in bytes").isLessThan((int) MAX_STATUS_BYTES);
    }

    @Test
    @Order(5)
    void anIlmTagPatchRollingOutWhileInstaller2JoinsEndsHealthyOnEveryClusterOnTheNewTag() throws Exception {
        String patched = ilmYaml.replace("1.24.2-solo", "1.24.3-solo");
        assertThat(patched).as("the patched ILM").contains("1.24.3-solo").doesNotContain("1.24.2-solo");
        // The patch is applied once installer-2 is joining the group, so that the handover falls in the rollout
        // (a rollout at 200 clusters can be shorter than a JVM's start).
        var installer2 = fleet.sandbox.services().start("installer-2").process();
        await("installer-2 joins the installers' group").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(installer2.logFile())
                        && Files.readString(installer2.logFile()).contains("(Re-)joining group"));
        fleet.sandbox.apply(fleet.manifest("ilm-200-patched.yaml", patched));
        fleet.sandbox.services().awaitReady("installer-2", WAIT);
        await("installer-2 emits events for the clusters it was given").atMost(WAIT).until(
                () -> poll().stream().anyMatch(e -> e.getSource().equals(INSTALLER_2)));
        System.err.println("FleetScaleOutE2E: ILM rollout still moving when installer-2 had its first events: "
                + !Settle.evaluate(fleet.sandbox.views()).done());
        fleet.settle();

        LifecycleManagerStatus ilm = fleet.ilmStatus(ILM);
        assertEveryClusterHealthy(ilm);
        assertEveryClusterHealthy(fleet.glmStatus(GLM));
        // The new tag is what every cluster runs now, as the installer reports it and as the cluster has it.
        assertThat(clusters).allSatisfy(c -> assertThat(
                ilm.clusters().get(c).installations().get(REVISION).observedOperator().toString())
                .as(c + " observedOperator").contains("1.24.3-solo"));
        assertThat(clusters).allSatisfy(c -> assertThat(image(c, "istio-system", "istiod-" + REVISION))
                .as(c + " istiod image").endsWith(":1.24.3-solo"));
    }

    @Test
    @Order(6)
    void aGlmTagPatchRollingOutWhileInstaller0StopsGracefullyEndsHealthyOnEveryClusterOnTheNewTag()
            throws Exception {
        String glm = FleetSpecs.naming(Files.readString(fleet.example("glm-ingress.yaml")), clusters)
                .replace("1.24.2-solo", "1.24.3-solo");
        assertThat(glm).as("the patched GLM").contains("1.24.3-solo").doesNotContain("1.24.2-solo");
        Instant applied = Instant.now();
        fleet.sandbox.apply(fleet.manifest("glm-200-patched.yaml", glm));
        // installer-0 is stopped once it is rolling out its own share of the patch.
        await("installer-0 starts rolling out the GLM patch").atMost(WAIT).until(() -> poll().stream()
                .anyMatch(e -> e.getSource().equals(INSTALLER_0) && !e.getState().equals("HEALTHY")
                        && e.getOwner().getKind().name().equals("GatewayLifecycleManager")
                        && !e.getTime().isBefore(applied)));
        boolean moving = !Settle.evaluate(fleet.sandbox.views()).done();
        fleet.sandbox.services().running("installer-service").process().stop(Duration.ofSeconds(30));
        System.err.println("FleetScaleOutE2E: GLM rollout still moving when installer-0 was stopped: " + moving);
        fleet.settle();

        LifecycleManagerStatus status = fleet.glmStatus(GLM);
        assertEveryClusterHealthy(status);
        assertEveryClusterHealthy(fleet.ilmStatus(ILM));
        assertThat(clusters).allSatisfy(c -> assertThat(image(c, "gloo-mesh-gateways", GLM + "-" + REVISION))
                .as(c + " gateway image").endsWith(":1.24.3-solo"));
    }

    @Test
    @Order(7)
    void everyClusterThatChangedOwnerHasItsNewOwnersEventsUnderAGreaterEpochAndTheStatusShowsItsLastState() {
        // Every installer event of each installation, in topic order (one owner: one partition of the events topic).
        Map<String, List<InstallationEvent>> byInstallation = await().atMost(WAIT).until(
                () -> eventsByInstallation(poll()),
                m -> m.keySet().containsAll(installations()) && installations().stream().allMatch(
                        i -> "HEALTHY".equals(last(lastOwnerEvents(m.get(i))).getState())
                                && !lastOwner(m.get(i)).equals(INSTALLER_0)));

        Map<String, String> handovers = new TreeMap<>();
        for (String installation : installations()) {
            List<InstallationEvent> seq = byInstallation.get(installation);
            for (String source : seq.stream().map(InstallationEvent::getSource).collect(Collectors.toCollection(
                    LinkedHashSet::new))) {
                int first = indexOfFirst(seq, source);
                List<InstallationEvent> before = seq.subList(0, first).stream()
                        .filter(e -> !e.getSource().equals(source)).toList();
                if (before.isEmpty()) {
                    continue;
                }
                long oldEpoch = before.stream().mapToLong(InstallationEvent::getSourceEpoch).max().orElseThrow();
                List<InstallationEvent> after = seq.stream().filter(e -> e.getSource().equals(source)).toList();
                handovers.merge(installation, before.get(before.size() - 1).getSource() + "->" + source,
                        (a, b) -> a + ", " + b);
                assertThat(after).as(installation + ": events of " + source + " after it took over from epoch "
                        + oldEpoch).isNotEmpty().allSatisfy(e -> assertThat(e.getSourceEpoch())
                                .as(installation + " " + e.getState() + " sequence " + e.getSequence())
                                .isGreaterThan(oldEpoch));
            }
        }
        System.err.println("FleetScaleOutE2E: " + handovers.size() + " installations changed owner");
        assertThat(handovers).as("installations that changed owner").isNotEmpty();
        assertThat(handovers.values()).as("handovers to installer-2").anyMatch(h -> h.contains("->" + INSTALLER_2));
        Set<String> installer0Had = byInstallation.entrySet().stream().filter(e -> e.getValue().stream()
                .anyMatch(ev -> ev.getSource().equals(INSTALLER_0))).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(installer0Had).as("installations installer-0 reconciled").isNotEmpty();
        assertThat(handovers).as("every installation of the stopped installer-0 went to another replica")
                .containsKeys(installer0Had.toArray(String[]::new));

        LifecycleManagerStatus ilm = fleet.ilmStatus(ILM);
        LifecycleManagerStatus glm = fleet.glmStatus(GLM);
        for (String installation : handovers.keySet()) {
            InstallationEvent newest = last(lastOwnerEvents(byInstallation.get(installation)));
            LifecycleManagerStatus status = installation.startsWith("IstioLifecycleManager") ? ilm : glm;
            assertThat(Fleet.installation(status, newest.getCluster(), newest.getRevision()).state())
                    .as(installation + ": the status shows the last state of its owner " + newest.getSource())
                    .isEqualTo(newest.getState());
        }

        // Through a replica joining and one leaving mid-rollout, no replica wrote to a cluster it no longer owned.
        FencingCheck.Result fencing = fleet.sandbox.fencing();
        System.err.println("FleetScaleOutE2E: " + fencing.line());
        assertThat(fencing.judged()).as("installer writes judged by the fencing audit").isGreaterThan(0);
        assertThat(fencing.stale()).as("writes by a replica to a cluster it no longer owned").isEmpty();
    }

    private static String image(String cluster, String namespace, String deployment) {
        return fleet.workload(cluster).apps().deployments().inNamespace(namespace).withName(deployment).get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** "Kind/cluster" of every installation of the two resources. */
    private static List<String> installations() {
        List<String> out = new ArrayList<>();
        clusters.forEach(c -> out.add("IstioLifecycleManager/" + c));
        clusters.forEach(c -> out.add("GatewayLifecycleManager/" + c));
        return out;
    }

    /** Applies a fleet spec and waits until settled; the most status writes any resource got per second (after its first). */
    private static double step(String file, String yaml) throws Exception {
        fleet.sandbox.api().resetStatusWrites();
        long start = System.nanoTime();
        fleet.applyAndSettle(file, yaml);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> writes = fleet.sandbox.api().statusWrites();
        System.err.println("FleetScaleOutE2E: " + file + " settled in " + String.format("%.1f", seconds)
                + " s; status writes " + writes);
        assertThat(writes).as("status writes counted at the API server").isNotEmpty();
        // The first write of a step is at once, each next one at least a coalescing window (500ms) after the
        // last: n writes span n - 1 windows, so the rate is (n - 1) / seconds.
        return (writes.values().stream().mapToLong(Long::longValue).max().orElseThrow() - 1) / seconds;
    }

    private static void assertEveryClusterHealthy(LifecycleManagerStatus status) {
        assertThat(status.clusters()).as("clusters in the status").containsOnlyKeys(clusters);
        Map<String, String> notHealthy = new TreeMap<>();
        status.clusters().forEach((cluster, s) -> {
            String state = s.installations().get(REVISION) == null ? null : s.installations().get(REVISION).state();
            if (!"HEALTHY".equals(state)) {
                notHealthy.put(cluster, state);
            }
        });
        assertThat(notHealthy).as("installations not HEALTHY").isEmpty();
    }

    private static Map<String, Set<String>> healthyClustersBySource(List<InstallationEvent> all) {
        Map<String, Set<String>> out = new TreeMap<>();
        all.stream().filter(e -> e.getState().equals("HEALTHY") && e.getSource().startsWith("installer/"))
                .forEach(e -> out.computeIfAbsent(e.getSource(), s -> new TreeSet<>()).add(e.getCluster()));
        return out;
    }

    private static Map<String, List<InstallationEvent>> eventsByInstallation(List<InstallationEvent> all) {
        Map<String, List<InstallationEvent>> out = new LinkedHashMap<>();
        all.stream().filter(e -> (e.getOwner().getName().equals(ILM) || e.getOwner().getName().equals(GLM))
                && e.getRevision().equals(REVISION) && e.getSource().startsWith("installer/"))
                .forEach(e -> out.computeIfAbsent(e.getOwner().getKind().name() + "/" + e.getCluster(),
                        c -> new ArrayList<>()).add(e));
        return out;
    }

    /** The replica whose events carry the greatest epoch: the cluster's owner now. */
    private static String lastOwner(List<InstallationEvent> seq) {
        InstallationEvent newest = seq.get(0);
        for (InstallationEvent e : seq) {
            if (e.getSourceEpoch() >= newest.getSourceEpoch()) {
                newest = e;
            }
        }
        return newest.getSource();
    }

    private static List<InstallationEvent> lastOwnerEvents(List<InstallationEvent> seq) {
        String owner = lastOwner(seq);
        return seq.stream().filter(e -> e.getSource().equals(owner)).toList();
    }

    private static InstallationEvent last(List<InstallationEvent> seq) {
        return seq.get(seq.size() - 1);
    }

    private static int indexOfFirst(List<InstallationEvent> seq, String source) {
        for (int i = 0; i < seq.size(); i++) {
            if (seq.get(i).getSource().equals(source)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event of " + source);
    }

    /** Every installation event so far, each partition in its order. */
    private static synchronized List<InstallationEvent> poll() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INSTALLATION_EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        for (int i = 0; i < 20; i++) {
            var records = consumer.poll(Duration.ofMillis(200));
            records.forEach(r -> events.add(r.value()));
            if (records.isEmpty()) {
                break;
            }
        }
        return List.copyOf(events);
    }
}
