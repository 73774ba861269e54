package dev.meshfleet.intake.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.admission.AdmissionRequest.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;

/** The webhook's decision, one row per rule; expected values written from Kubernetes' admission contract and the spec. */
class AdmissionRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");
    static final AdmissionRules RULES = new AdmissionRules(new Translator(TranslatorSettings.defaults()));

    static final String GOOD_SPEC = """
            {"installations":[{"revision":"1-24","clusters":[{"name":"cluster1"}],
             "istioOperatorSpec":{"profile":"minimal","tag":"1.24.2-solo"}}]}""";
    /** The same spec, keys in another order and other whitespace: canonical JSON sorts keys. */
    static final String GOOD_SPEC_REORDERED = """
            {"installations":[{"istioOperatorSpec":{"tag":"1.24.2-solo","profile":"minimal"},
                "clusters":[{"name":"cluster1"}],"revision":"1-24"}]}""";
    /** GOOD_SPEC as canonical JSON, written by hand: keys sorted at every level, no whitespace. */
    static final String GOOD_SPEC_CANONICAL = "{\"installations\":[{\"clusters\":[{\"name\":\"cluster1\"}],"
            + "\"istioOperatorSpec\":{\"profile\":\"minimal\",\"tag\":\"1.24.2-solo\"},\"revision\":\"1-24\"}]}";
    static final String TAG_TWO = GOOD_SPEC.replace("1.24.2-solo", "1.24.3-solo");
    /** Two bad fields: a revision that is not a label value, and a cluster named twice. */
    static final String BAD_SPEC = """
            {"installations":[{"revision":"1_24!","clusters":[{"name":"cluster1"},{"name":"cluster1"}],
             "istioOperatorSpec":{"profile":"minimal","tag":"1.24.2-solo"}}]}""";

    @Test
    void aValidCreateIsAllowedAndRecordsWhoTheUidTheGenerationAndTheSpecHash() throws Exception {
        var decision = RULES.decide(request(Operation.CREATE, object("uid-1", 1, GOOD_SPEC), null, false), NOW);
        assertThat(decision).isEqualTo(new AdmissionRules.Allowed(Optional.of(new Admitted("req-1", "uid-1",
                ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", OptionalLong.of(1), sha256(GOOD_SPEC_CANONICAL),
                Operation.CREATE, "alice", List.of("platform-team", "system:authenticated"), NOW))));
    }

    @Test
    void theSpecHashIgnoresKeyOrderAndWhitespace() throws Exception {
        var decision = (AdmissionRules.Allowed) RULES.decide(
                request(Operation.CREATE, object("uid-1", 1, GOOD_SPEC_REORDERED), null, false), NOW);
        assertThat(decision.record().orElseThrow().specHash()).isEqualTo(sha256(GOOD_SPEC_CANONICAL));
    }

    @Test
    void anInvalidCreateIsDeniedNamingEveryFieldWithTheTranslatorsWords() throws Exception {
        var decision = RULES.decide(request(Operation.CREATE, object("uid-1", 1, BAD_SPEC), null, false), NOW);
        assertThat(decision).isInstanceOf(AdmissionRules.Denied.class);
        String message = ((AdmissionRules.Denied) decision).message();
        assertThat(message).startsWith("the spec is invalid: ").contains("spec.installations[0].revision: ")
                .contains("spec.installations[0].clusters[1].name: cluster 'cluster1' is listed more than once");
    }

    @Test
    void anUpdateThatChangesTheSpecIsValidatedAndRecordedWithTheNewGeneration() throws Exception {
        var allowed = RULES.decide(request(Operation.UPDATE, object("uid-1", 2, TAG_TWO), object("uid-1", 1, GOOD_SPEC),
                false), NOW);
        assertThat(((AdmissionRules.Allowed) allowed).record().orElseThrow())
                .extracting(Admitted::operation, Admitted::generation).containsExactly(Operation.UPDATE, OptionalLong.of(2));
        var denied = RULES.decide(request(Operation.UPDATE, object("uid-1", 2, BAD_SPEC), object("uid-1", 1, GOOD_SPEC),
                false), NOW);
        assertThat(denied).isInstanceOf(AdmissionRules.Denied.class);
    }

    @Test
    void anUpdateLeavingTheSpecAloneIsAllowedUncheckedAndUnrecordedSoABadResourceCanStillLoseItsFinalizer()
            throws Exception {
        var decision = RULES.decide(request(Operation.UPDATE, object("uid-1", 3, BAD_SPEC), object("uid-1", 3, BAD_SPEC),
                false), NOW);
        assertThat(decision).isEqualTo(new AdmissionRules.Allowed(Optional.empty()));
    }

    @Test
    void aDeleteIsAllowedEvenOfAnInvalidSpecAndRecordedFromTheOldObject() throws Exception {
        var decision = RULES.decide(request(Operation.DELETE, null, object("uid-9", 4, BAD_SPEC), false), NOW);
        Admitted record = ((AdmissionRules.Allowed) decision).record().orElseThrow();
        assertThat(record).extracting(Admitted::uid, Admitted::generation, Admitted::operation)
                .containsExactly("uid-9", OptionalLong.of(4), Operation.DELETE);
    }

    @Test
    void aDryRunIsJudgedButNeverRecorded() throws Exception {
        assertThat(RULES.decide(request(Operation.CREATE, object("uid-1", 1, GOOD_SPEC), null, true), NOW))
                .isEqualTo(new AdmissionRules.Allowed(Optional.empty()));
        assertThat(RULES.decide(request(Operation.CREATE, object("uid-1", 1, BAD_SPEC), null, true), NOW))
                .isInstanceOf(AdmissionRules.Denied.class);
    }

    @Test
    void aResourceWithoutSpecHashesAsTheEmptyObjectTheIntakePublishes() throws Exception {
        JsonNode noSpec = JSON.readTree("{\"metadata\":{\"uid\":\"uid-1\",\"generation\":1}}");
        var decision = (AdmissionRules.Allowed) RULES.decide(request(Operation.CREATE, noSpec, null, false), NOW);
        assertThat(decision.record().orElseThrow().specHash()).isEqualTo(sha256("{}"));
    }

    /** Seed 004's acceptance: "a spec naming two config clusters is refused, naming the field". */
    @Test
    void anExternalControlPlaneNamingTwoConfigClustersIsRefusedNamingTheSecond() throws Exception {
        String spec = """
                {"external":{"cluster":"cluster1","address":"istiod.mesh1.example.com","tlsSecretName":"istiod-tls"},
                 "meshID":"mesh1","remoteClusters":[{"name":"cluster2","configCluster":true},
                 {"name":"cluster3","configCluster":true}]}""";
        AdmissionRequest bad = new AdmissionRequest("req-4", ResourceKind.ExternalControlPlane, "gloo-mesh", "mesh1",
                Operation.CREATE, "alice", List.of("system:authenticated"), object("uid-4", 1, spec), null, false);
        var denied = RULES.decide(bad, NOW);
        assertThat(denied).isInstanceOf(AdmissionRules.Denied.class);
        assertThat(((AdmissionRules.Denied) denied).message())
                .startsWith("the spec is invalid: spec.remoteClusters[1].configCluster: ")
                .contains("spec.remoteClusters[0].configCluster is already true");

        AdmissionRequest good = new AdmissionRequest("req-5", ResourceKind.ExternalControlPlane, "gloo-mesh", "mesh1",
                Operation.CREATE, "alice", List.of("system:authenticated"),
                object("uid-5", 1, spec.replace("{\"name\":\"cluster3\",\"configCluster\":true}", "{\"name\":\"cluster3\"}")),
                null, false);
        assertThat(RULES.decide(good, NOW)).isInstanceOfSatisfying(AdmissionRules.Allowed.class,
                a -> assertThat(a.record().orElseThrow().kind()).isEqualTo(ResourceKind.ExternalControlPlane));
    }

    @Test
    void aServiceMeshControllerIsJudgedByItsOwnRulesNamingTheField() throws Exception {
        AdmissionRequest bad = new AdmissionRequest("req-2", ResourceKind.ServiceMeshController, "gloo-mesh", "managed-istio",
                Operation.CREATE, "alice", List.of("system:authenticated"), object("uid-2", 1,
                        "{\"cluster\":\"cluster1\",\"version\":\"1.28.1-patch0\",\"trafficCaptureMode\":\"InitContainer\"}"),
                null, false);
        var denied = RULES.decide(bad, NOW);
        assertThat(denied).isInstanceOf(AdmissionRules.Denied.class);
        assertThat(((AdmissionRules.Denied) denied).message()).startsWith("the spec is invalid: spec.trafficCaptureMode: ");

        AdmissionRequest good = new AdmissionRequest("req-3", ResourceKind.ServiceMeshController, "gloo-mesh",
                "managed-istio", Operation.CREATE, "alice", List.of("system:authenticated"),
                object("uid-3", 1, "{\"cluster\":\"cluster1\",\"version\":\"1.28.1-patch0\"}"), null, false);
        assertThat(RULES.decide(good, NOW)).isInstanceOfSatisfying(AdmissionRules.Allowed.class,
                a -> assertThat(a.record().orElseThrow().kind()).isEqualTo(ResourceKind.ServiceMeshController));
    }

    static AdmissionRequest request(Operation operation, JsonNode object, JsonNode oldObject, boolean dryRun) {
        return new AdmissionRequest("req-1", ResourceKind.IstioLifecycleManager, "gloo-mesh", "istiod", operation, "alice",
                List.of("platform-team", "system:authenticated"), object, oldObject, dryRun);
    }

    static JsonNode object(String uid, long generation, String spec) throws Exception {
        return JSON.readTree("{\"metadata\":{\"name\":\"istiod\",\"namespace\":\"gloo-mesh\",\"uid\":\"" + uid
                + "\",\"generation\":" + generation + "},\"spec\":" + spec + "}");
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
