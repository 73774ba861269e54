package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.StatusSummary;

/** An ExternalControlPlane's status per cluster and role, and its printer columns; expected values from ADR 0031 and the CRD. */
class EcpStatusDocumentTest {
    static final YAMLMapper YAML = new YAMLMapper();
    /** The example's topology: cluster1 external, cluster2 the config cluster, cluster3 a further remote. */
    static final String SPEC = """
            external: {cluster: cluster1, address: istiod.mesh1.example.com, tlsSecretName: t}
            meshID: mesh1
            remoteClusters: [{name: cluster2, configCluster: true}, {name: cluster3}]
            """;

    static LifecycleStatus status(String summary, Map<String, String[]> states) {
        Map<String, ClusterStatus> clusters = new LinkedHashMap<>();
        states.forEach((cluster, s) -> clusters.put(cluster, ClusterStatus.newBuilder().setInstallations(Map.of("",
                InstallationStatus.newBuilder().setState(s[0]).setMessage(s[1]).setObservedRevision(s[2]).setGeneration(2)
                        .setObservedOperatorJson(s.length > 3 ? s[3] : null).setUpdatedAt(Instant.EPOCH).build())).build()));
        return LifecycleStatus.newBuilder()
                .setOwner(OwnerRef.newBuilder().setKind(ResourceKind.ExternalControlPlane).setNamespace("gloo-mesh")
                        .setName("mesh1").setUid("u1").build())
                .setObservedGeneration(2).setClusters(clusters)
                .setSummary(StatusSummary.newBuilder().setState(summary).setHealthy(0).setTotal(states.size()).build()).build();
    }

    @Test
    void everyClusterShowsItsRoleAndStateAndTheSummaryCountsTheHealthyRemotes() throws Exception {
        Map<String, String[]> states = new LinkedHashMap<>();
        states.put("cluster1", new String[] {"HEALTHY", "", "1.24.2-solo"});
        states.put("cluster2", new String[] {"HEALTHY", "", "1.24.2-solo"});
        states.put("cluster3", new String[] {"INSTALLING_CONTROL_PLANE", "waiting for istiod", ""});

        JsonNode doc = EcpStatusDocument.render(status("INSTALLING_CONTROL_PLANE", states), YAML.readTree(SPEC));

        // As text: the status is compared with what the resource holds as JSON (observedGeneration a long).
        assertThat(doc.toString()).isEqualTo(YAML.readTree("""
                observedGeneration: 2
                summary: {state: INSTALLING_CONTROL_PLANE, external: HEALTHY, remotes: 1/2}
                clusters:
                  cluster1: {role: external, state: HEALTHY, observedRevision: 1.24.2-solo}
                  cluster2: {role: config, state: HEALTHY, observedRevision: 1.24.2-solo}
                  cluster3: {role: remote, state: INSTALLING_CONTROL_PLANE, message: waiting for istiod}
                """).toString());
    }

    @Test
    void theFirstRemoteIsTheConfigClusterWhenNoneSaysSoAndARemovedClusterKeepsItsStateWithoutARole() throws Exception {
        Map<String, String[]> states = new LinkedHashMap<>();
        states.put("cluster2", new String[] {"HEALTHY", "", ""});
        states.put("cluster3", new String[] {"UNINSTALLED_CONTROL_PLANE", "", ""});
        String spec = SPEC.replace("[{name: cluster2, configCluster: true}, {name: cluster3}]", "[{name: cluster2}]");

        JsonNode doc = EcpStatusDocument.render(status("HEALTHY", states), YAML.readTree(spec));

        assertThat(doc.path("clusters").path("cluster2").path("role").asText()).isEqualTo("config");
        assertThat(doc.path("clusters").path("cluster3")).isEqualTo(YAML.readTree("{state: UNINSTALLED_CONTROL_PLANE}"));
        assertThat(doc.path("summary")).as("nothing reported by the external cluster yet: no EXTERNAL")
                .isEqualTo(YAML.readTree("{state: HEALTHY, remotes: 1/1}"));
    }

