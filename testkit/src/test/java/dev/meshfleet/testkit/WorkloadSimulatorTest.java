package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.KubernetesClientException;

class WorkloadSimulatorTest {

    static final Duration READY_AFTER = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(10);
    static MockApiServer server;
    WorkloadSimulator sim;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withNamespace("istio-system").withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage("img:1").endContainer().endSpec().endTemplate().endSpec()
                .build();
    }

    static Deployment apply(KubernetesClient client, Deployment d) {
        return client.apps().deployments().inNamespace("istio-system").resource(d).fieldManager("installer")
                .serverSideApply();
    }

    static Deployment live(KubernetesClient client, String name) {
        return client.apps().deployments().inNamespace("istio-system").withName(name).get();
    }

    static boolean ready(Deployment d) {
        return d != null && d.getStatus() != null
                && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                && d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas())
                && d.getSpec().getReplicas().equals(d.getStatus().getAvailableReplicas())
                && d.getSpec().getReplicas().equals(d.getStatus().getUpdatedReplicas());
    }

    @Test
    void aDeploymentIsNotReadyAtOnceAndReadyWithAllReplicasAfterReadyAfter() {
        sim = WorkloadSimulator.start(server, List.of("healthy"), READY_AFTER);
        KubernetesClient client = server.client("healthy");
        long applied = System.nanoTime();
        assertThat(ready(apply(client, deployment("istiod", 2)))).isFalse();

        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
        assertThat(Duration.ofNanos(System.nanoTime() - applied)).isGreaterThanOrEqualTo(READY_AFTER);
        assertThat(live(client, "istiod").getStatus().getReadyReplicas()).isEqualTo(2);
    }

    @Test
    void aSpecChangeIsObservedAgainOnlyAfterReadyAfter() {
        sim = WorkloadSimulator.start(server, List.of("changing"), READY_AFTER);
        KubernetesClient client = server.client("changing");
        apply(client, deployment("istiod", 1));
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));

        Deployment scaled = apply(client, deployment("istiod", 3));
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(ready(scaled)).isFalse();
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
        assertThat(live(client, "istiod").getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aDaemonSetBecomesReadyWithOneScheduledReadyPod() {
        sim = WorkloadSimulator.start(server, List.of("ds"), READY_AFTER);
        KubernetesClient client = server.client("ds");
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withNamespace("kube-system").withName("ztunnel").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "ztunnel").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ztunnel").endMetadata().withNewSpec()
                .addNewContainer().withName("z").withImage("z:1").endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().daemonSets().inNamespace("kube-system").resource(ds).create();

        await().atMost(WAIT).untilAsserted(() -> {
            DaemonSet live = client.apps().daemonSets().inNamespace("kube-system").withName("ztunnel").get();
            assertThat(live.getStatus()).isNotNull();
            assertThat(live.getStatus().getObservedGeneration()).isEqualTo(1L);
            assertThat(live.getStatus().getDesiredNumberScheduled()).isEqualTo(1);
            assertThat(live.getStatus().getNumberReady()).isEqualTo(1);
            assertThat(live.getStatus().getNumberAvailable()).isEqualTo(1);
            assertThat(live.getStatus().getUpdatedNumberScheduled()).isEqualTo(1);
        });
    }

    @Test
    void aDaemonSetUpdateRollsOneNodeAtATimeWhileTheOldPodsServeOnTheOthers() {
        sim = WorkloadSimulator.start(server, List.of("rolling"), READY_AFTER).setNodes(3);
        KubernetesClient client = server.client("rolling");
        var daemonSets = client.apps().daemonSets().inNamespace("kube-system");
        daemonSets.resource(daemonSet("z:1")).fieldManager("installer").serverSideApply();
        await().atMost(WAIT).until(() -> {
            var status = daemonSets.withName("ztunnel").get().getStatus();
            return status != null && Integer.valueOf(3).equals(status.getNumberAvailable());
        });

        daemonSets.resource(daemonSet("z:2")).fieldManager("installer").forceConflicts().serverSideApply();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            var status = daemonSets.withName("ztunnel").get().getStatus();
            if (status != null && status.getObservedGeneration() == 2L) {
                String step = status.getUpdatedNumberScheduled() + "/" + status.getDesiredNumberScheduled()
                        + " updated, " + status.getNumberAvailable() + " available";
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(step)) {
                    seen.add(step);
                }
            }
            return seen.contains("3/3 updated, 3 available");
        });
        assertThat(seen).containsExactly("1/3 updated, 3 available", "2/3 updated, 3 available",
                "3/3 updated, 3 available");
    }

    @Test
    void aDaemonSetRolloutHeldBackAndReleasedGoesOnFromTheNodesItRolledNeverBackToTheFirst() {
        sim = WorkloadSimulator.start(server, List.of("held"), Duration.ofMillis(100)).setNodes(10);
        KubernetesClient client = server.client("held");
        var daemonSets = client.apps().daemonSets().inNamespace("kube-system");
        daemonSets.resource(daemonSet("z:1")).fieldManager("installer").serverSideApply();
        await().atMost(WAIT).until(() -> {
            var status = daemonSets.withName("ztunnel").get().getStatus();
            return status != null && Integer.valueOf(10).equals(status.getNumberAvailable());
        });
        List<Integer> updated = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<ClusterStore.Change> record = change -> {
            if (change.after() != null && change.path().contains("/daemonsets/ztunnel")) {
                var status = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(change.after(), DaemonSet.class)
                        .getStatus();
                if (status != null && Long.valueOf(2).equals(status.getObservedGeneration())) {
                    updated.add(status.getUpdatedNumberScheduled());
                }
            }
        };
        server.store("held").addListener(record);
        try {
            daemonSets.resource(daemonSet("z:2")).fieldManager("installer").forceConflicts().serverSideApply();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> !updated.isEmpty() && updated.get(
                    updated.size() - 1) >= 3);
            // Held back, then released at once and again: two rescans, each of which used to start a rollout of its own.
            sim.setFaults("held", List.of(new Fault.NeverReady()));
            sim.setFaults("held", List.of());
            sim.setFaults("held", List.of(new Fault.NeverReady()));
            sim.setFaults("held", List.of());
            await().atMost(WAIT).until(() -> updated.contains(10));
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.store("held").removeListener(record);
        }
        assertThat(updated).as("nodes running the new pod, as each status write said").isSorted().endsWith(10);
    }

    static DaemonSet daemonSet(String image) {
        return new DaemonSetBuilder().withNewMetadata().withNamespace("kube-system").withName("ztunnel").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "ztunnel").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ztunnel").endMetadata().withNewSpec()
                .addNewContainer().withName("z").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void workloadsThatExistedBeforeTheClusterWasAddedAreMadeReady() {
        KubernetesClient client = server.client("late");
        apply(client, deployment("istiod", 1));
        sim = WorkloadSimulator.start(server, Map.of("late", List.of()), READY_AFTER);

        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
    }

    @Test
    void aNeverReadyClusterKeepsWorkloadsUnreadyUntilTheFaultIsCleared() {
        sim = WorkloadSimulator.start(server, Map.of("stuck", List.of(new Fault.NeverReady())), READY_AFTER);
        KubernetesClient client = server.client("stuck");
        apply(client, deployment("istiod", 1));

        await().during(READY_AFTER.multipliedBy(3)).atMost(WAIT).until(() -> !ready(live(client, "istiod")));

        sim.setFaults("stuck", List.of());
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
    }

    @Test
    void aWorkloadWhoseInjectorCallsAnAddressWhereNoIstiodAnswersGetsNoPodUntilAnExternalIstiodServesIt() {
        sim = WorkloadSimulator.start(server, List.of("remote-a", "external-a"), READY_AFTER);
        KubernetesClient remote = server.client("remote-a");
        KubernetesClient external = server.client("external-a");
        String host = "istiod.external-a.example.com";
        remote.resource(new NamespaceBuilder().withNewMetadata().withName("istio-ingress")
                .addToLabels("istio-injection", "enabled").endMetadata().build()).create();
        remote.resource(new MutatingWebhookConfigurationBuilder().withNewMetadata()
                .withName("istio-sidecar-injector-external-istiod").endMetadata().addNewWebhook()
                .withName("namespace.sidecar-injector.istio.io").withNewClientConfig()
                .withUrl("https://" + host + ":15017/inject/cluster/remote-a/net/network1").endClientConfig()
                .addNewRule().withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods")
                .endRule().withNewNamespaceSelector().addToMatchLabels("istio-injection", "enabled")
                .endNamespaceSelector().withFailurePolicy("Fail").withSideEffects("None")
                .withAdmissionReviewVersions("v1").endWebhook().build()).create();
        Deployment gateway = deployment("istio-ingressgateway", 1);
        gateway.getMetadata().setNamespace("istio-ingress");
        remote.apps().deployments().inNamespace("istio-ingress").resource(gateway).fieldManager("installer")
                .serverSideApply();
        var gatewayInRemote = remote.apps().deployments().inNamespace("istio-ingress").withName("istio-ingressgateway");

        await().atMost(WAIT).until(() -> gatewayInRemote.get().getStatus() != null
                && gatewayInRemote.get().getStatus().getObservedGeneration() != null);
        await().during(READY_AFTER.multipliedBy(3)).atMost(WAIT).until(() -> !ready(gatewayInRemote.get()));
        var failure = gatewayInRemote.get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("ReplicaFailure")).findFirst().orElseThrow();
        assertThat(failure.getReason()).isEqualTo("FailedCreate");
        assertThat(failure.getMessage()).contains("namespace.sidecar-injector.istio.io", host);

        // The external cluster routes the host to a ready istiod: the remote's pods are admitted.
        apply(external, deployment("istiod", 1));
        await().atMost(WAIT).until(() -> ready(live(external, "istiod")));
        external.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("networking.istio.io")
                .withVersion("v1").withKind("Gateway").withPlural("gateways").withNamespaced(true).build())
                .inNamespace("istio-system").resource(new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1")
                .withKind("Gateway").withNewMetadata().withNamespace("istio-system").withName("external-istiod-gw")
                .endMetadata().addToAdditionalProperties("spec", Map.of("servers", List.of(Map.of("port",
                        Map.of("number", 15017, "name", "https-webhook", "protocol", "HTTPS"), "hosts",
                        List.of(host))))).build()).create();
        await().atMost(WAIT).until(() -> ready(gatewayInRemote.get()));
    }

    @Test
    void aCrashAfterReadyClusterLosesItsReadyReplicasAfterBeingReady() {
        sim = WorkloadSimulator.start(server, Map.of("crashy", List.of(new Fault.CrashAfterReady())), READY_AFTER);
        KubernetesClient client = server.client("crashy");
        apply(client, deployment("istiod", 2));

        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
        await().atMost(WAIT).until(() -> live(client, "istiod").getStatus().getReadyReplicas() == 0);
        await().during(READY_AFTER.multipliedBy(2)).atMost(WAIT)
                .until(() -> live(client, "istiod").getStatus().getReadyReplicas() == 0);
        assertThat(live(client, "istiod").getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void anUnmanagedIstioClusterStartsWithAReadyIstiodWithoutTheManagedByLabel() {
        sim = WorkloadSimulator.start(server, Map.of("foreign", List.of(new Fault.UnmanagedIstio())), READY_AFTER);
        KubernetesClient client = server.client("foreign");

        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
        Deployment istiod = live(client, "istiod");
        assertThat(istiod.getMetadata().getLabels()).containsEntry("app", "istiod")
                .containsEntry("istio.io/rev", "default").doesNotContainKey("app.kubernetes.io/managed-by");
        assertThat(client.namespaces().withName("istio-system").get()).isNotNull();
    }

    @Test
    void apiFaultsSetThroughTheSimulatorActOnTheServer() {
        sim = WorkloadSimulator.start(server, Map.of("flaky", List.of(new Fault.Unreachable())), READY_AFTER);

        assertThatThrownBy(() -> server.client("flaky").apps().deployments().inNamespace("istio-system").list())
                .isInstanceOf(KubernetesClientException.class);
        sim.setFaults("flaky", List.of());
        assertThat(server.client("flaky").apps().deployments().inNamespace("istio-system").list().getItems()).isEmpty();
    }

    @Test
    void crashAfterReadySetAtRunTimeCrashesReadyWorkloadsAndClearingItMakesThemReadyAgain() {
        sim = WorkloadSimulator.start(server, List.of("relapse"), READY_AFTER);
        KubernetesClient client = server.client("relapse");
        apply(client, deployment("istiod", 2));
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));

        sim.setFaults("relapse", List.of(new Fault.CrashAfterReady()));
        await().atMost(WAIT).until(() -> live(client, "istiod").getStatus().getReadyReplicas() == 0);
        await().during(READY_AFTER.multipliedBy(2)).atMost(WAIT)
                .until(() -> live(client, "istiod").getStatus().getReadyReplicas() == 0);

        sim.setFaults("relapse", List.of());
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
        await().during(READY_AFTER.multipliedBy(2)).atMost(WAIT).until(() -> ready(live(client, "istiod")));
        assertThat(live(client, "istiod").getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void aCrashAfterReadyFaultClearedBeforeTheCrashIsDueLeavesTheWorkloadReady() {
        Duration slowCrash = Duration.ofSeconds(2);
        sim = WorkloadSimulator.start(server, Map.of("reprieve", List.of()), slowCrash);
        KubernetesClient client = server.client("reprieve");
        apply(client, deployment("istiod", 1));
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));

        sim.setFaults("reprieve", List.of(new Fault.CrashAfterReady()));
        sim.setFaults("reprieve", List.of());
        await().during(slowCrash.plusMillis(500)).atMost(WAIT).until(() -> ready(live(client, "istiod")));
    }

    @Test
    void aDaemonSetHeldBackByNeverReadySetAtRunTimeBecomesReadyWhenTheFaultIsCleared() {
        sim = WorkloadSimulator.start(server, List.of("late-stuck"), READY_AFTER);
        sim.setFaults("late-stuck", List.of(new Fault.NeverReady()));
        KubernetesClient client = server.client("late-stuck");
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withNamespace("istio-system").withName("ztunnel")
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "ztunnel").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ztunnel").endMetadata().withNewSpec()
                .addNewContainer().withName("z").withImage("z:1").endContainer().endSpec().endTemplate().endSpec()
                .build();
        client.apps().daemonSets().inNamespace("istio-system").resource(ds).create();
        await().during(READY_AFTER.multipliedBy(3)).atMost(WAIT).until(() -> {
            DaemonSet live = client.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get();
            return live.getStatus() == null || live.getStatus().getNumberReady() == null
                    || live.getStatus().getNumberReady() == 0;
        });

        sim.setFaults("late-stuck", List.of());
        await().atMost(WAIT).until(() -> {
            DaemonSet live = client.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get();
            return live.getStatus() != null && Integer.valueOf(1).equals(live.getStatus().getNumberReady());
        });
    }

    @Test
    void anUnreachableFaultSetAtRunTimeStopsTheApiAndClearingItBringsItBack() {
        sim = WorkloadSimulator.start(server, List.of("blackout"), READY_AFTER);
        KubernetesClient client = server.client("blackout");
        apply(client, deployment("istiod", 1));

        sim.setFaults("blackout", List.of(new Fault.Unreachable()));
        assertThatThrownBy(() -> live(client, "istiod")).isInstanceOf(KubernetesClientException.class);

        sim.setFaults("blackout", List.of());
        await().atMost(WAIT).until(() -> ready(live(client, "istiod")));
    }

    @Test
    void aServiceAccountTokenSecretIsFilledOnceItsServiceAccountExistsAndItsTokenIsKeptWhenTheSecretIsAppliedAgain() {
        sim = WorkloadSimulator.start(server, List.of("tokens"), READY_AFTER);
        KubernetesClient client = server.client("tokens");
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("external-istiod").endMetadata().build()).serverSideApply();
        io.fabric8.kubernetes.api.model.Secret shell = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withNamespace("external-istiod").withName("reader-token")
                .addToAnnotations("kubernetes.io/service-account.name", "reader").endMetadata()
                .withType("kubernetes.io/service-account-token").build();
        client.secrets().inNamespace("external-istiod").resource(shell).fieldManager("installer").serverSideApply();
        io.fabric8.kubernetes.api.model.Secret other = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withNamespace("external-istiod").withName("opaque").endMetadata().withType("Opaque").build();
        client.secrets().inNamespace("external-istiod").resource(other).fieldManager("installer").serverSideApply();

        // No ServiceAccount yet: the token controller has nothing to sign for.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> client.secrets().inNamespace("external-istiod")
                .withName("reader-token").get().getData().isEmpty());
        client.serviceAccounts().inNamespace("external-istiod").resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withNamespace("external-istiod").withName("reader")
                .endMetadata().build()).fieldManager("installer").serverSideApply();

        await().atMost(WAIT).until(() -> !client.secrets().inNamespace("external-istiod").withName("reader-token").get()
                .getData().isEmpty());
        Map<String, String> data = client.secrets().inNamespace("external-istiod").withName("reader-token").get().getData();
        assertThat(data).containsOnlyKeys("token", "ca.crt", "namespace");
        assertThat(new String(java.util.Base64.getDecoder().decode(data.get("namespace")))).isEqualTo("external-istiod");
        assertThat(client.secrets().inNamespace("external-istiod").withName("opaque").get().getData())
                .as("only service-account-token Secrets").isEmpty();
        // The installer applies its Secret again (drift repair): the token controller's data stays.
        client.secrets().inNamespace("external-istiod").resource(shell).fieldManager("installer").serverSideApply();
        assertThat(client.secrets().inNamespace("external-istiod").withName("reader-token").get().getData())
                .isEqualTo(data);
    }

    /** As Kubernetes' token controller: however the Secret is created (kubectl create posts to the collection). */
    @Test
    void aServiceAccountTokenSecretCreatedByPostIsFilledAndOneCreatedAgainGetsAnotherToken() {
        sim = WorkloadSimulator.start(server, List.of("tokens"), READY_AFTER);
        KubernetesClient client = server.client("tokens");
        client.serviceAccounts().inNamespace("istio-system").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("reader").withNamespace("istio-system").endMetadata().build()).create();
        Secret empty = new SecretBuilder().withNewMetadata().withName("reader-token").withNamespace("istio-system")
                .addToAnnotations("kubernetes.io/service-account.name", "reader").endMetadata()
                .withType("kubernetes.io/service-account-token").build();
        client.secrets().inNamespace("istio-system").resource(empty).create();
        await().atMost(WAIT).until(() -> token(client) != null);
        String first = token(client);

        client.secrets().inNamespace("istio-system").withName("reader-token").delete();
        await().atMost(WAIT).until(() -> client.secrets().inNamespace("istio-system").withName("reader-token").get()
                == null);
        client.secrets().inNamespace("istio-system").resource(empty).create();
        await().atMost(WAIT).until(() -> token(client) != null);

        assertThat(token(client)).isNotEqualTo(first);
    }

    static String token(KubernetesClient client) {
        Secret s = client.secrets().inNamespace("istio-system").withName("reader-token").get();
        return s == null || s.getData() == null ? null : s.getData().get("token");
    }
}
