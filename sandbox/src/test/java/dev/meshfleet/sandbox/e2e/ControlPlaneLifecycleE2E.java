package dev.meshfleet.sandbox.e2e;

import static dev.meshfleet.sandbox.e2e.Specs.ilm;
import static dev.meshfleet.sandbox.e2e.Specs.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.status.Rendering;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Issue 4, control planes through the whole pipeline on cluster1 and cluster2: the canary, in-place
 * upgrades, revision auto, the trust domain, removal of a cluster and deletion. One fleet; the cases run in
 * order and the last one deletes everything the others left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneLifecycleE2E {

    static final ResourceKind ILM = ResourceKind.IstioLifecycleManager;
    static final String NS = "istio-system";
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.start(List.of("cluster1", "cluster2"), Map.of());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static Deployment deployment(String cluster, String name) {
        return fleet.workload(cluster).apps().deployments().inNamespace(NS).withName(name).get();
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static String defaultTagService(KubernetesClient c) {
        var webhook = c.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName("istio-revision-tag-default").get();
        assertThat(webhook).as("MutatingWebhookConfiguration istio-revision-tag-default").isNotNull();
        return webhook.getWebhooks().get(0).getClientConfig().getService().getName();
    }

    @Test
    @Order(1)
    void aCanaryRevisionTakesTheDefaultTagAndRemovingTheOldRevisionLeavesTheNewOneAndTheBaseLayer() throws Exception {
        String v124 = minimal("1-24", "1.24.2-solo", "- name: cluster1\n  defaultRevision: true", "");
        fleet.applyAndSettle("canary-1.yaml", ilm("canary", v124));
        assertThat(Fleet.installation(fleet.ilmStatus("canary"), "cluster1", "1-24").state()).isEqualTo("HEALTHY");
        KubernetesClient c1 = fleet.workload("cluster1");
        assertThat(defaultTagService(c1)).isEqualTo("istiod-1-24");

        String v124NotDefault = minimal("1-24", "1.24.2-solo", "- name: cluster1\n  defaultRevision: false", "");
        String v125 = minimal("1-25", "1.25.1-solo", "- name: cluster1\n  defaultRevision: true", "");
        fleet.applyAndSettle("canary-2.yaml", ilm("canary", v124NotDefault + v125));
        var status = fleet.ilmStatus("canary");
        assertThat(Fleet.installation(status, "cluster1", "1-24").state()).isEqualTo("HEALTHY");
        assertThat(Fleet.installation(status, "cluster1", "1-25").state()).isEqualTo("HEALTHY");
        assertThat(defaultTagService(c1)).as("the default tag follows defaultRevision").isEqualTo("istiod-1-25");
        assertThat(image(deployment("cluster1", "istiod-1-24"))).endsWith(":1.24.2-solo");
        assertThat(image(deployment("cluster1", "istiod-1-25"))).endsWith(":1.25.1-solo");

        fleet.applyAndSettle("canary-3.yaml", ilm("canary", v125));
        status = fleet.ilmStatus("canary");
        assertThat(Fleet.installation(status, "cluster1", "1-24").state()).isEqualTo("UNINSTALLED_CONTROL_PLANE");
        assertThat(Fleet.installation(status, "cluster1", "1-25").state()).isEqualTo("HEALTHY");
        assertThat(deployment("cluster1", "istiod-1-24")).as("istiod-1-24 pruned").isNull();
        assertThat(c1.configMaps().inNamespace(NS).withName("istio-1-24").get()).as("istio-1-24 pruned").isNull();
        assertThat(c1.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName("istio-sidecar-injector-1-24").get()).as("injector of 1-24 pruned").isNull();
        assertThat(c1.apps().deployments().inAnyNamespace().withLabel("meshfleet.dev/revision", "1-24").list()
                .getItems()).isEmpty();
        assertThat(deployment("cluster1", "istiod-1-25")).isNotNull();
        assertThat(defaultTagService(c1)).isEqualTo("istiod-1-25");
        assertThat(c1.rbac().clusterRoles().withName("istio-reader-clusterrole-istio-system").get())
                .as("the base layer stays while 1-25 needs it").isNotNull();
        assertThat(c1.apiextensions().v1().customResourceDefinitions()
                .withName("virtualservices.networking.istio.io").get()).isNotNull();
    }

    @Test
    @Order(2)
    void aPatchUpgradeInPlaceGoesUpdatingThenHealthyWithTheNewTagOnTheDeployment() throws Exception {
        fleet.applyAndSettle("inplace-1.yaml", ilm("inplace", minimal("1-24-ip", "1.24.2-solo",
                "- name: cluster2", "")));
        assertThat(Fleet.installation(fleet.ilmStatus("inplace"), "cluster2", "1-24-ip").state()).isEqualTo("HEALTHY");
        assertThat(image(deployment("cluster2", "istiod-1-24-ip"))).endsWith(":1.24.2-solo");

        fleet.sandbox.apply(fleet.manifest("inplace-2.yaml", ilm("inplace", minimal("1-24-ip", "1.24.3-solo",
                "- name: cluster2", ""))));
        // Workloads take --ready-after (1s) to become ready again, so UPDATING is visible that long at least.
        fleet.awaitState(ILM, "inplace", "cluster2", "1-24-ip", "UPDATING_CONTROL_PLANE");
        // What kubectl wait --for=condition=Ready reads: Ready of generation 2 is False while it updates (read in
        // the same object as the UPDATING state) ...
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> updating("inplace") != null);
        assertThat(updating("inplace")).contains("Ready False UpdatingControlPlane 2",
                "Progressing True UpdatingControlPlane 2", "Degraded False NoFailures 2");
        fleet.settle();
        // ... and True once it is HEALTHY.
        assertThat(conditions("inplace")).containsExactly("Ready True Healthy 2", "Progressing False Settled 2",
                "Degraded False NoFailures 2", "Reconciling False Settled 2", "Stalled False NotStalled 2");
        // The Events kubectl describe lists (its field selector): each kind of transition once, with its count. The
        // aggregator records them after the status write that made them, so they are awaited a moment.
        String uid = fleet.ilm("inplace").getMetadata().getUid();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> story = fleet.sandbox.management().v1().events().inNamespace("gloo-mesh")
                    .withField("involvedObject.name", "inplace").withField("involvedObject.uid", uid)
                    .withField("involvedObject.kind", "IstioLifecycleManager").list().getItems().stream()
                    .filter(e -> e.getReason().equals("Healthy") || e.getReason().equals("UpdatingControlPlane"))
                    .map(e -> e.getReason() + " " + e.getType() + " x" + e.getCount() + ": " + e.getMessage()).sorted()
                    .toList();
            assertThat(story).hasSize(2);
            assertThat(story.get(0)).isEqualTo("Healthy Normal x2: cluster2/1-24-ip: UPDATING_CONTROL_PLANE -> HEALTHY");
            assertThat(story.get(1)).matches(
                    "UpdatingControlPlane Normal x1: cluster2/1-24-ip: (INSTALL_PENDING|HEALTHY) -> UPDATING_CONTROL_PLANE( \\(.+\\))?");
        });

        var i = Fleet.installation(fleet.ilmStatus("inplace"), "cluster2", "1-24-ip");
        assertThat(i.state()).isEqualTo("HEALTHY");
        assertThat(i.observedOperator().path("tag").asText()).isEqualTo("1.24.3-solo");
        assertThat(image(deployment("cluster2", "istiod-1-24-ip"))).endsWith(":1.24.3-solo");
    }

    /**
     * The ILM's conditions as "type status reason observedGeneration", read in the same object as its cluster2
     * installation's state; null unless that state is UPDATING_CONTROL_PLANE.
     */
    static List<String> updating(String name) {
        var ilm = fleet.sandbox.management().genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                .inNamespace("gloo-mesh").withName(name).get();
        com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(ilm.getAdditionalProperties().get("status"));
        if (!status.at("/clusters/cluster2/installations/1-24-ip/state").asText().equals("UPDATING_CONTROL_PLANE")) {
            return null;
        }
        return conditions(status);
    }

    static List<String> conditions(String name) {
        var ilm = fleet.sandbox.management().genericKubernetesResources("admin.gloo.solo.io/v2", "IstioLifecycleManager")
                .inNamespace("gloo-mesh").withName(name).get();
        return conditions(new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(ilm.getAdditionalProperties().get("status")));
    }

    private static List<String> conditions(com.fasterxml.jackson.databind.JsonNode status) {
        List<String> all = new java.util.ArrayList<>();
        status.path("conditions").forEach(c -> all.add(c.path("type").asText() + " " + c.path("status").asText() + " "
                + c.path("reason").asText() + " " + c.path("observedGeneration").asLong()));
        return all;
    }

    @Test
    @Order(3)
    void aMinorUpgradeInPlaceWithoutSkipUpgradeValidationEndsActionRequiredAndTheClusterKeepsTheOldTag()
            throws Exception {
        fleet.applyAndSettle("inplace-3.yaml", ilm("inplace", minimal("1-24-ip", "1.25.1-solo",
                "- name: cluster2", "")));

        var i = Fleet.installation(fleet.ilmStatus("inplace"), "cluster2", "1-24-ip");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("ACTION_REQUIRED");
        assertThat(i.message()).contains("1.24.3-solo", "1.25.1-solo", "skipUpgradeValidation");
        assertThat(image(deployment("cluster2", "istiod-1-24-ip"))).endsWith(":1.24.3-solo");
    }

    @Test
    @Order(4)
    void withSkipUpgradeValidationTheMinorUpgradeInPlaceProceedsToHealthy() throws Exception {
        fleet.applyAndSettle("inplace-4.yaml", ilm("inplace", minimal("1-24-ip", "1.25.1-solo",
                "- name: cluster2", "").replace("- revision: 1-24-ip", "- revision: 1-24-ip\n  skipUpgradeValidation: true")));

        var i = Fleet.installation(fleet.ilmStatus("inplace"), "cluster2", "1-24-ip");
        assertThat(i.state()).as(Rendering.table(fleet.sandbox.views())).isEqualTo("HEALTHY");
        assertThat(image(deployment("cluster2", "istiod-1-24-ip"))).endsWith(":1.25.1-solo");
    }

    @Test
    @Order(5)
    void revisionAutoResolvesToTheConfiguredDefaultRevision() throws Exception {
        // The sandbox runs the translator with its default meshfleet.translator.default-revision=1-24.
        fleet.applyAndSettle("auto.yaml", ilm("auto", minimal("auto", "1.24.2-solo", "- name: cluster2", "")));

        assertThat(Fleet.installation(fleet.ilmStatus("auto"), "cluster2", "1-24").state()).isEqualTo("HEALTHY");
        Deployment istiod = deployment("cluster2", "istiod-1-24");
        assertThat(istiod).as("istiod-1-24 in cluster2").isNotNull();
        assertThat(istiod.getMetadata().getLabels()).containsEntry("istio.io/rev", "1-24");
        assertThat(fleet.workload("cluster2").apps().deployments().inNamespace(NS).withName("istiod-auto").get())
                .isNull();
    }

    @Test
    @Order(6)
    void theTrustDomainIsTheClusterNameUnlessTheClusterEntryOverridesItForThatClusterOnly() throws Exception {
        fleet.applyAndSettle("trust-1.yaml", ilm("trust", minimal("1-24-td", "1.24.2-solo",
                "- name: cluster1\n- name: cluster2\n  trustDomain: corp.example", "")));

        var status = fleet.ilmStatus("trust");
        assertThat(Fleet.installation(status, "cluster1", "1-24-td").state()).isEqualTo("HEALTHY");
        assertThat(Fleet.installation(status, "cluster2", "1-24-td").state()).isEqualTo("HEALTHY");
        assertThat(mesh("cluster1", "istio-1-24-td")).contains("trustDomain: cluster1");
        assertThat(mesh("cluster2", "istio-1-24-td")).contains("trustDomain: corp.example")
                .doesNotContain("trustDomain: cluster2");
    }

    @Test
    @Order(7)
    void aClusterRemovedFromTheListIsUninstalledAndItsObjectsArePrunedThereOnly() throws Exception {
        fleet.applyAndSettle("trust-2.yaml", ilm("trust", minimal("1-24-td", "1.24.2-solo",
                "- name: cluster1", "")));

        var status = fleet.ilmStatus("trust");
        assertThat(Fleet.installation(status, "cluster1", "1-24-td").state()).isEqualTo("HEALTHY");
        // Kept in the status until the owner goes, as the fold documents, saying it is uninstalled.
        assertThat(Fleet.installation(status, "cluster2", "1-24-td").state()).isEqualTo("UNINSTALLED_CONTROL_PLANE");
        assertThat(deployment("cluster2", "istiod-1-24-td")).as("pruned in cluster2").isNull();
        assertThat(fleet.workload("cluster2").configMaps().inNamespace(NS).withName("istio-1-24-td").get()).isNull();
        assertThat(deployment("cluster1", "istiod-1-24-td")).as("kept in cluster1").isNotNull();
        assertThat(deployment("cluster2", "istiod-1-24-ip")).as("other installations in cluster2 untouched")
                .isNotNull();
    }

    @Test
    @Order(8)
    void deletingEveryResourceLeavesNoManagedObjectInAnyClusterAndTheResourcesGo() throws Exception {
        for (String name : List.of("canary", "inplace", "auto", "trust")) {
            fleet.sandbox.delete(new ResourceRef(ILM, "gloo-mesh", name));
        }
        var p = fleet.settle();

        assertThat(p.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        for (String name : List.of("canary", "inplace", "auto", "trust")) {
            assertThat(fleet.ilm(name)).as("ILM " + name + " gone").isNull();
        }
        assertThat(fleet.managedObjects("cluster1")).isEmpty();
        assertThat(fleet.managedObjects("cluster2")).isEmpty();
    }

    static String mesh(String cluster, String configMap) {
        var cm = fleet.workload(cluster).configMaps().inNamespace(NS).withName(configMap).get();
        assertThat(cm).as("ConfigMap " + configMap + " in " + cluster).isNotNull();
        return cm.getData().get("mesh");
    }
}
