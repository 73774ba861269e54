package dev.meshfleet.sandbox.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.fleet.Registration;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.crd.IstioLifecycleManager;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.ClusterStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.InstallationStatus;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.Summary;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Kubectl;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The sandbox's own parts with the services left out: broker, API servers with registration, simulator,
 * apply/delete steps, the settle wait, the kubeconfig. The aggregator's status writes are played by the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetWithoutServicesIT {

    static Sandbox sandbox;
    static final RepoLayout LAYOUT = RepoLayout.locate();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxOptions.defaults(SandboxOptions.Mode.UP, List.of("cluster1", "cluster2", "cluster3"))
                .withUnregistered(List.of("cluster3")).withReadyAfter(Duration.ofMillis(200)), LAYOUT, System.err, false);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            long broker = sandbox.broker().process().pid();
            sandbox.close();
            assertThat(ProcessHandle.of(broker).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        }
    }

    @Test
    @Order(1)
    void everyClusterIsRegisteredWithAKubeconfigSecretAndTheCrdsAreInstalled() {
        KubernetesClient mgmt = sandbox.management();
        assertThat(mgmt.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .contains("istiolifecyclemanagers.admin.gloo.solo.io", "gatewaylifecyclemanagers.admin.gloo.solo.io");
        var secrets = mgmt.secrets().inNamespace("gloo-mesh").withLabel(Crds.CLUSTER_LABEL).list().getItems();
        assertThat(secrets).extracting(s -> s.getMetadata().getLabels().get(Crds.CLUSTER_LABEL))
                .containsExactlyInAnyOrder("cluster1", "cluster2");
        assertThat(secrets).allSatisfy(s -> {
            String kubeconfig = new String(java.util.Base64.getDecoder().decode(s.getData().get(Crds.KUBECONFIG_KEY)),
                    java.nio.charset.StandardCharsets.UTF_8);
            String cluster = s.getMetadata().getLabels().get(Crds.CLUSTER_LABEL);
            assertThat(kubeconfig).contains(sandbox.api().clusterUrl(cluster));
            // The installer's identity in the cluster (docs/install.md), not the administrator's.
            assertThat(kubeconfig).contains(sandbox.workloadRbac().installerToken())
                    .doesNotContain(MockApiServer.ADMIN_TOKEN);
        });
    }

    /**
     * Every workload cluster enforces deploy/workload-cluster/installer-role.yaml for the installer: a client of a
     * registration kubeconfig may do what the installer does and is refused the rest, as a real cluster would refuse it.
     */
    @Test
    @Order(1)
    void aRegistrationKubeconfigIsTheInstallersServiceAccountWhichItsRoleAuthorizesInEveryWorkloadCluster() {
        var secret = sandbox.management().secrets().inNamespace("gloo-mesh").withName("cluster-cluster2").get();
        String kubeconfig = new String(java.util.Base64.getDecoder().decode(secret.getData().get(Crds.KUBECONFIG_KEY)),
                java.nio.charset.StandardCharsets.UTF_8);
        try (KubernetesClient installer = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client
                .ConfigBuilder(Config.fromKubeconfig(kubeconfig)).withRequestRetryBackoffLimit(0).build()).build()) {
            assertThat(installer.apps().deployments().inAnyNamespace().withLabel("app", "istiod").list().getItems())
                    .as("the unmanaged-istiod check").isEmpty();
            assertThatThrownBy(() -> installer.secrets().inNamespace("kube-system").withName("bootstrap-token").get())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).isEqualTo("secrets \"bootstrap-token\" is forbidden: User"
                                + " \"system:serviceaccount:meshfleet-system:meshfleet-installer\" cannot get resource"
                                + " \"secrets\" in API group \"\" in the namespace \"kube-system\"");
                    });
        }
        assertThat(sandbox.workloadRbacDenials()).containsExactly("cluster2: system:serviceaccount:meshfleet-system:"
                + "meshfleet-installer: secrets \"bootstrap-token\" is forbidden: User \"system:serviceaccount:"
                + "meshfleet-system:meshfleet-installer\" cannot get resource \"secrets\" in API group \"\" in the"
                + " namespace \"kube-system\"");
    }

    @Test
    @Order(2)
    void theWrittenKubeconfigReachesTheManagementAndEveryWorkloadCluster() throws Exception {
        Path kubeconfig = sandbox.writeKubeconfig();
        String text = Files.readString(kubeconfig);
        try (KubernetesClient mgmt = client(text, "mgmt"); KubernetesClient c1 = client(text, "cluster1")) {
            assertThat(mgmt.secrets().inNamespace("gloo-mesh").list().getItems()).hasSize(2);
            c1.apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder()
                    .withNewMetadata().withName("probe").withNamespace("istio-system").endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "probe").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "probe").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
            await("the simulator makes the Deployment ready").atMost(Duration.ofSeconds(20)).until(() -> {
                var d = sandbox.api().client("cluster1").apps().deployments().inNamespace("istio-system")
                        .withName("probe").get();
                return d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
            });
            assertThat(sandbox.api().client("cluster2").apps().deployments().inAnyNamespace().list().getItems())
                    .as("clusters are separate").isEmpty();
        }
    }

    /**
     * kubectl sends a bearer token only over TLS (kubectl issue 744): over plain HTTP the kubeconfig's users reached
     * the API server as system:anonymous and every kubectl request of `sandbox up` was refused.
     */
    @Test
    @Order(2)
    void kubectlReachesTheManagementClusterAsTheKubeconfigsUsers(@TempDir Path home) throws Exception {
        Path kubeconfig = sandbox.writeKubeconfig();
        Kubectl kubectl = new Kubectl(home);
        Kubectl.Result admin = kubectl.run(kubeconfig, "--context", "mgmt", "get", "secrets", "-n", "gloo-mesh", "-o",
                "name");
        assertThat(admin.exit()).as(admin.all()).isZero();
        assertThat(admin.out().lines().filter(l -> l.startsWith("secret/")).count()).as(admin.all()).isEqualTo(2);
        Kubectl.Result operator = kubectl.run(kubeconfig, "--context", "mesh-operator@mgmt", "get", "secrets", "-n",
                "gloo-mesh");
        assertThat(operator.exit()).as(operator.all()).isNotZero();
        assertThat(operator.err()).contains("User \"mesh-operator\" cannot list resource \"secrets\"");
        // A workload cluster authorizes its requests too: kubectl reaches it over TLS as platform-admin, never anonymous.
        int refusedBefore = sandbox.api().workloadRbacDenials().size();
        Kubectl.Result cluster = kubectl.run(kubeconfig, "--context", "cluster3", "get", "secrets", "-A", "-o", "name");
        assertThat(cluster.exit()).as(cluster.all()).isZero();
        assertThat(sandbox.api().workloadRbacDenials()).hasSize(refusedBefore);
    }

    @Test
    @Order(2)
    void theKubeconfigsMeshOperatorMayEditIlmsButNothingElseAndSystemMastersMayDoAnything() throws Exception {
        String text = Files.readString(sandbox.writeKubeconfig());
        try (KubernetesClient operator = client(text, "mesh-operator@mgmt"); KubernetesClient admin = client(text, "mgmt")) {
            assertThat(operator.genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                    .inAnyNamespace().list().getItems()).isEmpty();
            assertThatThrownBy(() -> operator.secrets().inNamespace("gloo-mesh").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).isEqualTo("secrets is forbidden: User \"mesh-operator\""
                                + " cannot list resource \"secrets\" in API group \"\" in the namespace \"gloo-mesh\"");
                    });
            assertThat(admin.rbac().clusterRoles().list().getItems()).isEmpty(); // the store holds none; allowed
        }
        // A service's token the chart does not grant Secrets cluster-wide is refused; a made-up token is 401.
        String intake = tokenOf("system:serviceaccount:meshfleet-system:meshfleet-spec-intake");
        assertThat(intake).as("spec-intake's ServiceAccount token").isNotNull();
        try (KubernetesClient svc = tokenClient(intake); KubernetesClient stranger = tokenClient("made-up")) {
            assertThatThrownBy(() -> svc.secrets().inAnyNamespace().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> stranger.genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                    .inAnyNamespace().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
        }
        assertThat(sandbox.serviceRbacDenials()).singleElement().asString()
                .startsWith("system:serviceaccount:meshfleet-system:meshfleet-spec-intake: secrets is forbidden");
    }

    @Test
    @Order(7)
    void aStepAsMeshOperatorIsRefusedWhatItsRoleDoesNotAllowWithTheServersMessage() throws Exception {
        Sandbox.Applied applied = sandbox.tryApply(LAYOUT.examples().resolve("ilm-minimal.yaml"), "mesh-operator");
        assertThat(applied).as("mesh-operator may create ILMs").isInstanceOf(Sandbox.Applied.Done.class);
        sandbox.delete(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane"),
                "mesh-operator");
        await("the delete").atMost(Duration.ofSeconds(10)).until(() -> sandbox.management()
                .genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager").inNamespace("gloo-mesh")
                .withName("istiod-control-plane").get() == null);
        assertThatThrownBy(() -> sandbox.management("mesh-operator").secrets().inNamespace("gloo-mesh")
                .resource(Registration.secret(sandbox.api(), "cluster9", sandbox.workloadRbac().installerToken())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .isEqualTo("secrets is forbidden: User \"mesh-operator\" cannot create resource \"secrets\" in"
                                + " API group \"\" in the namespace \"gloo-mesh\""));
    }

    /** The token the sandbox issued to a user (a service's ServiceAccount), as the API server maps it. */
    private static String tokenOf(String user) {
        return sandbox.rbac().tokens().entrySet().stream().filter(e -> e.getValue().username().equals(user))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private KubernetesClient tokenClient(String token) {
        return new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
                .withMasterUrl(sandbox.api().url()).withOauthToken(token).withRequestRetryBackoffLimit(0).build()).build();
    }

    @Test
    @Order(2)
    void anApplyStepTheApiServerRefusesIsReportedWithTheServersMessageNamingTheField() throws Exception {
        Path file = sandbox.runDir().resolve("bad-name.yaml");
        Files.writeString(file, Files.readString(LAYOUT.examples().resolve("ilm-minimal.yaml"))
                .replace("name: istiod-control-plane", "name: Istiod_Control_Plane"));

        Sandbox.Applied applied = sandbox.tryApply(file);

        assertThat(applied).isInstanceOfSatisfying(Sandbox.Applied.Refused.class, refused -> {
            assertThat(refused.code()).isEqualTo(422);
            assertThat(refused.ref()).isEqualTo(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh",
                    "Istiod_Control_Plane"));
            assertThat(refused.describe()).contains(file.toString(), "422 Invalid",
                    "\"Istiod_Control_Plane\" is invalid: metadata.name: Invalid value");
        });
        assertThat(sandbox.views()).as("nothing was created").isEmpty();
    }

    @Test
    @Order(3)
    void applyCreatesThenReplacesTheSpecKeepingTheStatusAndTheStepSettlesOnTheCurrentGeneration() throws Exception {
        List<ResourceRef> refs = sandbox.apply(LAYOUT.examples().resolve("ilm-minimal.yaml"));
        assertThat(refs).containsExactly(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh",
                "istiod-control-plane"));
        assertThat(sandbox.views()).singleElement().satisfies(v -> assertThat(v.observedGeneration()).isNull());

        writeStatus(1, "HEALTHY");
        var settled = sandbox.awaitSettled(Duration.ofSeconds(20), System.err);
        assertThat(settled.allHealthy()).isTrue();

        String changed = Files.readString(LAYOUT.examples().resolve("ilm-minimal.yaml"))
                .replace("accessLogFile: /dev/stdout", "accessLogFile: /dev/stderr");
        Path file = sandbox.runDir().resolve("changed.yaml");
        Files.writeString(file, changed);
        sandbox.apply(file);
        IstioLifecycleManager after = ilm();
        assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(after.getStatus()).as("status kept by apply").isNotNull();
        assertThat(sandbox.views()).singleElement().satisfies(v -> assertThat(v.observedGeneration()).isEqualTo(1L));

        assertThat(dev.meshfleet.sandbox.status.Settle.evaluate(sandbox.views()).done()).as("old generation").isFalse();

        writeStatus(2, "FAILED");
        var p = sandbox.awaitSettled(Duration.ofSeconds(20), System.err);
        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isFalse();
        assertThat(Rendering.table(sandbox.views())).contains("ilm/gloo-mesh/istiod-control-plane   cluster1   1-24       FAILED");
        assertThat(Rendering.yamlList(sandbox.resourcesAsMaps())).contains("kind: List", "observedRevision: 1-24",
                "observedGeneration: 2");
    }

    @Test
    @Order(3)
    void aSpecWithATypeErrorIsRefusedAtApplyWithTheApiServersMessageNamingTheField() throws Exception {
        Path file = sandbox.runDir().resolve("typo.yaml");
        Files.writeString(file, """
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata: {name: typo, namespace: gloo-mesh}
                spec:
                  installations:
                    - revision: 124
                      clusters: [{name: cluster1}]
                """);

        Sandbox.Applied applied = sandbox.tryApply(file);

        assertThat(applied).isInstanceOf(Sandbox.Applied.Refused.class);
        Sandbox.Applied.Refused refused = (Sandbox.Applied.Refused) applied;
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.reason()).isEqualTo("Invalid");
        assertThat(refused.message()).isEqualTo("IstioLifecycleManager.admin.gloo.solo.io \"typo\" is invalid: "
                + "spec.installations[0].revision: Invalid value: \"integer\": spec.installations[0].revision in body "
                + "must be of type string: \"integer\"");
        assertThat(sandbox.management().genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                .inNamespace("gloo-mesh").withName("typo").get()).isNull();
    }

    @Test
    @Order(4)
    void aDeletedResourceSettlesOnceItIsGone() throws Exception {
        ResourceRef ref = new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane");
        sandbox.delete(ref);
        var p = sandbox.awaitSettled(Duration.ofSeconds(20), System.err);
        assertThat(p.done()).isTrue();
        assertThat(p.allHealthy()).isTrue();
        assertThat(Rendering.table(sandbox.views())).contains("DELETED");
    }

    @Test
    @Order(5)
    void anUnregisteredClusterIsSimulatedWithoutASecretAndTheWrittenFileRegistersItLikeTheOthers() throws Exception {
        KubernetesClient mgmt = sandbox.management();
        assertThat(mgmt.secrets().inNamespace("gloo-mesh").withLabel(Crds.CLUSTER_LABEL, "cluster3").list().getItems())
                .isEmpty();
        // Over TLS, as every cluster of the kubeconfig: kubectl sends the administrator's token only so.
        assertThat(Files.readString(sandbox.writeKubeconfig())).containsPattern(
                "server: https://127\\.0\\.0\\.1:\\d+/clusters/cluster3\n");

        Path file = sandbox.registrationFile("cluster3");
        assertThat(file).exists();
        // What `kubectl --context mgmt apply -f <file>` sends: the Secret as written.
        try (var in = Files.newInputStream(file)) {
            mgmt.load(in).inNamespace("gloo-mesh").serverSideApply();
        }
        var applied = mgmt.secrets().inNamespace("gloo-mesh").withName("cluster-cluster3").get();
        var reference = mgmt.secrets().inNamespace("gloo-mesh").withName("cluster-cluster1").get();
        assertThat(applied.getMetadata().getLabels()).containsEntry(Crds.CLUSTER_LABEL, "cluster3");
        assertThat(applied.getData().keySet()).isEqualTo(reference.getData().keySet());
        String kubeconfig = new String(java.util.Base64.getDecoder().decode(applied.getData().get(Crds.KUBECONFIG_KEY)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kubeconfig).contains(sandbox.api().clusterUrl("cluster3"));

        mgmt.secrets().inNamespace("gloo-mesh").withName("cluster-cluster3").delete();
        sandbox.register("cluster3");
        var registered = mgmt.secrets().inNamespace("gloo-mesh").withName("cluster-cluster3").get();
        assertThat(registered.getData()).isEqualTo(applied.getData());
        assertThat(registered.getMetadata().getLabels()).isEqualTo(applied.getMetadata().getLabels());
    }

    @Test
    @Order(6)
    void faultsSetWhileTheFleetRunsActAtOnceAndClearingThemRestoresTheCluster() {
        var cluster2 = sandbox.api().client("cluster2");
        sandbox.setFaults("cluster2", List.of(new dev.meshfleet.testkit.Fault.Unreachable()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster2.apps().deployments().inAnyNamespace().list())
                .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
        sandbox.setFaults("cluster2", List.of());
        assertThat(cluster2.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.setFaults("cluster9", List.of()))
                .hasMessageContaining("cluster9");
    }

    private static IstioLifecycleManager ilm() {
        return sandbox.management().resources(IstioLifecycleManager.class).inNamespace("gloo-mesh")
                .withName("istiod-control-plane").get();
    }

    private static void writeStatus(long generation, String state) {
        IstioLifecycleManager r = ilm();
        InstallationStatus i = new InstallationStatus(state, "", "1-24", null);
        r.setStatus(new LifecycleManagerStatus(generation, new Summary(state, "0/2"), Map.of(
                "cluster1", new ClusterStatus(Map.of("1-24", i)), "cluster2", new ClusterStatus(Map.of("1-24", i)))));
        sandbox.management().resources(IstioLifecycleManager.class).inNamespace("gloo-mesh").resource(r).updateStatus();
    }

    private static KubernetesClient client(String kubeconfig, String context) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(context, kubeconfig, null)).build();
    }
}
