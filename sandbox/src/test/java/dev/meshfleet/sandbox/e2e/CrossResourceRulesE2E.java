package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus.InstallationStatus;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;

/**
 * Rules that span resources (issue 4, items 1 and 2) through the whole pipeline: at most one default
 * revision per cluster across ILMs, one gateway of a type per revision per cluster across GLMs; the
 * resource whose change creates the conflict fails naming the other, and proceeds by itself once
 * the other is gone. One fleet for the class; the cases build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossResourceRulesE2E {

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

    static String ilm(String name, String revision) {
        return Specs.ilm(name, Specs.minimal(revision, Specs.TAG, "- name: cluster1\n  defaultRevision: true", ""));
    }

    static String glm(String name, String gatewayName) {
        return """
                apiVersion: admin.gloo.solo.io/v2
                kind: GatewayLifecycleManager
                metadata:
                  name: %s
                  namespace: gloo-mesh
                spec:
                  installations:
                    - gatewayRevision: 1-25
                      clusters:
                        - name: cluster1
                          activeGateway: true
                      istioOperatorSpec:
                        profile: empty
                        hub: registry.example/istio
                        tag: 1.24.2-solo
                        components:
                          ingressGateways:
                            - name: %s
                              enabled: true
                """.formatted(name, gatewayName);
    }

    static String defaultTagRevision() {
        MutatingWebhookConfiguration tag = fleet.sandbox.api().client("cluster1").admissionRegistration().v1()
                .mutatingWebhookConfigurations().withName("istio-revision-tag-default").get();
        assertThat(tag).as("the default revision tag webhook in cluster1").isNotNull();
        return tag.getMetadata().getLabels().get("istio.io/rev");
    }

    @Test
    @Order(1)
    void aSecondIlmMakingCluster1sDefaultRevisionItsOwnFailsNamingTheFirstWhichStaysHealthyAndKeepsTheDefaultTag()
            throws Exception {
        fleet.applyAndSettle(fleet.manifest("first.yaml", ilm("istiod-first", "1-24")));
        assertThat(defaultTagRevision()).isEqualTo("1-24");

        fleet.applyAndSettle(fleet.manifest("second.yaml", ilm("istiod-second", "1-25")));

        InstallationStatus second = Fleet.installation(fleet.ilmStatus("istiod-second"), "cluster1", "1-25");
        assertThat(second.state()).isEqualTo("FAILED");
        assertThat(second.message()).startsWith("spec.installations[0].clusters[0].defaultRevision: ")
                .contains("IstioLifecycleManager gloo-mesh/istiod-first");
        assertThat(Fleet.installation(fleet.ilmStatus("istiod-first"), "cluster1", "1-24").state()).isEqualTo("HEALTHY");
        assertThat(defaultTagRevision()).isEqualTo("1-24");
        assertThat(fleet.sandbox.api().client("cluster1").apps().deployments().inAnyNamespace().list().getItems())
                .extracting(d -> d.getMetadata().getName()).contains("istiod-1-24").doesNotContain("istiod-1-25");
    }

    @Test
    @Order(2)
    void deletingTheFirstIlmLetsTheSecondProceedByItselfAndTakeTheDefaultTag() throws Exception {
        fleet.sandbox.delete(new ResourceRef(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-first"));
        fleet.settle();

        // The settle can see the first gone while the second still shows its FAILED (a settled state) from before the
        // translator re-planned it: it proceeds within a rollout's time, by itself.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                Fleet.installation(fleet.ilmStatus("istiod-second"), "cluster1", "1-25").state()).isEqualTo("HEALTHY"));
        assertThat(defaultTagRevision()).isEqualTo("1-25");
        assertThat(fleet.sandbox.api().client("cluster1").apps().deployments().inAnyNamespace().list().getItems())
                .extracting(d -> d.getMetadata().getName()).contains("istiod-1-25").doesNotContain("istiod-1-24");
    }

    @Test
    @Order(3)
    void aSecondGlmWithAnIngressGatewayOfTheSameRevisionInCluster1FailsNamingTheFirst() throws Exception {
        fleet.applyAndSettle(fleet.manifest("gw-first.yaml", glm("gw-first", "ingress-first")));
        fleet.applyAndSettle(fleet.manifest("gw-second.yaml", glm("gw-second", "ingress-second")));

        assertThat(Fleet.installation(fleet.glmStatus("gw-first"), "cluster1", "1-25").state()).isEqualTo("HEALTHY");
        InstallationStatus second = Fleet.installation(fleet.glmStatus("gw-second"), "cluster1", "1-25");
        assertThat(second.state()).isEqualTo("FAILED");
        assertThat(second.message())
                .startsWith("spec.installations[0].istioOperatorSpec.components.ingressGateways[0]: ")
                .contains("GatewayLifecycleManager gloo-mesh/gw-first");
        assertThat(fleet.sandbox.api().client("cluster1").apps().deployments().inAnyNamespace().list().getItems())
                .extracting(d -> d.getMetadata().getName()).doesNotContain("ingress-second-1-25");
    }
}
