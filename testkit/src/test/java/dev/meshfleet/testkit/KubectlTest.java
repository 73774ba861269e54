package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.testkit.Kubectl.Result;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The real kubectl (/usr/bin/kubectl, v1.32) against the mock API server, as people use the sandbox. */
class KubectlTest {

    static final Path EXAMPLE = Path.of("..", "examples", "ilm-minimal.yaml");
    static MockApiServer server;
    static WorkloadSimulator sim;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        server = MockApiServer.start();
        sim = WorkloadSimulator.start(server, List.of("w1"), Duration.ofMillis(100));
        MockApiServerTest.installCrd(server.client(), "crds/istiolifecyclemanagers.yaml");
        server.client().resource(new NamespaceBuilder().withNewMetadata().withName("gloo-mesh").endMetadata().build())
                .create();
        server.client().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
                .create();
        GenericKubernetesResource ilm = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("team").resource(MockApiServerTest.ilm("team", "fleet")).create();
        ilm.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                "summary", Map.of("state", "HEALTHY", "healthy", "2/2"),
                "clusters", Map.of("cluster1", Map.of("installations", Map.of("1-24", Map.of("state", "HEALTHY"))))));
        server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team").resource(ilm).updateStatus();
    }

    @AfterAll
    static void stop() {
        sim.close();
        server.close();
    }

    static Result kubectl(String kubeconfig, String... args) throws Exception {
        return new Kubectl(home).run(kubeconfig, args);
    }

    /** kubectl against the management cluster, run while the test goes on. */
    static java.util.concurrent.CompletableFuture<Result> inBackground(String... args) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return kubectl(server.kubeconfig(), args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void kubectlWaitWatchesTheOneResourceByItsFieldSelectorAndReturnsOnceItsStateHolds() throws Exception {
        // kubectl wait lists and then watches with fieldSelector=metadata.name=<name>, as Kubernetes serves it.
        GenericKubernetesResource ilm = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("team").resource(MockApiServerTest.ilm("team", "waited")).create();
        var waiting = inBackground("wait", "-n", "team", "--for=jsonpath={.status.summary.state}=HEALTHY", "ilm/waited",
                "--timeout=40s");
        Thread.sleep(2_000); // kubectl has listed and watches: the state is not there yet
        assertThat(waiting).isNotDone();
        ilm.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                "summary", Map.of("state", "HEALTHY", "healthy", "1/1")));
        server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team").resource(ilm).updateStatus();
        Result r = waiting.get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("istiolifecyclemanager.admin.gloo.solo.io/waited condition met");
    }

    @Test
    void kubectlWaitForConditionReadyReturnsOnceTheStatusCarriesIt() throws Exception {
        // The CRD declares status.conditions: without it the API server prunes them and kubectl waits in vain.
        GenericKubernetesResource ilm = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("team").resource(MockApiServerTest.ilm("team", "ready")).create();
        var waiting = inBackground("wait", "-n", "team", "--for=condition=Ready", "ilm/ready", "--timeout=40s");
        Thread.sleep(2_000); // kubectl has listed and watches: no condition yet
        assertThat(waiting).isNotDone();
        ilm.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                "summary", Map.of("state", "HEALTHY", "healthy", "1/1"),
                "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "Healthy",
                        "message", "1 of 1 installation HEALTHY", "observedGeneration", 1,
                        "lastTransitionTime", "2026-11-30T08:00:00Z"))));
        server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team").resource(ilm).updateStatus();
        Result r = waiting.get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("istiolifecyclemanager.admin.gloo.solo.io/ready condition met");
        // Its watch is a plain GET with a chunked answer, served as Kubernetes serves it: no watch error on the way.
        assertThat(r.err()).isEmpty();
    }

    @Test
    void kubectlGetWatchPrintsTheListThenEachChangeAsItHappensWithoutAWatchError() throws Exception {
        server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("watched")
                .resource(MockApiServerTest.ilm("watched", "first")).create();
        Kubectl.Running watching = new Kubectl(home).start(server.kubeconfig(), "get", "ilm", "-n", "watched", "-w");
        Result r;
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> watching.out().contains("first"));
            server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("watched")
                    .resource(MockApiServerTest.ilm("watched", "second")).create();
            server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("watched").withName("first")
                    .delete();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> watching.out().lines().filter(l -> l.startsWith("first")).count() == 2
                            || !watching.err().isEmpty() || !watching.process().isAlive());
        } finally {
            r = watching.stop();
        }

        assertThat(r.err()).isEmpty();
        // The list (header once, the one ILM), then the watch: the new ILM, and the deleted one's last row. No ILM is
        // printed again on its own: the watch starts from the list's resourceVersion.
        assertThat(r.out().lines().map(l -> l.split("\\s+")[0]).toList())
                .containsExactly("NAME", "first", "second", "first");
    }

    @Test
    void kubectlDescribeIlmListsTheEventsOfThatResourceOnlyWithTheirCounts() throws Exception {
        GenericKubernetesResource ilm = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("team").resource(MockApiServerTest.ilm("team", "described")).create();
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (String[] e : new String[][] {
                {"described.a", "described", ilm.getMetadata().getUid(), "Healthy", "1000 installations -> HEALTHY: cluster0/1-24"},
                {"other.b", "fleet", "uid-of-another", "Unhealthy", "an Event of another resource"}}) {
            server.client().v1().events().inNamespace("team").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata().withName(e[0]).endMetadata()
                    .withNewInvolvedObject().withApiVersion("admin.gloo.solo.io/v2").withKind("IstioLifecycleManager")
                    .withNamespace("team").withName(e[1]).withUid(e[2]).endInvolvedObject()
                    .withReason(e[3]).withMessage(e[4]).withType("Normal").withCount(1000)
                    .withFirstTimestamp(now.minusSeconds(120).toString()).withLastTimestamp(now.minusSeconds(10).toString())
                    .withNewSource().withComponent("meshfleet-status-aggregator").endSource().build()).create();
        }

        Result r = kubectl(server.kubeconfig(), "describe", "ilm", "-n", "team", "described");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Name:         described").containsPattern(
                "Events:\\s+Type\\s+Reason\\s+Age\\s+From\\s+Message\\s+-+.*\\s+Normal\\s+Healthy\\s+\\d+s \\(x1000 over 2m(\\d+s)?\\)"
                        + "\\s+meshfleet-status-aggregator\\s+1000 installations -> HEALTHY: cluster0/1-24")
                .doesNotContain("an Event of another resource");
    }

    @Test
    void aFieldSelectorOnAFieldEventsDoNotHaveIsRefusedAsKubernetesDoes() throws Exception {
        Result r = kubectl(server.kubeconfig(), "get", "events", "-n", "team", "--field-selector", "spec.replicas=1");

        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("field label not supported: spec.replicas");
    }

    @Test
    void kubectlGetIlmInAllNamespacesShowsTheStateAndHealthyColumns() throws Exception {
        Result r = kubectl(server.kubeconfig(), "get", "ilm", "-A");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("NAMESPACE\\s+NAME\\s+STATE\\s+HEALTHY\\s+AGE")
                .containsPattern("team\\s+fleet\\s+HEALTHY\\s+2/2\\s+\\d+[smhd]");
    }

    @Test
    void kubectlGetIlmAsYamlShowsTheStatus() throws Exception {
        Result r = kubectl(server.kubeconfig(), "get", "ilm", "-A", "-o", "yaml");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("kind: IstioLifecycleManager").contains("state: HEALTHY").contains("healthy: 2/2")
                .contains("observedGeneration: 1");
    }

    @Test
    void kubectlApplyWithValidationCreatesTheExampleIlmAndThenAppliesAChangeToIt() throws Exception {
        Result created = kubectl(server.kubeconfig(), "apply", "-f", EXAMPLE.toString());
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(created.out()).contains("istiod-control-plane created");

        Path changed = home.resolve("ilm-changed.yaml");
        Files.writeString(changed, Files.readString(EXAMPLE).replace("tag: 1.24.2-solo", "tag: 1.24.3-solo"));
        Result configured = kubectl(server.kubeconfig(), "apply", "-f", changed.toString());
        assertThat(configured.exit()).as(configured.all()).isZero();
        assertThat(configured.out()).contains("istiod-control-plane configured");

        GenericKubernetesResource live = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("gloo-mesh").withName("istiod-control-plane").get();
        assertThat(live.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(live.toString()).contains("1.24.3-solo");
        // kubectl's merge patch carries the whole changed list, which replaces the stored one (RFC 7386).
        @SuppressWarnings("unchecked")
        List<Object> installations = (List<Object>) ((Map<String, Object>) live.getAdditionalProperties().get("spec"))
                .get("installations");
        assertThat(installations).hasSize(1);
        assertThat(installations.toString()).doesNotContain("1.24.2-solo");
    }

    @Test
    void kubectlApplyOfATypeErrorIsRefusedByTheServerWithTheFieldNamed() throws Exception {
        Path bad = home.resolve("ilm-bad.yaml");
        Files.writeString(bad, """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: typo
                  namespace: team
                spec:
                  installations:
                    - revision: 124
                      clusters: [{name: cluster1}]
                """);

        Result r = kubectl(server.kubeconfig(), "apply", "-f", bad.toString());

        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("The IstioLifecycleManager \"typo\" is invalid: "
                + "spec.installations[0].revision: Invalid value: \"integer\": spec.installations[0].revision "
                + "in body must be of type string: \"integer\"");
        assertThat(server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team").withName("typo")
                .get()).isNull();
    }

    @Test
    void kubectlApplyOfAnUnknownFieldIsRefusedAsStrictFieldValidationDoes() throws Exception {
        Path misspelled = home.resolve("ilm-misspelled.yaml");
        Files.writeString(misspelled, """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: misspelled
                  namespace: team
                spec:
                  installations:
                    - revison: 1-24
                      clusters: [{name: cluster1}]
                """);

        Result r = kubectl(server.kubeconfig(), "apply", "-f", misspelled.toString());

        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("IstioLifecycleManager in version \"v2\" cannot be handled as a IstioLifecycleManager: "
                + "strict decoding error: unknown field \"spec.installations[0].revison\"");
        assertThat(server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("team")
                .withName("misspelled").get()).isNull();
    }

    @Test
    void kubectlServerSideApplyRecordsKubectlAsTheApplyManager() throws Exception {
        Path manifest = home.resolve("cm.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: ssa
                  namespace: default
                data:
                  k: v
                """);
        Result r = kubectl(server.kubeconfig("w2"), "apply", "--server-side", "-f", manifest.toString());

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("serverside-applied");
        assertThat(server.client("w2").configMaps().inNamespace("default").withName("ssa").get().getMetadata()
                .getManagedFields()).anySatisfy(e -> {
                    assertThat(e.getManager()).isEqualTo("kubectl");
                    assertThat(e.getOperation()).isEqualTo("Apply");
                });
    }

    @Test
    void kubectlGetDeploymentsAndServicesOfAWorkloadClusterShowsReadyReplicas() throws Exception {
        KubernetesClient w1 = server.client("w1");
        w1.resource(new NamespaceBuilder().withNewMetadata().withName("istio-system").endMetadata().build()).create();
        w1.apps().deployments().inNamespace("istio-system").resource(WorkloadSimulatorTest.deployment("istiod", 2)).create();
        w1.services().inNamespace("istio-system").resource(new ServiceBuilder().withNewMetadata().withName("istiod")
                .withNamespace("istio-system").endMetadata().withNewSpec().addToSelector("app", "istiod").addNewPort()
                .withPort(15012).endPort().endSpec().build()).create();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> WorkloadSimulatorTest
                .ready(w1.apps().deployments().inNamespace("istio-system").withName("istiod").get()));

        Result r = kubectl(server.kubeconfig("w1"), "get", "deploy,svc", "-A");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("istio-system\\s+deployment.apps/istiod\\s+2/2")
                .containsPattern("istio-system\\s+service/istiod");
        assertThat(kubectl(server.kubeconfig(), "get", "deploy", "-A").all()).contains("No resources found");
    }
}
