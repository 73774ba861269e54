package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.sandbox.fleet.Registration;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * {@code ./meshfleet mesh} against the mock management API server with our CRDs (the status schema checks the
 * hand-written statuses as Kubernetes would), through a kubeconfig file as a user gives it. One server for every case:
 * each namespace is a mesh of its own, and no case writes.
 */
class MeshCommandIT {
    private static final ResourceDefinitionContext SMC = new ResourceDefinitionContext.Builder()
            .withGroup("operator.gloo.solo.io").withVersion("v1").withKind("ServiceMeshController")
            .withPlural("servicemeshcontrollers").withNamespaced(true).build();
    private static final String PEERING = "serviceMeshController:\n  multiClusterMode: Peering\n";

    static MockApiServer server;
    @TempDir
    static Path dir;
    static Path kubeconfig;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void threeNamespacesOfControllers() throws Exception {
        server = MockApiServer.start();
        KubernetesClient mgmt = server.client();
        Registration.installCrds(mgmt);
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, server.kubeconfig());

        // mesh-up: every link up, and a fourth controller being deleted (its finalizer holds it) that no longer counts.
        extensions(mgmt, "mesh-up", PEERING);
        controller(mgmt, "mesh-up", "cluster1", Map.of("phase", "SUCCEEDED", "peers", "2/2"));
        controller(mgmt, "mesh-up", "cluster2", Map.of("phase", "SUCCEEDED", "peers", "2/2"));
        controller(mgmt, "mesh-up", "cluster3", Map.of("phase", "SUCCEEDED", "peers", "2/2"));
        controller(mgmt, "mesh-up", "cluster4", Map.of("phase", "UNINSTALLING"));
        mgmt.genericKubernetesResources(SMC).inNamespace("mesh-up").withName("managed-istio-cluster4").delete();

        // mesh-down: cluster1's link to cluster3 and cluster2's to cluster1 down.
        extensions(mgmt, "mesh-down", PEERING);
        controller(mgmt, "mesh-down", "cluster1", Map.of("phase", "SUCCEEDED", "peers", "1/2",
                "peering", Map.of("down", List.of(Map.of("cluster", "cluster3", "reason", "AddressMismatch")))));
        controller(mgmt, "mesh-down", "cluster2", Map.of("phase", "SUCCEEDED", "peers", "1/2",
                "peering", Map.of("down", List.of(Map.of("cluster", "cluster1", "reason", "Pending")))));
        controller(mgmt, "mesh-down", "cluster3", Map.of("phase", "SUCCEEDED", "peers", "2/2"));

        // no-peering: controllers whose extensions do not peer, and their namespace is not a mesh.
        extensions(mgmt, "no-peering", "serviceMeshController:\n  cni:\n    binDir: /opt/cni/bin\n");
        controller(mgmt, "no-peering", "cluster1", Map.of("phase", "SUCCEEDED"));
        controller(mgmt, "no-peering", "cluster2", Map.of("phase", "SUCCEEDED"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMeshWithEveryLinkUpIsOneLineAndExitsZero() {
        assertThat(run("mesh", "-n", "mesh-up", "--kubeconfig", kubeconfig.toString())).isEqualTo(Main.HEALTHY);
        assertThat(out()).isEqualTo("mesh mesh-up: 3 controllers, 6/6 links up\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void everyPeeredNamespaceIsListedWithTheLinksNotUpAndExitsOne() {
        assertThat(run("mesh", "--kubeconfig", kubeconfig.toString(), "--context", "management"))
                .isEqualTo(Main.SETTLED_UNHEALTHY);
        assertThat(out()).isEqualTo("""
                mesh mesh-down: 3 controllers, 4/6 links up
                  cluster1 -> cluster3: AddressMismatch
                  cluster2 -> cluster1: Pending
                mesh mesh-up: 3 controllers, 6/6 links up
                """);
    }

    @Test
    void jsonCarriesTheSameLinksAndTheCap() throws Exception {
        assertThat(run("mesh", "-n", "mesh-down", "-o", "json", "--limit", "1", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(Main.SETTLED_UNHEALTHY);
        JsonNode doc = new ObjectMapper().readTree(out());
        assertThat(doc.get("allUp").asBoolean()).isFalse();
        JsonNode mesh = doc.get("meshes").get(0);
        assertThat(mesh.get("namespace").asText()).isEqualTo("mesh-down");
        assertThat(mesh.get("linksUp").asInt()).isEqualTo(4);
        assertThat(mesh.get("linksExpected").asInt()).isEqualTo(6);
        assertThat(mesh.get("notUp")).hasSize(1);
        assertThat(mesh.get("notUp").get(0).get("cluster").asText()).isEqualTo("cluster1");
        assertThat(mesh.get("notUp").get(0).get("peer").asText()).isEqualTo("cluster3");
        assertThat(mesh.get("notUp").get(0).get("reason").asText()).isEqualTo("AddressMismatch");
        assertThat(mesh.get("notUpOmitted").asInt()).isEqualTo(1);
    }

    @Test
    void aNamespaceThatDoesNotPeerIsNoMesh() {
        assertThat(run("mesh", "-n", "no-peering", "--kubeconfig", kubeconfig.toString())).isEqualTo(Main.HEALTHY);
        assertThat(out()).isEqualTo("no peered namespace (no gloo-extensions-config with multiClusterMode: Peering"
                + " beside a ServiceMeshController)\n");
    }

    @Test
    void badInputAndAnApiServerThatDoesNotAnswerExitTwoNamingThem() throws Exception {
        assertThat(run("mesh", "-o", "xml", "--kubeconfig", kubeconfig.toString())).isEqualTo(Main.ERROR);
        assertThat(err()).isEqualTo("meshfleet: mesh: -o takes table, yaml or json, not 'xml'\n");

        err.reset();
        Path missing = dir.resolve("no-such-kubeconfig");
        assertThat(run("mesh", "--kubeconfig", missing.toString())).isEqualTo(Main.ERROR);
        assertThat(err()).isEqualTo("meshfleet: mesh: --kubeconfig " + missing + " cannot be read (no such file)\n");

        err.reset();
        Path closed = dir.resolve("closed-kubeconfig");
        Files.writeString(closed, MockApiServer.kubeconfig("gone", "http://127.0.0.1:1"));
        assertThat(run("mesh", "--kubeconfig", closed.toString())).isEqualTo(Main.ERROR);
        assertThat(err()).startsWith("meshfleet: mesh: cannot read the ServiceMeshControllers at http://127.0.0.1:1/");
        assertThat(out()).isEmpty();
    }

    private static void extensions(KubernetesClient mgmt, String namespace, String beta) {
        Registration.namespace(mgmt, namespace);
        mgmt.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("gloo-extensions-config").withNamespace(namespace).endMetadata()
                .withData(Map.of("beta", beta)).build()).create();
    }

    private static void controller(KubernetesClient mgmt, String namespace, String cluster, Map<String, Object> status) {
        GenericKubernetesResource r = Serialization.unmarshal("""
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata:
                  name: managed-istio-%1$s
                  namespace: %2$s
                  finalizers: [meshfleet.dev/uninstall]
                spec:
                  cluster: %1$s
                  network: %1$s
                  dataplaneMode: Ambient
                  installNamespace: istio-system
                  version: 1.28.1-patch0
                """.formatted(cluster, namespace), GenericKubernetesResource.class);
        GenericKubernetesResource created = mgmt.genericKubernetesResources(SMC).inNamespace(namespace).resource(r).create();
        created.setAdditionalProperty("status", status);
        mgmt.genericKubernetesResources(SMC).inNamespace(namespace).resource(created).updateStatus();
    }

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
