package dev.meshfleet.sandbox.e2e;

import static dev.meshfleet.testkit.CertificateChains.certificates;
import static dev.meshfleet.testkit.CertificateChains.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import dev.meshfleet.testkit.CertificateChains;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Seed 003 through the whole pipeline (issue 12, ADR 0027): the example's ServiceMeshControllers go Ready with the
 * seed's conditions, the extensions config turns peering on, a controller annotated for NodePort peering gets a NodePort
 * east-west Gateway its peer follows (ADR 0046), onConflict Abort refuses an Istio Meshfleet does not manage and Force
 * takes it over, and deleting a controller removes everything it installed. One fleet, cases in order: cluster1 and
 * cluster2, one controller each in gloo-mesh; then (issue 12 item 4, ADR 0046) a peered mesh of the namespace peered on
 * cluster3..cluster6: three controllers peered with one root, a fourth joining (its writes counted at the API servers),
 * an east-west address moving, the fourth leaving. The two sets of clusters and namespaces share nothing a case changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceMeshControllerE2E {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext SMC = new ResourceDefinitionContext.Builder().withGroup(Crds.SMC_GROUP)
            .withVersion("v1").withKind(Crds.SMC_KIND).withPlural("servicemeshcontrollers").withNamespaced(true).build();
    static final List<String> CONDITIONS = List.of("Initialized", "CRDInstalled", "ControlPlaneDeployed", "CNIDeployed",
            "WebhookDeployed", "Ready");
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        // cluster1 and cluster2 for the cases of gloo-mesh; cluster3..cluster6 for the peered mesh of the namespace
        // peered (its own controllers, extensions and clusters: the two cannot disturb each other).
        // Drift repair at the installer's default (10m), not the tests' 5s: the peering cases count the writes a step
        // causes, and a repair every 5s re-applies whatever the simulator's status writes moved (istiod, Gateways).
        fleet = Fleet.start(dev.meshfleet.sandbox.cli.SandboxOptions.defaults(dev.meshfleet.sandbox.cli.SandboxOptions.Mode.RUN,
                List.of("cluster1", "cluster2", "cluster3", "cluster4", "cluster5", "cluster6")).withResync(Fleet.RESYNC, null));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static GenericKubernetesResource controller(String name) {
        return fleet.sandbox.management().genericKubernetesResources(SMC).inNamespace("gloo-mesh").withName(name).get();
    }

    static JsonNode status(String name) {
        GenericKubernetesResource r = controller(name);
        assertThat(r).as("ServiceMeshController gloo-mesh/" + name).isNotNull();
        return JSON.valueToTree(r.getAdditionalProperties().get("status"));
    }

    static Deployment istiod(String cluster) {
        return fleet.workload(cluster).apps().deployments().inNamespace("istio-system").withName("istiod").get();
    }

    static String controllerYaml(String name, String cluster, String onConflict) {
        return """
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: %s, namespace: gloo-mesh}
                spec: {cluster: %s, dataplaneMode: Ambient, version: 1.28.1-patch0, onConflict: %s}
                """.formatted(name, cluster, onConflict);
    }

    @Test
    @Order(1)
    void theExamplesControllersGoReadyWithTheSeedsConditionsAndInstallIstiodCniAndZtunnel() throws Exception {
        var settled = fleet.applyAndSettle(fleet.example("smc-ambient.yaml"));

        assertThat(settled.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        for (String cluster : List.of("cluster1", "cluster2")) {
            JsonNode status = status("managed-istio-" + cluster);
            assertThat(status.path("phase").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            assertThat(status.path("conditions")).extracting(c -> c.path("type").asText() + "=" + c.path("status").asText()
                    + " " + c.path("reason").asText() + " g" + c.path("observedGeneration").asLong())
                    .containsExactly("Initialized=True ManifestsInitialized g1", "CRDInstalled=True CRDInstalled g1",
                            "ControlPlaneDeployed=True DeploymentSucceeded g1", "CNIDeployed=True DeploymentSucceeded g1",
                            "WebhookDeployed=True DeploymentSucceeded g1", "Ready=True SystemReady g1");
            assertThat(status.path("conditions")).allSatisfy(c -> assertThat(c.path("lastTransitionTime").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
            var c = fleet.workload(cluster);
            assertThat(istiod(cluster)).as("istiod in " + cluster).isNotNull();
            assertThat(istiod(cluster).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .endsWith(":1.28.1-patch0-solo");
            assertThat(c.apps().daemonSets().inNamespace("istio-system").withName("istio-cni-node").get())
                    .as("istio-cni-node in " + cluster).isNotNull();
            assertThat(c.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get())
                    .as("ztunnel in " + cluster).isNotNull();
            assertThat(status.path("rootOfTrust").path("intermediateRotatesAt").asText()).as(status.toString())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        // One root of trust (ADR 0028): the sandbox asks for a generated one; each cluster's intermediate chains to it.
        Secret rootSecret = fleet.sandbox.management().secrets().inNamespace("gloo-mesh").withName("meshfleet-root-ca").get();
        assertThat(rootSecret).as("the generated root").isNotNull();
        X509Certificate root = certificates(entry(rootSecret, "tls.crt")).get(0);
        Set<String> intermediates = new HashSet<>();
        for (String cluster : List.of("cluster1", "cluster2")) {
            Secret cacerts = fleet.workload(cluster).secrets().inNamespace("istio-system").withName("cacerts").get();
            assertThat(cacerts).as("cacerts in " + cluster).isNotNull();
            assertThat(certificates(entry(cacerts, "root-cert.pem"))).containsExactly(root);
            X509Certificate intermediate = CertificateChains.validatedIntermediate(cacerts, root, Instant.now());
            assertThat(intermediate.getSubjectX500Principal().getName()).contains("L=" + cluster);
            intermediates.add(entry(cacerts, "ca-cert.pem"));
        }
        assertThat(intermediates).as("one intermediate per cluster").hasSize(2);
    }

    /** ADR 0045: the namespace's gloo-extensions-config reaches every controller's cluster, and a change rolls out. */
    @Test
    @Order(2)
    void theExtensionsConfigIsAppliedToEveryControllerOfItsNamespaceAndAChangeRollsOutLikeASpecChange() throws Exception {
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: gloo-extensions-config, namespace: gloo-mesh}
                data:
                  stable: |
                    serviceMeshController:
                      istiod:
                        topology:
                          nodeSelector: {pool: %s}
                        deployment:
                          podAnnotations: {team: mesh}
                  beta: |
                    serviceMeshController:
                      cni: {binDir: /var/lib/cni/bin}
                      multiClusterMode: Peering
                  values.istiod: |
                    env:
                      PEERING_AUTOMATIC_LOCAL_GATEWAY: "true"
                """;
        java.time.Instant applied = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        fleet.sandbox.apply(fleet.manifest("extensions.yaml", configMap.formatted("mesh")));
        for (String cluster : List.of("cluster1", "cluster2")) {
            awaitIstiod(cluster, "mesh");
        }
        fleet.settle();
        for (String cluster : List.of("cluster1", "cluster2")) {
            awaitReadyAgain("managed-istio-" + cluster, applied);
        }
        for (String cluster : List.of("cluster1", "cluster2")) {
            var pod = istiod(cluster).getSpec().getTemplate();
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("team", "mesh");
            assertThat(pod.getSpec().getContainers().get(0).getEnv())
                    .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                            .isEqualTo("PEERING_AUTOMATIC_LOCAL_GATEWAY=true"));
            assertThat(fleet.workload(cluster).apps().daemonSets().inNamespace("istio-system").withName("istio-cni-node")
                    .get().getSpec().getTemplate().getSpec().getVolumes())
                    .anySatisfy(v -> assertThat(v.getName() + "=" + v.getHostPath().getPath())
                            .isEqualTo("cni-bin-dir=/var/lib/cni/bin"));
            JsonNode status = status("managed-istio-" + cluster);
            assertThat(status.path("phase").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            assertThat(status.path("conditions")).extracting(c -> c.path("type").asText() + "=" + c.path("status").asText())
                    .containsExactly("Initialized=True", "CRDInstalled=True", "ControlPlaneDeployed=True",
                            "CNIDeployed=True", "WebhookDeployed=True", "Ready=True");
            assertThat(status.path("observedGeneration").asLong()).as("the controller's spec did not change").isEqualTo(1);
        }

        applied = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        fleet.sandbox.apply(fleet.manifest("extensions.yaml", configMap.formatted("mesh-2")));
        for (String cluster : List.of("cluster1", "cluster2")) {
            awaitIstiod(cluster, "mesh-2");
        }
        fleet.settle();
        awaitReadyAgain("managed-istio-cluster1", applied);
        assertThat(status("managed-istio-cluster1").path("phase").asText()).isEqualTo("SUCCEEDED");
    }

    /**
     * The controller's rollout of a change made at {@code since} has ended: Ready True again, since then. The new
     * istiod can be in the cluster before the aggregator has folded the installer's UPDATING, and a settle taken then
     * still sees the SUCCEEDED from before the change.
     */
    static void awaitReadyAgain(String name, java.time.Instant since) {
        org.awaitility.Awaitility.await(name + " Ready again since " + since).atMost(Fleet.STEP_TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    JsonNode status = status(name);
                    for (JsonNode c : status.path("conditions")) {
                        if (c.path("type").asText().equals("Ready")) {
                            return c.path("status").asText().equals("True") && !java.time.Instant
                                    .parse(c.path("lastTransitionTime").asText()).isBefore(since);
                        }
                    }
                    return false;
                });
    }

    static void awaitIstiod(String cluster, String pool) {
        org.awaitility.Awaitility.await("istiod of " + cluster + " on nodeSelector pool=" + pool)
                .atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> istiod(cluster) != null && pool.equals(java.util.Objects.requireNonNullElse(
                        istiod(cluster).getSpec().getTemplate().getSpec().getNodeSelector(), Map.<String, String>of())
                        .get("pool")));
    }

    static final ResourceDefinitionContext GATEWAY = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("Gateway").withPlural("gateways")
            .withNamespaced(true).build();

    static GenericKubernetesResource gateway(String cluster, String name) {
        return fleet.workload(cluster).genericKubernetesResources(GATEWAY).inNamespace("istio-eastwest").withName(name)
                .get();
    }

    static JsonNode json(GenericKubernetesResource r) {
        return r == null ? JSON.createObjectNode() : JSON.valueToTree(r);
    }

    /** A Gateway's condition as "reason status", "" without it. */
    static String condition(JsonNode gateway, String type) {
        for (JsonNode c : gateway.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("reason").asText() + " " + c.path("status").asText();
            }
        }
        return "";
    }

    /**
     * ADR 0046, the seed's alpha NodePort peering: annotating a peered controller (metadata only, its generation stays)
     * makes its east-west Gateway NodePort, reached at its hostname, and its peer's remote Gateway follows it there.
     * Peering is on since the case before (the extensions config).
     */
    @Test
    @Order(3)
    void annotatingAControllerForNodePortMakesItsEastWestGatewayNodePortAndItsPeerFollows() {
        fleet.sandbox.management().genericKubernetesResources(SMC).inNamespace("gloo-mesh")
                .withName("managed-istio-cluster2").edit(r -> {
                    Map<String, String> annotations = new java.util.HashMap<>(java.util.Objects.requireNonNullElse(
                            r.getMetadata().getAnnotations(), Map.<String, String>of()));
                    annotations.put("peering.solo.io/data-plane-service-type", "nodeport");
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
        org.awaitility.Awaitility.await("cluster1's remote peer for cluster2 at its NodePort hostname")
                .atMost(Fleet.STEP_TIMEOUT).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() -> {
                    JsonNode eastWest = json(gateway("cluster2", "istio-eastwest"));
                    JsonNode remote = json(gateway("cluster1", "istio-remote-peer-cluster2"));
                    assertThat(eastWest.at("/metadata/annotations/peering.solo.io~1data-plane-service-type").asText())
                            .isEqualTo("nodeport");
                    assertThat(eastWest.at("/status/addresses/0/value").asText()).isEqualTo("cluster2.eastwest.example");
                    assertThat(condition(eastWest, "gloo.solo.io/DataPlaneServiceType")).isEqualTo("NodePort True");
                    assertThat(remote.at("/spec/addresses/0/value").asText()).isEqualTo("cluster2.eastwest.example");
                    assertThat(condition(remote, "gloo.solo.io/PeeringSucceeded")).isEqualTo("Connected True");
                    assertThat(condition(remote, "gloo.solo.io/DataPlaneServiceType")).isEqualTo("NodePort True");
                    assertThat(status("managed-istio-cluster1").path("peers").asText()).isEqualTo("1/1");
                });
        assertThat(condition(json(gateway("cluster1", "istio-eastwest")), "gloo.solo.io/DataPlaneServiceType"))
                .as("cluster1 is not annotated").isEqualTo("LoadBalancer True");
        assertThat(controller("managed-istio-cluster2").getMetadata().getGeneration()).as("metadata only").isEqualTo(1);
    }

    @Test
    @Order(4)
    void deletingAControllerRemovesEverythingItInstalledAndThenTheResource() throws Exception {
        assertThat(fleet.managedObjects("cluster2")).as("installed in cluster2").isNotEmpty();

        fleet.sandbox.delete(new ResourceRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio-cluster2"));
        fleet.settle();

        assertThat(controller("managed-istio-cluster2")).as("finalizer released, resource gone").isNull();
        assertThat(fleet.managedObjects("cluster2")).as("left in cluster2").isEmpty();
        assertThat(istiod("cluster2")).isNull();
        assertThat(fleet.managedObjects("cluster1")).as("cluster1's controller is untouched").isNotEmpty();
    }

    @Test
    @Order(5)
    void onConflictAbortRefusesAnIstioMeshfleetDoesNotManageAndForceTakesItOver() throws Exception {
        var c2 = fleet.workload("cluster2");
        c2.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("istio-system").endMetadata().build()).createOr(existing -> existing.update());
        c2.apps().deployments().inNamespace("istio-system").resource(new DeploymentBuilder().withNewMetadata()
                .withName("istiod").withLabels(Map.of("app", "istiod")).endMetadata().withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(Map.of("app", "istiod")).endSelector().withNewTemplate()
                .withNewMetadata().withLabels(Map.of("app", "istiod")).endMetadata().withNewSpec().addNewContainer()
                .withName("discovery").withImage("docker.io/istio/pilot:1.27.0").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();

        fleet.applyAndSettle("smc-abort.yaml", controllerYaml("taken-over", "cluster2", "Abort"));
        JsonNode refused = status("taken-over");
        assertThat(refused.path("phase").asText()).as(refused.toString()).isEqualTo("FAILED");
        JsonNode crds = refused.path("conditions").get(1);
        assertThat(crds.path("type").asText()).isEqualTo("CRDInstalled");
        assertThat(crds.path("status").asText()).isEqualTo("False");
        assertThat(crds.path("reason").asText()).isEqualTo("ActionRequired");
        assertThat(crds.path("message").asText()).contains("does not manage", "istio-system/istiod");
        assertThat(istiod("cluster2").getMetadata().getLabels()).as("untouched")
                .doesNotContainKey("app.kubernetes.io/managed-by");

        fleet.applyAndSettle("smc-force.yaml", controllerYaml("taken-over", "cluster2", "Force"));
        JsonNode taken = status("taken-over");
        assertThat(taken.path("phase").asText()).as(taken.toString()).isEqualTo("SUCCEEDED");
        assertThat(taken.path("conditions")).extracting(c -> c.path("status").asText()).containsOnly("True");
        assertThat(taken.path("observedGeneration").asLong()).isEqualTo(2);
        assertThat(istiod("cluster2").getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshfleet");
        assertThat(istiod("cluster2").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .endsWith(":1.28.1-patch0-solo");

        fleet.sandbox.delete(new ResourceRef(ResourceKind.ServiceMeshController, "gloo-mesh", "taken-over"));
        fleet.sandbox.delete(new ResourceRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio-cluster1"));
        fleet.settle();
        assertThat(fleet.managedObjects("cluster1")).as("left in cluster1").isEmpty();
        assertThat(fleet.managedObjects("cluster2")).as("left in cluster2, the taken-over istiod included").isEmpty();
    }

    // ---- issue 12 item 4 end to end: a peered mesh of its own namespace, a fourth cluster joining and leaving ----

    static final String PEERED = "peered";
    static final List<String> MESH = List.of("cluster3", "cluster4", "cluster5");
    static final String FOURTH = "cluster6";
    static String peeredController(String cluster) {
        return """
                ---
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: managed-istio-%1$s, namespace: peered}
                spec: {cluster: %1$s, network: %1$s, dataplaneMode: Ambient, version: 1.28.1-patch0}
                """.formatted(cluster);
    }

    static JsonNode peeredStatus(String cluster) {
        GenericKubernetesResource r = fleet.sandbox.management().genericKubernetesResources(SMC).inNamespace(PEERED)
                .withName("managed-istio-" + cluster).get();
        return r == null ? null : JSON.valueToTree(r.getAdditionalProperties().get("status"));
    }

    /** The Gateways of istio-eastwest in the cluster, by name. */
    static Map<String, JsonNode> gateways(String cluster) {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (GenericKubernetesResource g : fleet.workload(cluster).genericKubernetesResources(GATEWAY)
                .inNamespace("istio-eastwest").list().getItems()) {
            out.put(g.getMetadata().getName(), JSON.valueToTree(g));
        }
        return out;
    }

    /** A Gateway's condition's status ("True"), null without it. */
    static String conditionStatus(JsonNode gateway, String type) {
        for (JsonNode c : gateway.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    static String address(JsonNode eastWest) {
        return eastWest.path("status").path("addresses").path(0).path("value").asText();
    }

    /** Every controller of the clusters SUCCEEDED with peers {@code peers}; fails with the table. */
    static void awaitPeers(List<String> clusters, String peers) {
        try {
            org.awaitility.Awaitility.await("peers " + peers + " on " + clusters).atMost(Fleet.STEP_TIMEOUT)
                    .pollInterval(java.time.Duration.ofMillis(200)).until(() -> clusters.stream().allMatch(c -> {
                        JsonNode s = peeredStatus(c);
                        return s != null && s.path("phase").asText().equals("SUCCEEDED")
                                && s.path("peers").asText().equals(peers);
                    }));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + Rendering.table(fleet.sandbox.views()), e);
        }
    }

    /** Right after a step settled: every controller of the clusters SUCCEEDED with peers {@code peers}. */
    static void assertPeers(List<String> clusters, String peers) {
        for (String c : clusters) {
            JsonNode s = peeredStatus(c);
            assertThat(s).as("status of " + c).isNotNull();
            assertThat(s.path("phase").asText() + " " + s.path("peers").asText()).as(c + ": " + s + "\n"
                    + Rendering.table(fleet.sandbox.views())).isEqualTo("SUCCEEDED " + peers);
        }
    }

    static List<dev.meshfleet.testkit.WriteLog.Write> installerWritesSince(int mark) {
        List<dev.meshfleet.testkit.WriteLog.Write> all = fleet.sandbox.api().writeLog().writes();
        return all.subList(mark, all.size()).stream().filter(w -> w.writer().isPresent()).toList();
    }

    @Test
    @Order(6)
    void threePeeredControllersSucceedWithTheirGatewaysProgrammedEveryLinkUpAndOneRootOfTrust() throws Exception {
        String mesh = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: gloo-extensions-config, namespace: peered}
                data:
                  beta: |
                    serviceMeshController:
                      multiClusterMode: Peering
                """ + peeredController("cluster3") + peeredController("cluster4") + peeredController("cluster5");

        fleet.applyAndSettle("peered-mesh.yaml", mesh);
        // The step settles only once every peer followed (MeshSummary.Mesh#settled), as `sandbox run` waits: no waiting beyond it.
        assertPeers(MESH, "2/2");

        Secret rootSecret = fleet.sandbox.management().secrets().inNamespace("gloo-mesh").withName("meshfleet-root-ca").get();
        X509Certificate root = certificates(entry(rootSecret, "tls.crt")).get(0);
        Set<String> addresses = new HashSet<>();
        for (String cluster : MESH) {
            JsonNode status = peeredStatus(cluster);
            assertThat(status.path("conditions")).extracting(c -> c.path("type").asText() + "=" + c.path("status").asText())
                    .containsExactly("Initialized=True", "CRDInstalled=True", "ControlPlaneDeployed=True",
                            "CNIDeployed=True", "WebhookDeployed=True", "Ready=True");
            assertThat(status.has("peering")).as("no link down: " + status).isFalse();
            Map<String, JsonNode> gateways = gateways(cluster);
            List<String> others = MESH.stream().filter(c -> !c.equals(cluster)).toList();
            assertThat(gateways.keySet()).containsExactly("istio-eastwest", "istio-remote-peer-" + others.get(0),
                    "istio-remote-peer-" + others.get(1));
            JsonNode eastWest = gateways.get("istio-eastwest");
            assertThat(eastWest.path("spec").path("gatewayClassName").asText()).isEqualTo("istio-eastwest");
            assertThat(eastWest.path("metadata").path("labels").path("topology.istio.io/network").asText())
                    .isEqualTo(cluster);
            assertThat(conditionStatus(eastWest, "Programmed")).as(eastWest.toString()).isEqualTo("True");
            assertThat(address(eastWest)).startsWith("192.0.2.");
            addresses.add(address(eastWest));
            for (String other : others) {
                JsonNode remote = gateways.get("istio-remote-peer-" + other);
                assertThat(remote.path("spec").path("gatewayClassName").asText()).isEqualTo("istio-remote");
                assertThat(conditionStatus(remote, "gloo.solo.io/PeeringSucceeded")).as(remote.toString()).isEqualTo("True");
                // The remote peer points at the address the peer's own east-west Gateway has.
                assertThat(remote.path("spec").path("addresses").path(0).path("value").asText())
                        .isEqualTo(address(gateways(other).get("istio-eastwest")));
            }
            // One root of trust: each cluster's plug-in CA holds the generated root and chains to it (PKIX).
            Secret cacerts = fleet.workload(cluster).secrets().inNamespace("istio-system").withName("cacerts").get();
            assertThat(certificates(entry(cacerts, "root-cert.pem"))).containsExactly(root);
            assertThat(CertificateChains.validatedIntermediate(cacerts, root, Instant.now())
                    .getSubjectX500Principal().getName()).contains("L=" + cluster);
        }
        assertThat(addresses).as("one east-west address per cluster").hasSize(3);
    }

    @Test
    @Order(7)
    void aFourthControllerIsPeeredEverywhereAndCostsTheOthersOnlyTheirPeeringGateways() throws Exception {
        int mark = fleet.sandbox.api().writeLog().writes().size();

        fleet.applyAndSettle("peered-fourth.yaml", peeredController(FOURTH));
        assertPeers(List.of("cluster3", "cluster4", "cluster5", FOURTH), "3/3");
        List<dev.meshfleet.testkit.WriteLog.Write> writes = installerWritesSince(mark);
        writes.forEach(w -> System.err.println("peering E2E, the fourth joins: " + w.cluster() + " " + w.method() + " "
                + w.path()));

        String gatewaysPath = "/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/";
        List<String> fourth = writes.stream().filter(w -> w.cluster().equals(FOURTH)).map(w -> w.path()).toList();
        assertThat(fourth).as("the new cluster: its own installation and its peering Gateways")
                .anyMatch(p -> p.startsWith("/apis/apps/v1/namespaces/istio-system/deployments/istiod"))
                .anyMatch(p -> p.startsWith(gatewaysPath + "istio-eastwest"))
                .anyMatch(p -> p.startsWith(gatewaysPath + "istio-remote-peer-cluster3"))
                .anyMatch(p -> p.startsWith(gatewaysPath + "istio-remote-peer-cluster4"))
                .anyMatch(p -> p.startsWith(gatewaysPath + "istio-remote-peer-cluster5"));
        for (String cluster : MESH) {
            List<String> paths = writes.stream().filter(w -> w.cluster().equals(cluster)).map(w -> w.path()).toList();
            assertThat(paths).as("writes to " + cluster).anyMatch(p -> p.startsWith(gatewaysPath + "istio-remote-peer-"
                    + FOURTH));
            // Only what changed in its peering installation is written (ADR 0048): the new remote peer Gateway and
            // the installation's inventory; no other Gateway, no namespace, nothing of its control plane.
            assertThat(paths).as("writes to " + cluster).allMatch(p -> p.startsWith(gatewaysPath
                    + "istio-remote-peer-" + FOURTH)
                    || p.startsWith("/api/v1/namespaces/meshfleet-system/configmaps/inventory-smc-peered-managed-istio-"
                            + cluster + "-peering"));
            assertThat(gateways(cluster).keySet()).contains("istio-remote-peer-" + FOURTH);
            assertThat(conditionStatus(gateways(cluster).get("istio-remote-peer-" + FOURTH), "gloo.solo.io/PeeringSucceeded"))
                    .isEqualTo("True");
        }
        assertThat(gateways(FOURTH).keySet()).containsExactly("istio-eastwest", "istio-remote-peer-cluster3",
                "istio-remote-peer-cluster4", "istio-remote-peer-cluster5");
        assertThat(writes).as("writes to cluster1 and cluster2, outside this mesh")
                .noneMatch(w -> w.cluster().equals("cluster1") || w.cluster().equals("cluster2"));
    }

    @Test
    @Order(8)
    void anEastWestAddressThatMovesIsPushedToEveryPeer() {
        String before = address(gateways("cluster4").get("istio-eastwest"));

        fleet.sandbox.setFaults("cluster4", List.of(new dev.meshfleet.testkit.Fault.EastWestAddressChange()));

        org.awaitility.Awaitility.await("cluster4's east-west Gateway moved").atMost(Fleet.STEP_TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !address(gateways("cluster4").get("istio-eastwest")).equals(before));
        String moved = address(gateways("cluster4").get("istio-eastwest"));
        assertThat(moved).startsWith("192.0.2.").isNotEqualTo(before);
        for (String peer : List.of("cluster3", "cluster5", FOURTH)) {
            try {
                org.awaitility.Awaitility.await(peer + "'s istio-remote-peer-cluster4 at " + moved + ", up")
                        .atMost(Fleet.STEP_TIMEOUT).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                            JsonNode remote = gateways(peer).get("istio-remote-peer-cluster4");
                            return remote != null && moved.equals(remote.path("spec").path("addresses").path(0)
                                    .path("value").asText())
                                    && "True".equals(conditionStatus(remote, "gloo.solo.io/PeeringSucceeded"));
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; now " + gateways(peer).get("istio-remote-peer-cluster4"), e);
            }
        }
        awaitPeers(List.of("cluster3", "cluster4", "cluster5", FOURTH), "3/3");
    }

    @Test
    @Order(9)
    void deletingTheFourthControllerRemovesItsPeerEverywhereAndItsOwnGateways() throws Exception {
        fleet.sandbox.delete(new ResourceRef(ResourceKind.ServiceMeshController, PEERED, "managed-istio-" + FOURTH));
        fleet.settle();
        assertPeers(MESH, "2/2");

        assertThat(peeredStatus(FOURTH)).as("finalizer released, resource gone").isNull();
        assertThat(gateways(FOURTH)).as("Gateways left in " + FOURTH).isEmpty();
        assertThat(gateways("cluster3").keySet()).containsExactly("istio-eastwest", "istio-remote-peer-cluster4",
                "istio-remote-peer-cluster5");
        assertThat(gateways("cluster4").keySet()).containsExactly("istio-eastwest", "istio-remote-peer-cluster3",
                "istio-remote-peer-cluster5");
        assertThat(gateways("cluster5").keySet()).containsExactly("istio-eastwest", "istio-remote-peer-cluster3",
                "istio-remote-peer-cluster4");
    }
}
