package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.meshfleet.sandbox.status.Rendering;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/** Seed 002: the ambient control plane and its ingress gateway, revisionless, on cluster1; ambient's rules. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AmbientE2E {

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

    static DaemonSet daemonSet(String name) {
        List<DaemonSet> found = fleet.workload("cluster1").apps().daemonSets().inAnyNamespace().list().getItems()
                .stream().filter(d -> d.getMetadata().getName().equals(name)).toList();
        assertThat(found).as("DaemonSet " + name + " in cluster1").hasSize(1);
        return found.get(0);
    }

    static Map<String, String> env(List<EnvVar> env) {
        return env.stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    }

    static String ambient(String name, String revisionLine, String tag) {
        return Specs.ilm(name, Specs.installation(revisionLine, "ambient", tag, "- name: cluster1", ""));
    }

    @Test
    @Order(1)
    void theAmbientExamplesEndHealthyWithCniAndZtunnelDaemonSetsReadyAndTheZtunnelEnvPassedThrough() throws Exception {
        fleet.applyAndSettle(fleet.example("ilm-ambient.yaml"));
        var last = fleet.applyAndSettle(fleet.example("glm-ambient-ingress.yaml"));

        assertThat(last.allHealthy()).as(Rendering.table(fleet.sandbox.views())).isTrue();
        assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "default").state())
                .isEqualTo("HEALTHY");
        assertThat(Fleet.installation(fleet.glmStatus("istio-ingressgateway"), "cluster1", "default").state())
                .isEqualTo("HEALTHY");
        for (String name : List.of("istio-cni-node", "ztunnel")) {
            DaemonSet ds = daemonSet(name);
            assertThat(ds.getStatus()).as(name + " status").isNotNull();
            assertThat(ds.getStatus().getObservedGeneration()).isEqualTo(ds.getMetadata().getGeneration());
            assertThat(ds.getStatus().getDesiredNumberScheduled()).isPositive();
            assertThat(ds.getStatus().getNumberReady()).as(name + " numberReady = desired")
                    .isEqualTo(ds.getStatus().getDesiredNumberScheduled());
        }
        assertThat(env(daemonSet("ztunnel").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()))
                .containsEntry("L7_ENABLED", "true");
        assertThat(daemonSet("ztunnel").getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ztunnel");
        DaemonSet cni = daemonSet("istio-cni-node");
        String cniNamespace = cni.getMetadata().getNamespace();
        assertThat(cni.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("istio-cni");
        var c1 = fleet.workload("cluster1");
        assertThat(c1.serviceAccounts().inNamespace(cniNamespace).withName("istio-cni").get()).isNotNull();
        var cniConfig = c1.configMaps().inNamespace(cniNamespace).withName("istio-cni-config").get();
        assertThat(cniConfig).as("ConfigMap istio-cni-config").isNotNull();
        assertThat(cniConfig.getData()).containsEntry("AMBIENT_ENABLED", "true");
        assertThat(c1.serviceAccounts().inNamespace(daemonSet("ztunnel").getMetadata().getNamespace())
                .withName("ztunnel").get()).isNotNull();
    }

    @Test
    @Order(2)
    void anAmbientInstallationWithANamedRevisionFailsNamingTheRevisionField() throws Exception {
        fleet.applyAndSettle("ambient-named.yaml", ambient("ambient-named", "revision: 1-23", "1.23.3-solo"));

        var rows = fleet.sandbox.views().stream().filter(v -> v.ref().name().equals("ambient-named"))
                .flatMap(v -> v.installations().stream()).toList();
        assertThat(rows).as(Rendering.table(fleet.sandbox.views())).isNotEmpty().allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.message()).contains("spec.installations[0].revision");
        });
    }

    @Test
    @Order(3)
    void anAmbientInstallationOlderThanTheMinimumFailsNamingTheMinimumVersion() throws Exception {
        fleet.applyAndSettle("ambient-old.yaml", ambient("ambient-old", "revision: \"\"", "1.22.1"));

        var rows = fleet.sandbox.views().stream().filter(v -> v.ref().name().equals("ambient-old"))
                .flatMap(v -> v.installations().stream()).toList();
        assertThat(rows).as(Rendering.table(fleet.sandbox.views())).isNotEmpty().allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.message()).contains("1.22.3-solo", "tag");
        });
        assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "default").state())
                .as("the running ambient control plane is untouched").isEqualTo("HEALTHY");
    }

    @Test
    @Order(4)
    void ambientOn1223SoloGetsDeltaXdsTurnedOffInTheIstiodEnvironment() throws Exception {
        // In place from 1.23.3-solo: a minor change, so skipUpgradeValidation (ambient has no canary).
        String spec = Files.readString(fleet.example("ilm-ambient.yaml")).replace("tag: 1.23.3-solo", "tag: 1.22.3-solo")
                .replace("    - clusters:", "    - skipUpgradeValidation: true\n      clusters:");
        fleet.applyAndSettle("ambient-1.22.3.yaml", spec);

        assertThat(Fleet.installation(fleet.ilmStatus("istiod-control-plane"), "cluster1", "default").state())
                .as(Rendering.table(fleet.sandbox.views())).isEqualTo("HEALTHY");
        var istiod = fleet.workload("cluster1").apps().deployments().inAnyNamespace().list().getItems().stream()
                .filter(d -> d.getMetadata().getName().equals("istiod")).findFirst().orElseThrow();
        var container = istiod.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).endsWith(":1.22.3-solo");
        assertThat(env(container.getEnv())).containsEntry("ISTIO_DELTA_XDS", "false");
    }
}
