package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.v1.ClusterStatus;
import dev.meshfleet.schemas.v1.InstallationStatus;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.StatusSummary;

/** A ServiceMeshController's status as seed 003 shows it (docs/adr/0027), from its folded installation. */
class SmcStatusDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2024-12-27T20:47:02.345Z");
    private static final JsonNode AMBIENT = spec("{\"cluster\": \"cluster1\", \"dataplaneMode\": \"Ambient\"}");

    static JsonNode spec(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LifecycleStatus status(String cluster, String state, String message, Instant at) {
        return status(cluster, state, message, at, null);
    }

    static LifecycleStatus status(String cluster, String state, String message, Instant at, Instant caRotateAt) {
        InstallationStatus i = new InstallationStatus(state, message, "", null, 1L, "h1", "installer/installer-0", 1L,
                3L, at, true, caRotateAt, Map.of());
        return new LifecycleStatus(new OwnerRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-1"),
                1L, Map.of(cluster, new ClusterStatus(Map.of("", i), 1L)), new StatusSummary(state, 0, 1), false);
    }

    @Test
    void aHealthyInstallationShowsTheSeedsSixConditionsTrueAndPhaseSucceeded() throws Exception {
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(status("cluster1", "HEALTHY", "", AT), AMBIENT, null)
                .toString());

        // Seed 003, "Verify that the ServiceMeshController is ready", with this event's time (to the second).
        JsonNode expected = JSON.readTree("""
                {"observedGeneration": 1, "phase": "SUCCEEDED", "conditions": [
                  {"type": "Initialized", "status": "True", "observedGeneration": 1, "reason": "ManifestsInitialized",
                   "message": "Manifests initialized", "lastTransitionTime": "2024-12-27T20:47:02Z"},
                  {"type": "CRDInstalled", "status": "True", "observedGeneration": 1, "reason": "CRDInstalled",
                   "message": "CRDs installed", "lastTransitionTime": "2024-12-27T20:47:02Z"},
                  {"type": "ControlPlaneDeployed", "status": "True", "observedGeneration": 1,
                   "reason": "DeploymentSucceeded", "message": "Deployment succeeded",
                   "lastTransitionTime": "2024-12-27T20:47:02Z"},
                  {"type": "CNIDeployed", "status": "True", "observedGeneration": 1, "reason": "DeploymentSucceeded",
                   "message": "Deployment succeeded", "lastTransitionTime": "2024-12-27T20:47:02Z"},
                  {"type": "WebhookDeployed", "status": "True", "observedGeneration": 1,
                   "reason": "DeploymentSucceeded", "message": "Deployment succeeded",
                   "lastTransitionTime": "2024-12-27T20:47:02Z"},
                  {"type": "Ready", "status": "True", "observedGeneration": 1, "reason": "SystemReady",
                   "message": "All conditions are met", "lastTransitionTime": "2024-12-27T20:47:02Z"}]}
                """);
        assertThat(rendered).isEqualTo(expected);
    }

    @Test
    void theStatusSaysWhenTheIntermediateCaIsReplacedOnceTheInstallerWroteCacerts() {
        Instant rotateAt = Instant.parse("2027-08-28T04:47:02.345Z");

        JsonNode rendered = SmcStatusDocument.render(status("cluster1", "HEALTHY", "", AT, rotateAt), AMBIENT, null);

        assertThat(rendered.path("rootOfTrust").path("intermediateRotatesAt").asText()).isEqualTo("2027-08-28T04:47:02Z");
        assertThat(rendered.path("conditions")).hasSize(6);
        assertThat(SmcStatusDocument.render(status("cluster1", "HEALTHY", "", AT), AMBIENT, null).has("rootOfTrust"))
                .as("no cacerts written: nothing said").isFalse();
    }

    /** Per state: the phase, and each condition's status and reason in the seed's order. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("INSTALL_PENDING", "INSTALLING",
                        List.of("True ManifestsInitialized", "Unknown Installing", "Unknown Installing",
                                "Unknown Installing", "Unknown Installing", "Unknown Installing")),
                Arguments.of("INSTALLING_CONTROLLER", "INSTALLING",
                        List.of("True ManifestsInitialized", "Unknown Installing", "Unknown Pending", "Unknown Pending",
                                "Unknown Pending", "Unknown Pending")),
                Arguments.of("CONTROLLER_INSTALL_FAILED", "FAILED",
                        List.of("True ManifestsInitialized", "False InstallFailed", "Unknown Pending", "Unknown Pending",
                                "Unknown Pending", "Unknown Pending")),
                Arguments.of("INSTALLING_CONTROL_PLANE", "INSTALLING",
                        List.of("True ManifestsInitialized", "True CRDInstalled", "Unknown Deploying",
                                "Unknown Deploying", "Unknown Deploying", "Unknown Deploying")),
                Arguments.of("CONTROL_PLANE_INSTALL_FAILED", "FAILED",
                        List.of("True ManifestsInitialized", "True CRDInstalled", "False DeploymentFailed",
                                "Unknown Pending", "Unknown Pending", "Unknown Pending")),
                Arguments.of("UNHEALTHY", "FAILED",
                        List.of("True ManifestsInitialized", "True CRDInstalled", "True DeploymentSucceeded",
                                "True DeploymentSucceeded", "True DeploymentSucceeded", "False NotReady")),
                Arguments.of("ACTION_REQUIRED", "FAILED",
                        List.of("True ManifestsInitialized", "False ActionRequired", "Unknown Pending",
                                "Unknown Pending", "Unknown Pending", "Unknown Pending")),
                Arguments.of("FAILED", "FAILED",
                        List.of("False InitializationFailed", "Unknown Pending", "Unknown Pending", "Unknown Pending",
                                "Unknown Pending", "Unknown Pending")),
                Arguments.of("PENDING", "PENDING",
                        List.of("Unknown Pending", "Unknown Pending", "Unknown Pending", "Unknown Pending",
                                "Unknown Pending", "Unknown Pending")),
                Arguments.of("UPDATING_CONTROL_PLANE", "UPDATING",
                        List.of("True ManifestsInitialized", "True CRDInstalled", "Unknown Updating",
                                "Unknown Updating", "Unknown Updating", "Unknown Updating")),
                Arguments.of("RECONCILING_CONTROL_PLANE", "UPDATING",
                        List.of("True ManifestsInitialized", "True CRDInstalled", "Unknown Reconciling",
                                "Unknown Reconciling", "Unknown Reconciling", "Unknown Reconciling")),
                Arguments.of("UNKNOWN", "UNKNOWN",
                        List.of("Unknown ClusterUnreachable", "Unknown ClusterUnreachable", "Unknown ClusterUnreachable",
                                "Unknown ClusterUnreachable", "Unknown ClusterUnreachable",
                                "Unknown ClusterUnreachable")),
                Arguments.of("UNINSTALLING_CONTROL_PLANE", "UNINSTALLING",
                        List.of("False Uninstalling", "False Uninstalling", "False Uninstalling", "False Uninstalling",
                                "False Uninstalling", "False Uninstalling")),
                Arguments.of("UNINSTALLED_CONTROL_PLANE", "UNINSTALLED",
                        List.of("False Uninstalled", "False Uninstalled", "False Uninstalled", "False Uninstalled",
                                "False Uninstalled", "False Uninstalled")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void eachStateHasItsPhaseAndConditions(String state, String phase, List<String> conditions) throws Exception {
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(status("cluster1", state, "why", AT), AMBIENT, null)
                .toString());

        assertThat(rendered.get("phase").asText()).isEqualTo(phase);
        assertThat(rendered.get("conditions")).extracting(c -> c.get("type").asText())
                .containsExactly("Initialized", "CRDInstalled", "ControlPlaneDeployed", "CNIDeployed",
                        "WebhookDeployed", "Ready");
        assertThat(rendered.get("conditions")).extracting(c -> c.get("status").asText() + " " + c.get("reason").asText())
                .containsExactlyElementsOf(conditions);
        for (JsonNode c : rendered.get("conditions")) {
            assertThat(c.get("observedGeneration").asLong()).isEqualTo(1);
            assertThat(c.get("lastTransitionTime").asText()).isEqualTo("2024-12-27T20:47:02Z");
        }
    }

    @Test
    void aFailureNamesItsConditionAndCarriesTheEventsMessage() throws Exception {
        String message = "spec.version: 1.24.2-solo is below 1.24.3, the minimum for multicluster";
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(status("cluster1", "FAILED", message, AT), AMBIENT,
                null).toString());

        JsonNode initialized = rendered.get("conditions").get(0);
        assertThat(initialized.get("type").asText()).isEqualTo("Initialized");
        assertThat(initialized.get("status").asText()).isEqualTo("False");
        assertThat(initialized.get("message").asText()).isEqualTo(message);
    }

    @Test
    void sidecarWithInitContainerCaptureDeploysNoCniAndSaysSo() throws Exception {
        JsonNode sidecar = spec("{\"cluster\": \"cluster1\", \"dataplaneMode\": \"Sidecar\","
                + " \"trafficCaptureMode\": \"InitContainer\"}");
        JsonNode cni = JSON.readTree(SmcStatusDocument.render(status("cluster1", "HEALTHY", "", AT), sidecar, null)
                .toString()).get("conditions").get(3);

        assertThat(cni.get("type").asText()).isEqualTo("CNIDeployed");
        assertThat(cni.get("status").asText()).isEqualTo("True");
        assertThat(cni.get("reason").asText()).isEqualTo("NotRequired");
        assertThat(SmcStatusDocument.withCni(spec("{\"dataplaneMode\": \"Sidecar\"}"))).as("Sidecar, Auto capture")
                .isTrue();
        assertThat(SmcStatusDocument.withCni(spec("{}"))).as("the CRD's default, Ambient").isTrue();
    }

    @Test
    void aConditionWhoseStatusStaysKeepsItsTransitionTimeAndOneThatChangesTakesTheEventsTime() throws Exception {
        JsonNode installing = SmcStatusDocument.render(status("cluster1", "INSTALLING_CONTROL_PLANE", "", AT), AMBIENT,
                null);
        Instant later = Instant.parse("2024-12-27T20:48:10Z");
        JsonNode healthy = JSON.readTree(SmcStatusDocument.render(status("cluster1", "HEALTHY", "", later), AMBIENT,
                JSON.readTree(installing.toString())).toString());

        assertThat(healthy.get("conditions")).extracting(c -> c.get("type").asText() + " " + c.get("lastTransitionTime").asText())
                .containsExactly("Initialized 2024-12-27T20:47:02Z", "CRDInstalled 2024-12-27T20:47:02Z",
                        "ControlPlaneDeployed 2024-12-27T20:48:10Z", "CNIDeployed 2024-12-27T20:48:10Z",
                        "WebhookDeployed 2024-12-27T20:48:10Z", "Ready 2024-12-27T20:48:10Z");
    }

    @Test
    void theInstallationShownIsTheOneOfSpecClusterAndATranslationErrorWithoutAClusterIsShownToo() throws Exception {
        LifecycleStatus moved = new LifecycleStatus(status("cluster1", "HEALTHY", "", AT).getOwner(), 2L, Map.of(
                "cluster1", status("cluster1", "UNINSTALLING_CONTROL_PLANE", "", AT).getClusters().get("cluster1"),
                "cluster2", status("cluster2", "INSTALLING_CONTROL_PLANE", "", AT).getClusters().get("cluster2")),
                new StatusSummary("INSTALLING_CONTROL_PLANE", 0, 2), false);
        assertThat(SmcStatusDocument.render(moved, spec("{\"cluster\": \"cluster2\"}"), null).get("phase").asText())
                .isEqualTo("INSTALLING");

        LifecycleStatus noCluster = status("*", "FAILED", "spec.cluster: required", AT);
        assertThat(SmcStatusDocument.render(noCluster, spec("{}"), null).get("phase").asText()).isEqualTo("FAILED");
        assertThat(SmcStatusDocument.render(new LifecycleStatus(noCluster.getOwner(), 1L, Map.of(),
                new StatusSummary("", 0, 0), false), spec("{}"), null).has("phase")).as("nothing folded yet").isFalse();
    }

    /** A peered controller: its control plane (revisionless) and its peering installation in cluster1. */
    static LifecycleStatus peered(String controlPlane, String peering, String peeringMessage, Instant peeringAt,
            Map<String, String> facts) {
        InstallationStatus cp = new InstallationStatus(controlPlane, "", "", null, 1L, "h1", "installer/installer-0", 1L,
                3L, AT, true, null, Map.of());
        InstallationStatus pg = new InstallationStatus(peering, peeringMessage, "peering", null, 1L, "p1",
                "installer/installer-0", 1L, 4L, peeringAt, true, null, facts);
        return new LifecycleStatus(new OwnerRef(ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio", "uid-1"),
                1L, Map.of("cluster1", new ClusterStatus(Map.of("", cp, "peering", pg), 1L)),
                new StatusSummary(controlPlane, 0, 2), false);
    }

    static final Map<String, String> TWO_OF_THREE_UP = Map.of("eastwest.address", "192.0.2.10",
            "eastwest.addressType", "IPAddress", "peers.up", "cluster2,cluster4",
            "peers.down", "cluster3=AddressMismatch");

    @Test
    void aPeeredControllerShowsItsLinksUpOfAllAsPeersAndNamesTheLinksDownWithTheirReasons() throws Exception {
        Instant later = Instant.parse("2024-12-27T20:49:30Z");
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(peered("HEALTHY", "HEALTHY", "", later,
                TWO_OF_THREE_UP), AMBIENT, null).toString());

        assertThat(rendered.get("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(rendered.get("peers").asText()).as("kubectl get smc: PEERS").isEqualTo("2/3");
        assertThat(rendered.get("peering")).isEqualTo(JSON.readTree("""
                {"down": [{"cluster": "cluster3", "reason": "AddressMismatch"}]}"""));
        assertThat(rendered.get("conditions")).extracting(c -> c.get("type").asText() + " " + c.get("status").asText()
                + " " + c.get("lastTransitionTime").asText())
                .as("every condition True, at the newer of the two installations' events")
                .containsExactly("Initialized True 2024-12-27T20:49:30Z", "CRDInstalled True 2024-12-27T20:49:30Z",
                        "ControlPlaneDeployed True 2024-12-27T20:49:30Z", "CNIDeployed True 2024-12-27T20:49:30Z",
                        "WebhookDeployed True 2024-12-27T20:49:30Z", "Ready True 2024-12-27T20:49:30Z");
    }

    @Test
    void everyLinkUpShowsNoLinksDownAndAPendingLinkWithoutAReasonSaysPending() throws Exception {
        JsonNode allUp = SmcStatusDocument.render(peered("HEALTHY", "HEALTHY", "", AT, Map.of("eastwest.address",
                "192.0.2.10", "eastwest.addressType", "IPAddress", "peers.up", "cluster2", "peers.down", "")),
                AMBIENT, null);
        assertThat(allUp.get("peers").asText()).isEqualTo("1/1");
        assertThat(allUp.has("peering")).isFalse();

        JsonNode noPeersYet = SmcStatusDocument.render(peered("HEALTHY", "HEALTHY", "", AT, Map.of("eastwest.address",
                "192.0.2.10", "eastwest.addressType", "IPAddress", "peers.up", "", "peers.down", "")), AMBIENT, null);
        assertThat(noPeersYet.get("peers").asText()).as("the first controller of a mesh").isEqualTo("0/0");

        JsonNode pending = SmcStatusDocument.render(peered("HEALTHY", "HEALTHY", "", AT, Map.of("peers.up", "",
                "peers.down", "cluster2=Pending,cluster3=PeerNotFound")), AMBIENT, null);
        assertThat(pending.get("peers").asText()).isEqualTo("0/2");
        assertThat(pending.get("peering").get("down")).extracting(d -> d.get("cluster").asText() + " "
                + d.get("reason").asText()).containsExactly("cluster2 Pending", "cluster3 PeerNotFound");
    }

    /** Per state of the peering installation, with the control plane HEALTHY: the phase and the Ready condition. */
    static Stream<Arguments> peeringTable() {
        String why = "waiting for Gateway istio-eastwest/istio-eastwest: Programmed is False";
        return Stream.of(
                Arguments.of("HEALTHY", "SUCCEEDED", "True SystemReady All conditions are met"),
                Arguments.of("INSTALL_PENDING", "INSTALLING", "Unknown Pending peering: " + why),
                Arguments.of("INSTALLING_CONTROL_PLANE", "INSTALLING", "Unknown Deploying peering: " + why),
                Arguments.of("UPDATING_CONTROL_PLANE", "UPDATING", "Unknown Updating peering: " + why),
                Arguments.of("RECONCILING_CONTROL_PLANE", "UPDATING", "Unknown Reconciling peering: " + why),
                Arguments.of("CONTROL_PLANE_INSTALL_FAILED", "FAILED", "False PeeringNotReady peering: " + why),
                Arguments.of("UNHEALTHY", "FAILED", "False PeeringNotReady peering: " + why),
                Arguments.of("ACTION_REQUIRED", "FAILED", "False PeeringNotReady peering: " + why),
                Arguments.of("UNKNOWN", "UNKNOWN", "Unknown ClusterUnreachable peering: " + why),
                // Being removed (the namespace no longer peers): the controller stands without it.
                Arguments.of("UNINSTALLING_CONTROL_PLANE", "SUCCEEDED", "True SystemReady All conditions are met"),
                Arguments.of("UNINSTALLED_CONTROL_PLANE", "SUCCEEDED", "True SystemReady All conditions are met"));
    }

    @ParameterizedTest(name = "peering {0} -> {1}")
    @MethodSource("peeringTable")
    void aPeeredControllerIsReadyAndSucceededOnlyOnceItsPeeringInstallationIsHealthy(String peering, String phase,
            String ready) throws Exception {
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(peered("HEALTHY", peering,
                "waiting for Gateway istio-eastwest/istio-eastwest: Programmed is False", AT, Map.of()), AMBIENT, null)
                .toString());

        assertThat(rendered.get("phase").asText()).isEqualTo(phase);
        assertThat(rendered.get("conditions")).extracting(c -> c.get("type").asText() + " " + c.get("status").asText())
                .as("the control plane's five conditions hold whatever the peering")
                .startsWith("Initialized True", "CRDInstalled True", "ControlPlaneDeployed True", "CNIDeployed True",
                        "WebhookDeployed True");
        JsonNode readyCondition = rendered.get("conditions").get(5);
        assertThat(readyCondition.get("status").asText() + " " + readyCondition.get("reason").asText() + " "
                + readyCondition.get("message").asText()).isEqualTo(ready);
        assertThat(rendered.has("peers")).as("no facts: the installer has not looked at the links yet").isFalse();
    }

    @Test
    void whileTheControlPlaneIsNotHealthyItsStepDecidesWhateverThePeeringSays() throws Exception {
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(peered("INSTALLING_CONTROL_PLANE", "HEALTHY", "", AT,
                TWO_OF_THREE_UP), AMBIENT, null).toString());

        assertThat(rendered.get("phase").asText()).isEqualTo("INSTALLING");
        assertThat(rendered.get("conditions")).extracting(c -> c.get("status").asText() + " " + c.get("reason").asText())
                .containsExactly("True ManifestsInitialized", "True CRDInstalled", "Unknown Deploying",
                        "Unknown Deploying", "Unknown Deploying", "Unknown Deploying");
        assertThat(rendered.get("peers").asText()).isEqualTo("2/3");
    }

    @Test
    void aControllerWithoutPeeringHasNoPeersAndTheSameStatusAsBefore() throws Exception {
        JsonNode rendered = JSON.readTree(SmcStatusDocument.render(status("cluster1", "HEALTHY", "", AT), AMBIENT, null)
                .toString());

        assertThat(rendered.has("peers")).isFalse();
        assertThat(rendered.has("peering")).isFalse();
        assertThat(rendered.fieldNames()).toIterable().containsExactly("observedGeneration", "phase", "conditions");
    }
}
