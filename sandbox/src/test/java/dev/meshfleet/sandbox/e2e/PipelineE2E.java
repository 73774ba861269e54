package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.faults.FaultOutcome;
import dev.meshfleet.sandbox.faults.ProcessFault;
import dev.meshfleet.sandbox.status.InstallationRow;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.InstallationStatus;

/**
 * The seeds' examples through the whole pipeline, all services as processes, on cluster1 and cluster2.
 * One fleet for the class; the cases build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineE2E {

    /** What the first case leaves: the README's three examples, each HEALTHY on both clusters. */
    private static final List<String> README_EXAMPLES_HEALTHY = List.of(
            "istiod-control-plane cluster1 1-24 HEALTHY", "istiod-control-plane cluster2 1-24 HEALTHY",
            "istio-ingressgateway cluster1 1-24 HEALTHY", "istio-ingressgateway cluster2 1-24 HEALTHY",
            "istio-egressgateway cluster1 1-24 HEALTHY", "istio-egressgateway cluster2 1-24 HEALTHY");

    static Fleet fleet;

    /** "resource cluster revision STATE" for every installation of every resource but {@code except}. */
    private static List<String> states(List<ResourceView> views, String except) {
        return views.stream().filter(v -> !v.ref().name().equals(except))
                .flatMap(v -> v.installations().stream()
                        .map(r -> v.ref().name() + " " + r.cluster() + " " + r.revision() + " " + r.state()))
                .toList();
    }

    /** Where the services send their spans: tracing is on in this fleet (it is off by default). */
    static OtlpReceiver traces;

    @BeforeAll
    static void startFleet() throws Exception {
        traces = new OtlpReceiver();
        fleet = Fleet.start(SandboxOptions.defaults(SandboxOptions.Mode.RUN, List.of("cluster1", "cluster2"))
                .withResync(Fleet.RESYNC, Fleet.RESYNC).withOtlpEndpoint(traces.endpoint()));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    @Test
    @Order(1)
    void theReadmeExamplesEndHealthyOnBothClustersWithTheSeedsStatusShape() throws Exception {
        fleet.applyAndSettle(fleet.example("ilm-minimal.yaml"));
        fleet.applyAndSettle(fleet.example("glm-ingress.yaml"));
        Settle.Progress last = fleet.applyAndSettle(fleet.example("glm-egress.yaml"));

        assertThat(last.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        for (LifecycleManagerStatus status : List.of(fleet.ilmStatus("istiod-control-plane"),
                fleet.glmStatus("istio-ingressgateway"), fleet.glmStatus("istio-egressgateway"))) {
            for (String cluster : List.of("cluster1", "cluster2")) {
                InstallationStatus i = Fleet.installation(status, cluster, "1-24");
                assertThat(i.state()).isEqualTo("HEALTHY");
                assertThat(i.observedRevision()).isEqualTo("1-24");
                assertThat(i.observedOperator()).as("observedOperator").isNotNull();
                assertThat(i.observedOperator().isObject()).isTrue();
            }
        }
        assertThat(fleet.ilmStatus("istiod-control-plane").summary().healthy()).isEqualTo("2/2");

        // The installer's readiness says where it stands: every partition read and its lease held, both clusters owned.
        String ready = fleet.sandbox.services().readiness("installer-service");
        assertThat(ready).startsWith("HTTP 200 ");
        JsonNode installer = null;
        for (JsonNode check : new ObjectMapper().readTree(ready.substring("HTTP 200 ".length())).path("checks")) {
            if (check.path("name").asText().equals("installer")) {
                installer = check.path("data");
            }
        }
        assertThat(installer).as(ready).isNotNull();
        assertThat(installer.path("partitions").asLong()).as(ready).isPositive();
        assertThat(installer.path("leases-held").asLong()).as(ready).isEqualTo(installer.path("partitions").asLong());
        assertThat(installer.path("partitions-waiting").asLong()).as(ready).isZero();
        assertThat(installer.path("clusters-owned").asLong()).as(ready).isEqualTo(2);
        assertThat(installer.path("clusters-registered").asLong()).as(ready).isEqualTo(2);
        assertThat(fleet.sandbox.api().client("cluster1").apps().deployments().inAnyNamespace().list().getItems())
                .extracting(d -> d.getMetadata().getName()).anyMatch(n -> n.startsWith("istiod"));
    }

    /**
     * The ILM applied by the first case, followed as one trace: the intake's publish of its UPSERT is the root, and
     * the translator, the installer (both clusters reported HEALTHY) and the aggregator (the fold, the status write)
     * add their spans to it, each hop's context carried in the Kafka records' traceparent header.
     */
    @Test
    @Order(2)
    void oneSpecChangeIsOneTraceFromTheIntakeThroughTheTranslatorAndTheInstallerToTheStatusWrite() {
        String owner = "IstioLifecycleManager/gloo-mesh/istiod-control-plane";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<OtlpReceiver.ReceivedSpan> all = traces.spans();
            OtlpReceiver.ReceivedSpan root = all.stream().filter(s -> s.name().equals("spec-change UPSERT")
                    && owner.equals(s.attributes().get("meshfleet.owner"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no span 'spec-change UPSERT' of " + owner + " among "
                            + all.size() + " spans: " + all.stream().map(s -> s.service() + ":" + s.name()).distinct()
                                    .toList()));
            assertThat(root.parentSpanId()).as("the root's parent").isEmpty();
            assertThat(root.service()).isEqualTo("spec-intake");
            List<OtlpReceiver.ReceivedSpan> trace = all.stream().filter(s -> s.traceId().equals(root.traceId())).toList();
            assertThat(trace).extracting(OtlpReceiver.ReceivedSpan::service)
                    .contains("spec-intake", "translator-service", "installer-service", "status-aggregator");
            assertThat(trace).extracting(OtlpReceiver.ReceivedSpan::name).contains("spec-change UPSERT", "translate",
                    "claims", "install-plans read", "report HEALTHY", "fold", "status write");
            assertThat(trace).filteredOn(s -> s.name().equals("report HEALTHY"))
                    .extracting(s -> s.attributes().get("meshfleet.cluster")).contains("cluster1", "cluster2");
            // One tree: every span but the root has its parent in the same trace.
            List<String> ids = trace.stream().map(OtlpReceiver.ReceivedSpan::spanId).toList();
            assertThat(trace.stream().filter(s -> s != root && !ids.contains(s.parentSpanId()))
                    .map(s -> s.service() + ":" + s.name()).toList()).as("spans whose parent is not in the trace")
                    .isEmpty();
        });
    }

    @Test
    @Order(3)
    void aSixtyFourCharacterRevisionEndsFailedNamingRevisionWhileTheOthersStayHealthy() throws Exception {
        String revision = "r".repeat(64);
        fleet.applyAndSettle(fleet.manifest("long-revision.yaml", """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: long-revision
                  namespace: gloo-mesh
                spec:
                  installations:
                    - revision: %s
                      clusters:
                        - name: cluster1
                      istioOperatorSpec:
                        profile: minimal
                        hub: registry.example/istio
                        tag: 1.24.2-solo
                """.formatted(revision)));

        List<ResourceView> views = fleet.sandbox.views();
        List<InstallationRow> failed = views.stream().filter(v -> v.ref().name().equals("long-revision"))
                .flatMap(v -> v.installations().stream()).toList();
        assertThat(failed).as(Rendering.table(views)).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo("cluster1");
            assertThat(r.revision()).isEqualTo(revision);
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.message()).contains("revision");
        });
        assertThat(states(views, "long-revision")).as(Rendering.table(views))
                .containsExactlyInAnyOrderElementsOf(README_EXAMPLES_HEALTHY);
    }

    @Test
    @Order(4)
    void everyInstallationStillEndsHealthyWhenTheInstallerIsKilledMidRollout() throws Exception {
        fleet.sandbox.apply(fleet.manifest("canary.yaml", canary("istiod-canary", "1-24-canary")));
        // INSTALLING_* means the installer has started applying: workloads take --ready-after (1s) to become
        // ready, so the state is visible for at least that long.
        await("the canary rollout starts").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> fleet.sandbox.views().stream().filter(v -> v.ref().name().equals("istiod-canary"))
                        .flatMap(v -> v.installations().stream()).anyMatch(r -> r.state() != null
                                && r.state().startsWith("INSTALLING")));
        long killed = fleet.sandbox.services().running("installer-service").process().pid();
        fleet.sandbox.services().kill("installer-service");
        assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        fleet.sandbox.services().start("installer-service");
        fleet.sandbox.services().awaitReady("installer-service", Duration.ofMinutes(2));
        Settle.Progress p = fleet.settle();

        var canary = fleet.ilmStatus("istiod-canary");
        for (String cluster : List.of("cluster1", "cluster2")) {
            assertThat(Fleet.installation(canary, cluster, "1-24-canary").state()).isEqualTo("HEALTHY");
        }
        List<ResourceView> views = fleet.sandbox.views();
        List<String> expected = new ArrayList<>(README_EXAMPLES_HEALTHY);
        expected.addAll(List.of("istiod-canary cluster1 1-24-canary HEALTHY", "istiod-canary cluster2 1-24-canary HEALTHY"));
        assertThat(states(views, "long-revision")).as(Rendering.table(views)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(p.done()).isTrue();
        assertThat(RepoLayout.SERVICES).as("the services").isNotEmpty();
        for (String service : RepoLayout.SERVICES) {
            assertThat(fleet.sandbox.services().running(service).process().isAlive()).as(service + " alive").isTrue();
        }
    }

    /**
     * The installer SIGKILLed in the middle of a rollout, then the broker in the middle of the next, each started
     * again 2s later as the sandbox's --kill does: the installer resumes its clusters (its first event) within 10s
     * of its restart, taking its place in the group back at once instead of waiting out its dead predecessor's
     * session; the broker's restart is ridden out with no service restarting; every installation ends HEALTHY.
     */
    @Test
    @Order(5)
    void theFleetConvergesWhenTheInstallerAndThenTheBrokerAreKilledMidRollout() throws Exception {
        Duration restartAfter = Duration.ofSeconds(2);
        fleet.sandbox.apply(fleet.manifest("canary2.yaml", canary("istiod-canary2", "1-24-canary2")));
        fleet.sandbox.startFaults(List.of(
                new ProcessFault.Kill("installer-service", List.of("installer-service"), Duration.ZERO, restartAfter)));
        List<FaultOutcome> installerKilled = fleet.sandbox.awaitFaults(Duration.ofMinutes(3));
        assertThat(installerKilled).as("the installer's kill played").singleElement()
                .satisfies(o -> assertThat(((FaultOutcome.Killed) o).ready()).as("installer back").isNotNull());
        FaultOutcome.Killed installer = (FaultOutcome.Killed) installerKilled.get(0);
        fleet.settle();
        java.time.Instant resumed = fleet.sandbox.firstInstallerEvent("installer-service", installer.restarted())
                .orElseThrow(() -> new AssertionError("no installation event from installer-0 since its restart"));
        assertThat(Duration.between(installer.restarted(), resumed)).as("from the installer's restart to its first event")
                .isLessThanOrEqualTo(Duration.ofSeconds(10));

        Map<String, Long> pids = new java.util.HashMap<>();
        for (String service : RepoLayout.SERVICES) {
            pids.put(service, fleet.sandbox.services().running(service).process().pid());
        }
        fleet.sandbox.apply(fleet.manifest("canary3.yaml", canary("istiod-canary3", "1-24-canary3")));
        fleet.sandbox.startFaults(List.of(new ProcessFault.Kill("kafka", List.of("kafka"), Duration.ZERO, restartAfter)));
        List<FaultOutcome> brokerKilled = fleet.sandbox.awaitFaults(Duration.ofMinutes(3));
        assertThat(brokerKilled).as("the broker's kill played").singleElement()
                .satisfies(o -> assertThat(((FaultOutcome.Killed) o).ready()).as("broker back").isNotNull());
        Settle.Progress p = fleet.settle();

        List<ResourceView> views = fleet.sandbox.views();
        assertThat(p.done()).isTrue();
        List<String> expected = new ArrayList<>(README_EXAMPLES_HEALTHY);
        expected.addAll(List.of("istiod-canary cluster1 1-24-canary HEALTHY", "istiod-canary cluster2 1-24-canary HEALTHY",
                "istiod-canary2 cluster1 1-24-canary2 HEALTHY", "istiod-canary2 cluster2 1-24-canary2 HEALTHY",
                "istiod-canary3 cluster1 1-24-canary3 HEALTHY", "istiod-canary3 cluster2 1-24-canary3 HEALTHY"));
        assertThat(states(views, "long-revision")).as(Rendering.table(views)).containsExactlyInAnyOrderElementsOf(expected);
        pids.forEach((service, pid) -> {
            assertThat(fleet.sandbox.services().running(service).process().pid())
                    .as(service + " rode the broker's restart out in the same process").isEqualTo(pid);
            assertThat(fleet.sandbox.services().running(service).process().isAlive()).as(service + " alive").isTrue();
        });
        List<FaultOutcome> all = new ArrayList<>(installerKilled);
        all.addAll(brokerKilled);
        fleet.sandbox.faultReport(all).forEach(System.err::println);
    }

    /** An ILM installing {@code revision} with the minimal profile on cluster1 and cluster2. */
    private static String canary(String name, String revision) {
        return Specs.ilm(name, Specs.minimal(revision, Specs.TAG, "- name: cluster1\n- name: cluster2", ""));
    }
}
