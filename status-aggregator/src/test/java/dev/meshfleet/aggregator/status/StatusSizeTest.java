package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.aggregator.fold.Event;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.aggregator.stream.AvroStatus;
import dev.meshfleet.schemas.v1.ResourceKind;

/**
 * The status of a resource at fleet size: 1,000 clusters x 2 revisions, every installation HEALTHY
 * with the operator of examples/ilm-minimal.yaml, folded by the real fold and rendered as written.
 * Kubernetes refuses objects over 1.5 MiB; the status must stay well under 1 MiB.
 */
class StatusSizeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Owner ILM = new Owner(ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod-control-plane",
            "uid-1");
    /** examples/ilm-minimal.yaml's istioOperatorSpec with its revision, as the installer reports it. */
    static final String OPERATOR = """
            {"components":{"pilot":{"k8s":{"env":[{"name":"PILOT_SKIP_VALIDATE_TRUST_DOMAIN","value":"true"}]}}},\
            "hub":"registry.example/istio","meshConfig":{"accessLogFile":"/dev/stdout","defaultConfig":\
            {"holdApplicationUntilProxyStarts":true,"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true"}},\
            "outboundTrafficPolicy":{"mode":"ALLOW_ANY"}},"namespace":"istio-system","profile":"minimal",\
            "tag":"1.24.2-solo","revision":"%s"}""";
    private static final int KIB = 1024;

    static Status fleet(int clusters, String... states) {
        List<Event> events = new ArrayList<>();
        long sequence = 0;
        for (int c = 1; c <= clusters; c++) {
            for (String revision : List.of("1-24", "1-25")) {
                for (String state : states) {
                    boolean deployed = state.equals("HEALTHY") || state.equals("UNHEALTHY");
                    sequence++;
                    events.add(new Event(ILM, 1, "cluster" + c, revision, state, "",
                            deployed ? OPERATOR.formatted(revision) : null, "h-" + revision, "installer/installer-0", 1,
                            sequence, sequence));
                }
            }
        }
        return StatusFold.foldAll(null, events);
    }

    static byte[] rendered(Status status) throws Exception {
        return JSON.writeValueAsBytes(StatusDocument.render(AvroStatus.avro(status)));
    }

    @Test
    void aThousandClustersTimesTwoRevisionsAllHealthyRenderWellUnderOneMebibyte() throws Exception {
        Status fleet = fleet(1000, "INSTALLING_CONTROL_PLANE", "HEALTHY");
        byte[] full = JSON.writeValueAsBytes(StatusDocument.renderFull(AvroStatus.avro(fleet)));
        byte[] written = rendered(fleet);

        System.out.printf("status of 1000 clusters x 2 revisions, all HEALTHY: seed shape %d KiB, written %d KiB%n",
                full.length / KIB, written.length / KIB);
        assertThat(written.length).isLessThan(256 * KIB);
        JsonNode node = JSON.readTree(written);
        assertThat(node.at("/summary/healthy").asText()).isEqualTo("2000/2000");
        assertThat(node.at("/clusters/cluster1000/installations/1-25/state").asText()).isEqualTo("HEALTHY");
        assertThat(node.at("/clusters/cluster1000/installations/1-25/observedRevision").asText()).isEqualTo("1-25");
        assertThat(node.at("/observedOperators/1-25")).isEqualTo(JSON.readTree(OPERATOR.formatted("1-25")));
        assertThat(node.at("/clusters/cluster1000/installations/1-25/observedOperator").isMissingNode()).isTrue();
    }

    @Test
    void aThousandClustersAllFailingWithLongMessagesStillFit() throws Exception {
        List<Event> events = new ArrayList<>();
        String reason = "workloads not ready: Deployment istio-system/istiod-1-24: replicas ready 0/2, "
                + "DaemonSet istio-system/istio-cni-node: 0/3 pods ready, DaemonSet istio-system/ztunnel: 0/3 pods ready";
        long sequence = 0;
        for (int c = 1; c <= 1000; c++) {
            for (String revision : List.of("1-24", "1-25")) {
                sequence++;
                events.add(new Event(ILM, 1, "cluster" + c, revision, "CONTROL_PLANE_INSTALL_FAILED",
                        "not ready within 300s (istioController.waitForResourcesTimeout): " + reason,
                        OPERATOR.formatted(revision), "h-" + revision, "installer/installer-0", 1, sequence, sequence));
            }
        }
        byte[] written = rendered(StatusFold.foldAll(null, events));

        System.out.printf("status of 1000 clusters x 2 revisions, all failing with a message: written %d KiB%n",
                written.length / KIB);
        assertThat(written.length).isLessThan(768 * KIB);
    }

    @Test
    void aSmallFleetKeepsTheSeedShapeWithAnOperatorOnEveryInstallation() throws Exception {
        JsonNode node = JSON.readTree(rendered(fleet(2, "HEALTHY")));

        assertThat(node.has("observedOperators")).isFalse();
        assertThat(node.at("/clusters/cluster2/installations/1-24/observedOperator/profile").asText()).isEqualTo("minimal");
    }

    @Test
    void atFleetSizeAnInstallationRunningAnotherOperatorThanItsRevisionsCarriesItsOwn() throws Exception {
        Status fleet = fleet(1000, "HEALTHY");
        String other = OPERATOR.formatted("1-24").replace("1.24.2-solo", "1.24.3-solo");
        Status oneBehind = StatusFold.fold(fleet, new Event(ILM, 1, "cluster7", "1-24", "HEALTHY", "", other, "h-1-24",
                "installer/installer-0", 1, 1_000_000, 1_000_000)).status();

        JsonNode node = JSON.readTree(rendered(oneBehind));

        assertThat(node.at("/observedOperators/1-24/tag").asText()).isEqualTo("1.24.2-solo");
        assertThat(node.at("/clusters/cluster7/installations/1-24/observedOperator/tag").asText()).isEqualTo("1.24.3-solo");
        assertThat(node.at("/clusters/cluster8/installations/1-24/observedOperator").isMissingNode()).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 50, 400, 1000})
    void whichShapeIsWrittenFollowsTheFullShapesLengthWhichIsKnownWithoutRenderingIt(int clusters) throws Exception {
        Status fleet = fleet(clusters, "HEALTHY");
        // Beside the shared operator: one installation with another, one whose operator is not JSON, one message
        // that JSON must escape.
        String other = OPERATOR.formatted("1-24").replace("1.24.2-solo", "1.24.3-\"solo\"");
        fleet = StatusFold.fold(fleet, new Event(ILM, 1, "cluster1", "1-24", "HEALTHY", "", other, "h-1-24",
                "installer/installer-0", 1, 1_000_000, 1_000_000)).status();
        fleet = StatusFold.fold(fleet, new Event(ILM, 1, "cluster1", "1-25", "UNHEALTHY", "a \"quoted\" \u00e9 message",
                "not json {", "h-1-25", "installer/installer-0", 1, 1_000_001, 1_000_001)).status();
        var avro = AvroStatus.avro(fleet);
        com.fasterxml.jackson.databind.node.ObjectNode shared = StatusDocument.renderShared(avro);
        String full = StatusDocument.renderFull(avro).toString();

        assertThat(StatusDocument.fullLength(avro, shared, StatusDocument.sharedOperators(avro), new java.util.HashMap<>()))
                .isEqualTo(full.length());
        assertThat(StatusDocument.render(avro).toString())
                .isEqualTo(full.length() <= StatusDocument.FULL_SHAPE_LIMIT ? full : shared.toString());
    }
}
