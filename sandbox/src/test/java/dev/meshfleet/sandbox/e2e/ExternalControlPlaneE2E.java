package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.testkit.Fault;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Seed 004 through the whole pipeline (issue 13, ADR 0031): the example's ExternalControlPlane (cluster1 external,
 * cluster2 config, cluster3 a further remote) goes HEALTHY in every role, the remote clusters' injection webhooks
 * point at the external istiod's address with the seed's URL, the external cluster holds a kubeconfig Secret per
 * remote cluster with that cluster's reader token (as istioctl create-remote-secret), a gateway on the config cluster goes
 * HEALTHY without a local istiod, a remote's reader token deleted comes back with a new token that the external
 * cluster's remote secret takes, removing the second remote leaves the others
 * untouched, and deleting the resource leaves nothing managed in any cluster. One fleet of three clusters, cases in
 * order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalControlPlaneE2E {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext ECP = new ResourceDefinitionContext.Builder().withGroup(Crds.ECP_GROUP)
            .withVersion("v1alpha1").withKind(Crds.ECP_KIND).withPlural("externalcontrolplanes").withNamespaced(true)
            .build();
    static final String INJECTOR = "istio-sidecar-injector-external-istiod";
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1", "cluster2", "cluster3"), Map.of());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static GenericKubernetesResource resource() {
        return fleet.sandbox.management().genericKubernetesResources(ECP).inNamespace("gloo-mesh").withName("mesh1").get();
    }

    static JsonNode status() {
        GenericKubernetesResource r = resource();
        assertThat(r).as("ExternalControlPlane gloo-mesh/mesh1").isNotNull();
        return JSON.valueToTree(r.getAdditionalProperties().get("status"));
    }

    static MutatingWebhookConfiguration injector(String cluster) {
        return fleet.workload(cluster).admissionRegistration().v1().mutatingWebhookConfigurations().withName(INJECTOR)
                .get();
    }

    @Test
    @Order(1)
    void everyRoleGoesHealthyAndTheRemoteInjectorsCallTheExternalIstiodAtItsAddress() throws Exception {
        var settled = fleet.applyAndSettle(fleet.example("external-control-plane.yaml"));

        assertThat(settled.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        JsonNode status = status();
        assertThat(status.path("summary").toString()).as(status.toString())
                .isEqualTo("{\"state\":\"HEALTHY\",\"external\":\"HEALTHY\",\"remotes\":\"2/2\"}");
        assertThat(status.path("clusters").path("cluster1").path("role").asText()).isEqualTo("external");
        assertThat(status.path("clusters").path("cluster2").path("role").asText()).isEqualTo("config");
        assertThat(status.path("clusters").path("cluster3").path("role").asText()).isEqualTo("remote");
        // The external istiod and its routing run in cluster1's external-istiod namespace.
        var external = fleet.workload("cluster1");
        assertThat(external.apps().deployments().inNamespace("external-istiod").withName("istiod").get())
                .as("the external istiod").isNotNull();
        assertThat(external.apps().deployments().inNamespace("istio-system").withName("istio-ingressgateway").get())
                .as("the ingress gateway exposing 15012 and 15017").isNotNull();
        // Seed 004's URLs, written out: https://ADDR:15017/inject/:ENV:cluster=NAME:ENV:net=NETWORK.
        assertThat(injector("cluster2").getWebhooks()).extracting(w -> w.getClientConfig().getUrl()).isNotEmpty()
                .allMatch("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster2:ENV:net=network1"::equals);
        assertThat(injector("cluster3").getWebhooks()).extracting(w -> w.getClientConfig().getUrl()).isNotEmpty()
                .allMatch("https://istiod.mesh1.example.com:15017/inject/:ENV:cluster=cluster3:ENV:net=network2"::equals);
        assertThat(fleet.workload("cluster2").apps().deployments().inNamespace("external-istiod").list().getItems())
                .as("no istiod runs in a remote cluster").isEmpty();
        // istioctl create-remote-secret's Secrets, in cluster1's external-istiod: config type for the config cluster.
        assertRemoteSecret("cluster2", "istio-kubeconfig", "config");
        assertRemoteSecret("cluster3", "istio-remote-secret-cluster3", "cluster3");
        // An ILM's conditions (kubectl wait --for=condition=Ready), and an Event per cluster that went HEALTHY.
        assertThat(status.path("conditions")).as(status.toString()).isNotEmpty();
        assertThat(status.path("conditions")).anySatisfy(c -> {
            assertThat(c.path("type").asText()).isEqualTo("Ready");
            assertThat(c.path("status").asText()).isEqualTo("True");
        });
        String uid = resource().getMetadata().getUid();
        // Similar Events are one Event with a count (EventCorrelator), and one write's transitions one Event's message:
        // "cluster1/default: INSTALLING_CONTROL_PLANE -> HEALTHY" or "2 installations -> HEALTHY: cluster2/default, ...".
        await("an Event of the clusters gone HEALTHY").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(fleet.sandbox.management().v1().events().inNamespace("gloo-mesh")
                        .withField("involvedObject.name", "mesh1").withField("involvedObject.uid", uid)
                        .withField("involvedObject.kind", "ExternalControlPlane").list().getItems())
                        .filteredOn(e -> e.getReason().equals("Healthy")).singleElement().satisfies(e -> {
                            assertThat(e.getCount()).isGreaterThanOrEqualTo(1);
                            assertThat(e.getMessage()).matches("(cluster[123]/default: [A-Z_]* -> HEALTHY.*"
                                    + "|\\d+ installations -> HEALTHY: cluster[123]/default.*)");
                        }));
    }

    static final String READER_TOKEN = "istio-reader-service-account-istio-remote-secret-token";

    static Secret remoteSecret(String name) {
        return fleet.workload("cluster1").secrets().inNamespace("external-istiod").withName(name).get();
    }

    /** The kubeconfig Secret for {@code remote} reads that cluster's API server as its reader, and is nowhere else. */
    static void assertRemoteSecret(String remote, String name, String key) {
        Secret secret = remoteSecret(name);
        assertThat(secret).as("remote secret %s in cluster1", name).isNotNull();
        assertThat(secret.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("networking.istio.io/cluster", remote);
        assertThat(secret.getData()).containsOnlyKeys(key);
        Secret token = fleet.workload(remote).secrets().inNamespace("external-istiod").withName(READER_TOKEN).get();
        assertThat(token).as("the reader's token Secret in %s", remote).isNotNull();
        String reader = new String(Base64.getDecoder().decode(token.getData().get("token")), StandardCharsets.UTF_8);
        Config kubeconfig = Config.fromKubeconfig(new String(Base64.getDecoder().decode(secret.getData().get(key)),
                StandardCharsets.UTF_8));
        assertThat(kubeconfig.getAutoOAuthToken()).as("the token of %s's reader", remote).isEqualTo(reader);
        assertThat(kubeconfig.getMasterUrl()).as("%s's API server", remote)
                .isEqualTo(fleet.workload(remote).getConfiguration().getMasterUrl());
        assertThat(status().toString()).as("the status holds no credential").doesNotContain(reader);
    }

    /** The guide's last step as a GLM: an ingress gateway on the config cluster, injected with the gateway template. */
    static final String REMOTE_GATEWAY = """
            apiVersion: admin.gloo.solo.io/v2
            kind: GatewayLifecycleManager
            metadata:
              name: remote-ingress
              namespace: gloo-mesh
            spec:
              installations:
                - clusters:
                    - name: cluster2
                      activeGateway: true
                  istioOperatorSpec:
                    profile: empty
                    tag: 1.24.2-solo
                    components:
                      ingressGateways:
                        - name: istio-ingressgateway
                          namespace: external-istiod
                          enabled: true
                    values:
                      gateways:
                        istio-ingressgateway:
                          injectionTemplate: gateway
            """;

    @Test
    @Order(2)
    void aGatewayOnTheConfigClusterGoesHealthyWithoutALocalIstiodInjectedWithTheGatewayTemplate() throws Exception {
        var settled = fleet.applyAndSettle("remote-ingress.yaml", REMOTE_GATEWAY);

        assertThat(settled.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        var cluster2 = fleet.workload("cluster2");
        var gateway = cluster2.apps().deployments().inNamespace("external-istiod").withName("istio-ingressgateway").get();
        assertThat(gateway).as("the gateway in cluster2").isNotNull();
        assertThat(gateway.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("inject.istio.io/templates", "gateway");
        assertThat(cluster2.apps().deployments().inAnyNamespace().withLabel("app", "istiod").list().getItems())
                .as("no istiod in cluster2").isEmpty();

        fleet.sandbox.delete(new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "remote-ingress"));
        fleet.settle();
        assertThat(cluster2.apps().deployments().inNamespace("external-istiod").withName("istio-ingressgateway").get())
                .as("the gateway removed with its GLM").isNull();
    }

    /**
     * Seed 004's warning: one wrong address and sidecars never get injected. The second remote's gateway is applied
     * while the external istiod does not answer (its pods crashed): the gateway's pods are refused by the remote's
     * injector, the Deployment says why, and the installation is not HEALTHY; once the istiod answers again, it is.
     */
    @Test
    @Order(3)
    void aGatewayWhoseInjectorCannotReachTheExternalIstiodGetsNoPodAndIsHealthyOnceItAnswers() throws Exception {
        var istiod = fleet.workload("cluster1").apps().deployments().inNamespace("external-istiod");
        fleet.sandbox.setFaults("cluster1", List.of(new Fault.CrashAfterReady()));
        await("the external istiod down").atMost(Duration.ofSeconds(30)).until(() -> istiod.list().getItems()
                .stream().filter(d -> d.getMetadata().getName().startsWith("istiod"))
                .allMatch(d -> d.getStatus() != null && !Integer.valueOf(1).equals(d.getStatus().getReadyReplicas())));

        fleet.sandbox.apply(fleet.manifest("remote-ingress-3.yaml", REMOTE_GATEWAY.replace("remote-ingress",
                "remote-ingress-3").replace("name: cluster2", "name: cluster3")));
        var gateway = fleet.workload("cluster3").apps().deployments().inNamespace("external-istiod")
                .withName("istio-ingressgateway");
        await("the gateway's pods refused").atMost(Duration.ofSeconds(60)).until(() -> gateway.get() != null
                && gateway.get().getStatus() != null && gateway.get().getStatus().getConditions() != null
                && gateway.get().getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("ReplicaFailure")));
        var failure = gateway.get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("ReplicaFailure")).findFirst().orElseThrow();
        assertThat(failure.getMessage()).as("the webhook and the address that did not answer")
                .contains("object.sidecar-injector.istio.io", "https://istiod.mesh1.example.com:15017/inject");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> !healthyOn("remote-ingress-3",
                "cluster3"));

        fleet.sandbox.setFaults("cluster1", List.of());
        await("HEALTHY once the external istiod answers").atMost(Fleet.STEP_TIMEOUT)
                .until(() -> healthyOn("remote-ingress-3", "cluster3"));
        fleet.sandbox.delete(new ResourceRef(ResourceKind.GatewayLifecycleManager, "gloo-mesh", "remote-ingress-3"));
        var settled = fleet.settle();
        assertThat(settled.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
    }

    /** Every installation of the GLM on the cluster HEALTHY (at least one). */
    private static boolean healthyOn(String glm, String cluster) {
        var status = fleet.glmStatus(glm);
        if (status == null || status.clusters() == null || !status.clusters().containsKey(cluster)) {
            return false;
        }
        var installations = status.clusters().get(cluster).installations().values();
        return !installations.isEmpty() && installations.stream().allMatch(i -> "HEALTHY".equals(i.state()));
    }

    /**
     * ADR 0031, session 25: someone deletes cluster3's reader token Secret; cluster3's installation puts it back at its
     * drift repair, the token controller fills a new token, and at its next resync the installer owning cluster1
     * fills cluster3's remote secret again with it. Nobody touches cluster1.
     */
    @Test
    @Order(4)
    void aDeletedReaderTokenComesBackWithANewTokenAndTheExternalClustersRemoteSecretTakesIt() throws Exception {
        var tokens = fleet.workload("cluster3").secrets().inNamespace("external-istiod");
        Secret old = tokens.withName(READER_TOKEN).get();
        assertThat(old).as("cluster3's reader token Secret").isNotNull();
        String oldToken = decoded(old.getData().get("token"));

        tokens.withName(READER_TOKEN).delete();

        await("cluster3's reader token Secret created again and filled").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Secret now = tokens.withName(READER_TOKEN).get();
                    return now != null && !now.getMetadata().getUid().equals(old.getMetadata().getUid())
                            && now.getData() != null && now.getData().containsKey("token");
                });
        String newToken = decoded(tokens.withName(READER_TOKEN).get().getData().get("token"));
        assertThat(newToken).as("the new Secret's token").isNotEqualTo(oldToken);
        await("cluster1's remote secret of cluster3 holding the new token").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(Config.fromKubeconfig(decoded(
                        remoteSecret("istio-remote-secret-cluster3").getData().get("cluster3"))).getAutoOAuthToken())
                        .isEqualTo(newToken));
        assertRemoteSecret("cluster3", "istio-remote-secret-cluster3", "cluster3");
        var settled = fleet.settle();
        assertThat(settled.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        assertThat(status().toString()).as("the status holds neither token").doesNotContain(oldToken, newToken);
    }

    static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    @Order(5)
    void removingTheSecondRemoteRemovesItsInstallationAndLeavesTheConfigClusterUntouched() throws Exception {
        List<String> configBefore = fleet.managedObjects("cluster2");
        String injectorVersion = injector("cluster2").getMetadata().getResourceVersion();
        assertThat(fleet.managedObjects("cluster3")).as("installed in cluster3").isNotEmpty();
        String withoutCluster3 = Files.readString(fleet.example("external-control-plane.yaml"))
                .replace("    - name: cluster3\n      network: network2\n", "");
        assertThat(withoutCluster3).doesNotContain("name: cluster3");

        int before = fleet.sandbox.api().writeLog().writes().size();
        fleet.applyAndSettle("ecp-two-clusters.yaml", withoutCluster3);

        assertThat(fleet.managedObjects("cluster3")).as("left in cluster3").isEmpty();
        // In order (ADR 0031): cluster3's injector goes before its remote secret in the external cluster, which the
        // translator holds until cluster3 is reported uninstalled. The secret's delete may follow the settle a moment.
        org.awaitility.Awaitility.await("cluster3's remote secret gone").atMost(Fleet.STEP_TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> remoteSecret("istio-remote-secret-cluster3") == null);
        List<String> deletes = fleet.sandbox.api().writeLog().writes().stream().skip(before)
                .filter(w -> w.method().equals("DELETE")).map(w -> w.cluster() + " " + w.path().split("\\?")[0]).toList();
        int injector3 = deletes.indexOf("cluster3 /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/"
                + INJECTOR);
        int secret3 = deletes.indexOf("cluster1 /api/v1/namespaces/external-istiod/secrets/istio-remote-secret-cluster3");
        assertThat(List.of(injector3, secret3)).as(String.join("\n", deletes)).doesNotContain(-1);
        assertThat(secret3).as(String.join("\n", deletes)).isGreaterThan(injector3);
        assertRemoteSecret("cluster2", "istio-kubeconfig", "config");
        assertThat(fleet.managedObjects("cluster2")).as("the config cluster's objects").isEqualTo(configBefore);
        assertThat(injector("cluster2").getMetadata().getResourceVersion()).as("the config cluster's injector unchanged")
                .isEqualTo(injectorVersion);
        JsonNode status = status();
        assertThat(status.path("summary").path("remotes").asText()).as(status.toString()).isEqualTo("1/1");
        assertThat(status.path("summary").path("state").asText()).isEqualTo("HEALTHY");
    }

    @Test
    @Order(6)
    void deletingTheResourceTakesTheRemoteClusterDownBeforeTheExternalIstiodLeavesNothingManagedAndTheResourceGoes() throws Exception {
        assertThat(fleet.managedObjects("cluster1")).as("installed in cluster1").isNotEmpty();

        int before = fleet.sandbox.api().writeLog().writes().size();
        fleet.sandbox.delete(new ResourceRef(ResourceKind.ExternalControlPlane, "gloo-mesh", "mesh1"));
        fleet.settle();
        // The settle rule takes a removal whose last cluster reads UNKNOWN for stuck (an unreachable cluster); under
        // load a late lease renewal reads so for a moment while the external cluster, the last to go, uninstalls.
        org.awaitility.Awaitility.await("the resource gone").atMost(Fleet.STEP_TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(200)).until(() -> resource() == null);

        // In order (ADR 0031): the remote cluster's injector and reader token go before the external istiod.
        List<String> deletes = fleet.sandbox.api().writeLog().writes().stream().skip(before)
                .filter(w -> w.method().equals("DELETE")).map(w -> w.cluster() + " " + w.path().split("\\?")[0]).toList();
        int injector = deletes.indexOf("cluster2 /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/"
                + INJECTOR);
        int token = deletes.indexOf("cluster2 /api/v1/namespaces/external-istiod/secrets/" + READER_TOKEN);
        int istiod = deletes.indexOf("cluster1 /apis/apps/v1/namespaces/external-istiod/deployments/istiod");
        assertThat(List.of(injector, token, istiod)).as(String.join("\n", deletes)).doesNotContain(-1);
        assertThat(istiod).as(String.join("\n", deletes)).isGreaterThan(injector).isGreaterThan(token);

        assertThat(resource()).as("finalizer released, resource gone").isNull();
        for (String cluster : List.of("cluster1", "cluster2", "cluster3")) {
            assertThat(fleet.managedObjects(cluster)).as("left in " + cluster).isEmpty();
        }
        assertThat(injector("cluster2")).isNull();
    }
}
