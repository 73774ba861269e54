package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.sandbox.status.ResourceView;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Issue 4, gateways and their control planes on cluster1: a GLM that waits for its control plane, a
 * controlPlaneRevision naming another revision, gatewayRevision auto, charts from spec.helmGlobal.repo.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayLifecycleE2E {

    static final String GATEWAYS = "gloo-mesh-gateways";
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1"), Map.of());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static String controlPlane(String name, String revision, boolean defaultRevision) {
        return Specs.ilm(name, Specs.minimal(revision, Specs.TAG, "- name: cluster1\n  defaultRevision: " + defaultRevision, ""));
    }

    /** A GLM with one gateway; revisionFields are the installation's revision lines, indented by 4. */
    static String gateway(String name, String revisionFields, String type, String gatewayName) {
        return """
                apiVersion: admin.gloo.solo.io/v2
                kind: GatewayLifecycleManager
                metadata:
                  name: %s
                  namespace: gloo-mesh
                spec:
                  installations:
                    - %s
                      clusters:
                        - name: cluster1
                          activeGateway: true
                      istioOperatorSpec:
                        profile: empty
                        hub: registry.example/istio
                        tag: 1.24.2-solo
                        components:
                          %s:
                            - name: %s
                              namespace: gloo-mesh-gateways
                              enabled: true
                              label:
                                app: %s
                              k8s:
                                service:
                                  type: LoadBalancer
                                  ports:
                                    - name: http2
                                      port: 80
                                      targetPort: 8080
                """.formatted(name, revisionFields.strip().replace("\n", "\n      "), type, gatewayName, gatewayName);
    }

    /**
     * What the chart grants that no request of this fleet uses, and why each is kept: paths that only production
     * takes (ADR 0021). Anything else the chart grants must have been used by the time this class ends; a rule that
     * becomes needed here must leave this list.
     */
    static final List<String> NEEDED_ONLY_IN_PRODUCTION = List.of(
            // Finalizers re-reads the resource after a 409 on its update (a write raced with the user's edit).
            "ClusterRole meshfleet-spec-intake rules[0]: get istiolifecyclemanagers.admin.gloo.solo.io",
            "ClusterRole meshfleet-spec-intake rules[0]: get gatewaylifecyclemanagers.admin.gloo.solo.io",
            "ClusterRole meshfleet-spec-intake rules[1]: get servicemeshcontrollers.operator.gloo.solo.io",
            "ClusterRole meshfleet-spec-intake rules[2]: get externalcontrolplanes.meshfleet.dev");

    static Deployment gatewayDeployment(String name) {
        return fleet.workload("cluster1").apps().deployments().inNamespace(GATEWAYS).withName(name).get();
    }

    /**
     * Over this class's run (GLMs, ILMs, two ServiceMeshControllers and an ExternalControlPlane applied, changed, fetched from a chart directory, refused, deleted), every verb on
     * every resource the chart's roles grant was used by some service's request, but for the production-only list:
     * the chart grants nothing the code does not need.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyGrantOfTheChartWasUsedByAServiceButThoseNeededOnlyInProduction() throws Exception {
        // A ServiceMeshController (seed 003) for a cluster not registered: its grants are used (the intake's finalizer,
        // the aggregator's status and finalizer patches) without a control plane beside this class's revisioned ones.
        fleet.applyAndSettle("smc-unregistered.yaml", """
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: elsewhere, namespace: gloo-mesh}
                spec: {cluster: cluster9, version: 1.28.1-patch0}
                """);
        // The same for an ExternalControlPlane (seed 004) whose clusters are not registered.
        fleet.applyAndSettle("ecp-unregistered.yaml", """
                apiVersion: meshfleet.dev/v1alpha1
                kind: ExternalControlPlane
                metadata: {name: elsewhere, namespace: gloo-mesh}
                spec:
                  external: {cluster: cluster9, address: istiod.elsewhere.example.com, tlsSecretName: istiod-tls}
                  meshID: elsewhere
                  remoteClusters: [{name: cluster8}]
                """);
        // Deleting what the tests left is part of the run: the aggregator patches each finalizer away.
        List<ResourceRef> left = fleet.sandbox.views().stream().filter(v -> !v.gone()).map(ResourceView::ref).toList();
        assertThat(left).as("GLMs and ILMs the tests left").isNotEmpty();
        left.forEach(fleet.sandbox::delete);
        fleet.settle();
        assertThat(fleet.sandbox.views()).extracting(ResourceView::ref, ResourceView::gone)
                .containsExactlyInAnyOrderElementsOf(left.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r, true))
                        .toList());
        // A ServiceMeshController installed in a registered cluster, once the revisioned control planes are gone: the
        // installer gets the shared root of trust (generating it: the sandbox asks for that) for its cacerts (ADR 0028).
        fleet.applyAndSettle("smc-cluster1.yaml", """
                apiVersion: operator.gloo.solo.io/v1
                kind: ServiceMeshController
                metadata: {name: here, namespace: gloo-mesh}
                spec: {cluster: cluster1, version: 1.28.1-patch0}
                """);
        ResourceRef here = new ResourceRef(ResourceKind.ServiceMeshController, "gloo-mesh", "here");
        assertThat(fleet.workload("cluster1").secrets().inNamespace("istio-system").withName("cacerts").get())
                .as("cacerts of the controller's cluster").isNotNull();
        fleet.sandbox.delete(here);
        fleet.settle();

        assertThat(fleet.sandbox.serviceRbacDenials()).as("refused by the chart's RBAC").isEmpty();
        assertThat(fleet.sandbox.unusedChartGrants()).as("granted by the chart, used by no request")
                .containsExactlyInAnyOrderElementsOf(NEEDED_ONLY_IN_PRODUCTION);
    }

    @Test
    @Order(1)
    void aGatewayAppliedBeforeItsControlPlaneWaitsAndInstallsByItselfWhenAnIlmProvidesIt() throws Exception {
        fleet.applyAndSettle("ingress.yaml", gateway("ingress", "gatewayRevision: 1-24", "ingressGateways",
                "istio-ingressgateway"));
        var waiting = Fleet.installation(fleet.glmStatus("ingress"), "cluster1", "1-24");
        assertThat(waiting.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("NO_CONTROL_PLANE_AVAILABLE");
        assertThat(waiting.message()).contains("1-24");
        assertThat(gatewayDeployment("istio-ingressgateway-1-24")).as("nothing installed while waiting").isNull();
        long generation = fleet.sandbox.management().resources(dev.meshfleet.schemas.crd.GatewayLifecycleManager.class)
                .inNamespace("gloo-mesh").withName("ingress").get().getMetadata().getGeneration();

        fleet.applyAndSettle("cp-1-24.yaml", controlPlane("cp-1-24", "1-24", true));
        fleet.awaitState(ResourceKind.GatewayLifecycleManager, "ingress", "cluster1", "1-24", "HEALTHY");

        assertThat(fleet.sandbox.management().resources(dev.meshfleet.schemas.crd.GatewayLifecycleManager.class)
                .inNamespace("gloo-mesh").withName("ingress").get().getMetadata().getGeneration())
                .as("no spec change").isEqualTo(generation);
        Deployment gw = gatewayDeployment("istio-ingressgateway-1-24");
        assertThat(gw).isNotNull();
        assertThat(gw.getMetadata().getLabels()).containsEntry("istio.io/rev", "1-24");
        // The gateway chart, as upstream's, leaves replicas out unless replicaCount is set: Kubernetes defaults it to 1.
        assertThat(gw.getSpec().getReplicas()).isNull();
        assertThat(gw.getStatus().getReadyReplicas()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aGatewayWhoseControlPlaneRevisionNamesAnotherInstalledRevisionEndsHealthy() throws Exception {
        fleet.applyAndSettle("cp-1-25.yaml", controlPlane("cp-1-25", "1-25", false));
        fleet.applyAndSettle("eastwest.yaml", gateway("eastwest", "gatewayRevision: 1-25-gw\ncontrolPlaneRevision: 1-25",
                "ingressGateways", "istio-eastwestgateway"));

        var i = Fleet.installation(fleet.glmStatus("eastwest"), "cluster1", "1-25-gw");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("HEALTHY");
        Deployment gw = gatewayDeployment("istio-eastwestgateway-1-25-gw");
        assertThat(gw).isNotNull();
        // Injected by the control plane it uses (ADR 0035); its own revision is a label of Meshfleet's.
        assertThat(gw.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("istio.io/rev", "1-25")
                .containsEntry("meshfleet.dev/gateway-revision", "1-25-gw");
    }

    @Test
    @Order(3)
    void gatewayRevisionAutoResolvesToTheConfiguredDefaultRevision() throws Exception {
        // The sandbox runs the translator with its default meshfleet.translator.default-revision=1-24.
        fleet.applyAndSettle("egress-auto.yaml", gateway("egress-auto", "gatewayRevision: auto", "egressGateways",
                "istio-egressgateway"));

        var i = Fleet.installation(fleet.glmStatus("egress-auto"), "cluster1", "1-24");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("HEALTHY");
        Deployment gw = gatewayDeployment("istio-egressgateway-1-24");
        assertThat(gw).as("istio-egressgateway-1-24").isNotNull();
        assertThat(gw.getMetadata().getLabels()).containsEntry("istio.io/rev", "1-24");
        assertThat(gatewayDeployment("istio-egressgateway-auto")).isNull();
    }

    /** A GLM with one 1-25 gateway of the given type whose charts come from {@code repo}. */
    static String gatewayFrom(String name, String repo, String type, String gatewayName) {
        String glm = gateway(name, "gatewayRevision: 1-25", type, gatewayName);
        assertThat(glm).contains("\nspec:\n");
        return glm.replace("\nspec:\n", "\nspec:\n  helmGlobal:\n    repo: " + repo + "\n");
    }

    /** The stand-in charts copied to the run directory, the gateway chart marking its Deployment. */
    static Path markedChartCopy() throws Exception {
        Path source = fleet.layout.charts();
        Path copy = fleet.sandbox.runDir().resolve("custom-charts");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path template = copy.resolve("gateway/templates/deployment.yaml");
        String revLabel = "    istio.io/rev: {{ .Values.revision | default \"default\" | quote }}\n";
        String text = Files.readString(template);
        assertThat(text).contains(revLabel);
        Files.writeString(template, text.replaceFirst(java.util.regex.Pattern.quote(revLabel),
                java.util.regex.Matcher.quoteReplacement(revLabel + "    meshfleet.dev/chart-copy: \"custom\"\n")));
        return copy;
    }

    @Test
    @Order(4)
    void aGatewayWhoseHelmGlobalRepoNamesAChartDirectoryIsRenderedFromThatDirectory() throws Exception {
        Path charts = markedChartCopy();
        fleet.applyAndSettle("custom-charts.yaml", gatewayFrom("custom-charts", charts.toUri().toString(),
                "ingressGateways", "istio-customgateway"));

        var i = Fleet.installation(fleet.glmStatus("custom-charts"), "cluster1", "1-25");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("HEALTHY");
        Deployment gw = gatewayDeployment("istio-customgateway-1-25");
        assertThat(gw).as("istio-customgateway-1-25").isNotNull();
        assertThat(gw.getMetadata().getLabels()).as("rendered from the copy").containsEntry("meshfleet.dev/chart-copy",
                "custom");
        assertThat(gatewayDeployment("istio-ingressgateway-1-24").getMetadata().getLabels())
                .as("the other GLMs keep the default charts").doesNotContainKey("meshfleet.dev/chart-copy");
    }

    @Test
    @Order(5)
    void aHelmGlobalRepoThatCannotBeReadFailsTheGatewayNamingTheFieldAndTheSource() throws Exception {
        String missing = fleet.sandbox.runDir().resolve("no-such-charts").toUri().toString();
        fleet.applyAndSettle("missing-charts.yaml", gatewayFrom("missing-charts", missing, "egressGateways",
                "istio-missinggateway"));

        var i = Fleet.installation(fleet.glmStatus("missing-charts"), "cluster1", "1-25");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("FAILED");
        assertThat(i.message()).contains("spec.helmGlobal.repo").contains("no-such-charts");
        assertThat(gatewayDeployment("istio-missinggateway-1-25")).as("nothing applied").isNull();
    }

    @Test
    @Order(6)
    void aHelmGlobalRepoOffTheAllowListFailsNamingTheFieldAndTheRuleAndNothingIsFetched() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer repo = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        repo.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        repo.start();
        try {
            String url = "http://127.0.0.1:" + repo.getAddress().getPort() + "/charts";
            fleet.applyAndSettle("off-list.yaml", gatewayFrom("off-list", url, "egressGateways", "istio-offlistgateway"));

            var i = Fleet.installation(fleet.glmStatus("off-list"), "cluster1", "1-25");
            assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("FAILED");
            assertThat(i.message()).contains("spec.helmGlobal.repo").contains("'" + url + "' is not on the allow-list"
                    + " meshfleet.translator.allowed-chart-sources");
            assertThat(gatewayDeployment("istio-offlistgateway-1-25")).as("nothing applied").isNull();
            assertThat(requests.get()).as("requests the repository server saw").isZero();
        } finally {
            repo.stop(0);
        }
    }
}