    /** ADR 0031: a remote cluster runs its part without webhooks until the external istiod is HEALTHY. */
    @Test
    void aRemoteClusterInstalledWithoutItsWebhooksIsStillInstallingAndSoIsTheSummary() throws Exception {
        Map<String, String[]> states = new LinkedHashMap<>();
        states.put("cluster1", new String[] {"HEALTHY", "", "", "{\"role\":\"external\"}"});
        states.put("cluster2", new String[] {"HEALTHY", "", "", "{\"role\":\"config\",\"webhooks\":true}"});
        states.put("cluster3", new String[] {"HEALTHY", "", "", "{\"role\":\"remote\",\"webhooks\":false}"});

        JsonNode doc = EcpStatusDocument.render(status("HEALTHY", states), YAML.readTree(SPEC));

        assertThat(doc.path("clusters").path("cluster3").path("state").asText()).isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(doc.path("clusters").path("cluster3").path("message").asText()).contains("without its injection");
        assertThat(doc.path("clusters").path("cluster2").path("state").asText()).isEqualTo("HEALTHY");
        assertThat(doc.path("summary").toString())
                .isEqualTo("{\"state\":\"INSTALLING_CONTROL_PLANE\",\"external\":\"HEALTHY\",\"remotes\":\"1/2\"}");
    }

    /** What the conditions and Events are computed from: the same states the document shows. */
    @Test
    void theStatusAsTheMeshSeesItHasTheWaitingRemoteInstallingAndLeavesTheFoldedStatusAsItWas() throws Exception {
        Map<String, String[]> states = new LinkedHashMap<>();
        states.put("cluster1", new String[] {"HEALTHY", "", "", "{\"role\":\"external\"}"});
        states.put("cluster2", new String[] {"HEALTHY", "", "", "{\"role\":\"config\",\"webhooks\":true}"});
        states.put("cluster3", new String[] {"HEALTHY", "", "", "{\"role\":\"remote\",\"webhooks\":false}"});
        LifecycleStatus folded = status("HEALTHY", states);

        LifecycleStatus seen = EcpStatusDocument.asTheMeshSeesIt(folded, YAML.readTree(SPEC));

        assertThat(seen.getClusters().get("cluster3").getInstallations().get("").getState())
                .isEqualTo("INSTALLING_CONTROL_PLANE");
        assertThat(seen.getClusters().get("cluster3").getInstallations().get("").getMessage())
                .contains("once the external istiod is HEALTHY");
        assertThat(seen.getClusters().get("cluster2").getInstallations().get("").getState()).isEqualTo("HEALTHY");
        assertThat(folded.getClusters().get("cluster3").getInstallations().get("").getState()).isEqualTo("HEALTHY");
        assertThat(EcpStatusDocument.asTheMeshSeesIt(seen, YAML.readTree(SPEC))).as("seen once is seen").isSameAs(seen);
        states.put("cluster3", new String[] {"HEALTHY", "", "", "{\"role\":\"remote\",\"webhooks\":true}"});
        LifecycleStatus allUp = status("HEALTHY", states);
        assertThat(EcpStatusDocument.asTheMeshSeesIt(allUp, YAML.readTree(SPEC))).isSameAs(allUp);
    }

    @Test
    void anErrorOfTheWholeResourceIsShownUnderTheStarKey() throws Exception {
        Map<String, String[]> states = new LinkedHashMap<>();
        states.put("*", new String[] {"FAILED", "spec.remoteClusters[1].configCluster: a mesh has one config cluster", ""});

        JsonNode doc = EcpStatusDocument.render(status("FAILED", states), YAML.readTree(SPEC));

        assertThat(doc.path("clusters")).isEqualTo(YAML.readTree("""
                "*": {state: FAILED, message: "spec.remoteClusters[1].configCluster: a mesh has one config cluster"}
                """));
        assertThat(doc.path("summary").path("remotes").asText()).isEqualTo("0/2");
    }
}
