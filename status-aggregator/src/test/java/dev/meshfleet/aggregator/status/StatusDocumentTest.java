package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.StatusSummary;

class StatusDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "{\"profile\":\"minimal\",\"namespace\":\"istio-system\","
            + "\"meshConfig\":{\"accessLogFile\":\"/dev/stdout\"}}";

    static InstallationStatus installation(String state, String message, String observedRevision, String operator) {
        return new InstallationStatus(state, message, observedRevision, operator, 1L, "h1", "installer/installer-0",
                1L, 3L, Instant.ofEpochMilli(1000), true, null, Map.of());
    }

    static LifecycleStatus status(Map<String, Map<String, InstallationStatus>> clusters, String summaryState,
            int healthy, int total) {
        Map<String, ClusterStatus> avro = new LinkedHashMap<>();
        clusters.forEach((c, i) -> avro.put(c, new ClusterStatus(i, 1L)));
        return new LifecycleStatus(new OwnerRef(ResourceKind.IstioLifecycleManager, "gloo-mesh",
                "istiod-control-plane", "uid-1"), 3L, avro, new StatusSummary(summaryState, healthy, total), false);
    }

    @Test
    void aHealthyInstallationRendersAsInTheSeedExampleWithGenerationAndSummary() throws Exception {
        LifecycleStatus status = status(Map.of("cluster1",
                Map.of("1-24", installation("HEALTHY", "", "1-24", OPERATOR))), "HEALTHY", 1, 1);

        JsonNode expected = JSON.readTree("""
                {"observedGeneration": 3,
                 "summary": {"state": "HEALTHY", "healthy": "1/1"},
                 "clusters": {"cluster1": {"installations": {"1-24": {
                     "state": "HEALTHY",
                     "observedRevision": "1-24",
                     "observedOperator": {"profile": "minimal", "namespace": "istio-system",
                                          "meshConfig": {"accessLogFile": "/dev/stdout"}}}}}}}
                """);
        // Through text, so that a long 3 and an int 3 compare as the API server would see them.
        assertThat(JSON.readTree(StatusDocument.render(status).toString())).isEqualTo(expected);
    }

    @Test
    void aRevisionlessInstallationIsShownUnderDefault() {
        LifecycleStatus status = status(Map.of("cluster1", Map.of("", installation("INSTALL_PENDING", "", "", null))),
                "INSTALL_PENDING", 0, 1);

        JsonNode installations = StatusDocument.render(status).at("/clusters/cluster1/installations");

        assertThat(installations.has("default")).isTrue();
        assertThat(installations.has("")).isFalse();
    }

    @Test
    void emptyMessageRevisionAndOperatorAreOmittedAndAMessageIsKept() {
        LifecycleStatus status = status(Map.of("cluster1", Map.of("1-24",
                installation("FAILED", "spec.installations[0].revision: must be a valid label value", "", null))),
                "FAILED", 0, 1);

        JsonNode installation = StatusDocument.render(status).at("/clusters/cluster1/installations/1-24");

        assertThat(installation.get("message").asText()).contains("spec.installations[0].revision");
        assertThat(installation.has("observedRevision")).isFalse();
        assertThat(installation.has("observedOperator")).isFalse();
    }

    @Test
    void anErrorAboutTheWholeResourceIsShownUnderTheStarCluster() {
        LifecycleStatus status = status(Map.of("", Map.of("", installation("FAILED", "spec.clusters: required", "",
                null))), "FAILED", 0, 1);

        assertThat(StatusDocument.render(status).at("/clusters/*/installations/default/state").asText())
                .isEqualTo("FAILED");
    }

    @Test
    void summaryHealthyIsShownAsHealthyOfTotal() {
        LifecycleStatus status = status(Map.of(
                "cluster1", Map.of("1-24", installation("HEALTHY", "", "1-24", OPERATOR)),
                "cluster2", Map.of("1-24", installation("UNHEALTHY", "istiod: 0/1 ready", "1-24", OPERATOR))),
                "UNHEALTHY", 1, 2);

        JsonNode summary = StatusDocument.render(status).get("summary");

        assertThat(summary.get("healthy").asText()).isEqualTo("1/2");
        assertThat(summary.get("state").asText()).isEqualTo("UNHEALTHY");
    }

    @Test
    void operatorTextThatIsNotJsonIsKeptAsAString() {
        LifecycleStatus status = status(Map.of("cluster1", Map.of("1-24",
                installation("HEALTHY", "", "1-24", "not json {"))), "HEALTHY", 1, 1);

        assertThat(StatusDocument.render(status).at("/clusters/cluster1/installations/1-24/observedOperator").asText())
                .isEqualTo("not json {");
    }

    @Test
    void theSameStatusAlwaysRendersTheSameDocumentWhateverTheMapOrder() {
        Map<String, Map<String, InstallationStatus>> a = new LinkedHashMap<>();
        a.put("cluster1", Map.of("1-24", installation("HEALTHY", "", "1-24", OPERATOR)));
        a.put("cluster2", Map.of("1-24", installation("HEALTHY", "", "1-24", OPERATOR)));
        Map<String, Map<String, InstallationStatus>> b = new LinkedHashMap<>();
        b.put("cluster2", a.get("cluster2"));
        b.put("cluster1", a.get("cluster1"));

        assertThat(StatusDocument.render(status(a, "HEALTHY", 2, 2)).toString())
                .isEqualTo(StatusDocument.render(status(b, "HEALTHY", 2, 2)).toString());
    }
}
