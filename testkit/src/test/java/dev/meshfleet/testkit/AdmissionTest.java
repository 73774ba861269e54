package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Admission as a real API server does it: custom resources pruned and validated against their
 * CRD's structural schema on every kind of write, and the size limits of the API server and etcd.
 */
class AdmissionTest {

    static final ResourceDefinitionContext WIDGET = new ResourceDefinitionContext.Builder()
            .withGroup("test.meshfleet.dev").withVersion("v1").withKind("Widget").withPlural("widgets")
            .withNamespaced(true).build();
    static final ObjectMapper JSON = new ObjectMapper();
    /** etcd's default --max-request-bytes (1.5 MiB) and the API server's request body limit (3 MiB). */
    static final int ETCD_LIMIT = 1_572_864;
    static final int BODY_LIMIT = 3_145_728;

    static MockApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MockApiServer.start();
        MockApiServerTest.installCrd(server.client(), "crds/istiolifecyclemanagers.yaml");
        MockApiServerTest.installCrd(server.client(), "crds/widgets.yaml");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static GenericKubernetesResource ilm(String name, String yamlSpec) {
        return Serialization.unmarshal("""
                apiVersion: admin.gloo.solo.io/v2
                kind: IstioLifecycleManager
                metadata:
                  name: %s
                  namespace: default
                spec:
                %s""".formatted(name, yamlSpec.indent(2)), GenericKubernetesResource.class);
    }

    static GenericKubernetesResource widget(String name, String yamlSpec) {
        return Serialization.unmarshal("""
                apiVersion: test.meshfleet.dev/v1
                kind: Widget
                metadata:
                  name: %s
                  namespace: default
                spec:
                %s""".formatted(name, yamlSpec.indent(2)), GenericKubernetesResource.class);
    }

    static KubernetesClientException refusal(Runnable write) {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write::run);
        assertThat(e).as("the write should have been refused").isNotNull();
        return e;
    }

    static List<String> fields(KubernetesClientException e) {
        return e.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).toList();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTypeErrorIsRefusedWith422AndTheMessageKubernetesGivesNamingTheField() throws Exception {
        HttpResponse<String> r = post("/apis/admin.gloo.solo.io/v2/namespaces/default/istiolifecyclemanagers", """
                {"apiVersion":"admin.gloo.solo.io/v2","kind":"IstioLifecycleManager",
                 "metadata":{"name":"typed","namespace":"default"},
                 "spec":{"installations":[{"revision":1,"clusters":[{"name":"c1"}]}]}}""");

        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        assertThat(status.path("code").asInt()).isEqualTo(422);
        assertThat(status.path("message").asText()).isEqualTo("IstioLifecycleManager.admin.gloo.solo.io \"typed\" is invalid: "
                + "spec.installations[0].revision: Invalid value: \"integer\": spec.installations[0].revision "
                + "in body must be of type string: \"integer\"");
        JsonNode details = status.path("details");
        assertThat(details.path("name").asText()).isEqualTo("typed");
        assertThat(details.path("group").asText()).isEqualTo("admin.gloo.solo.io");
        assertThat(details.path("kind").asText()).isEqualTo("IstioLifecycleManager");
        assertThat(details.path("causes")).hasSize(1);
        assertThat(details.path("causes").get(0).path("reason").asText()).isEqualTo("FieldValueInvalid");
        assertThat(details.path("causes").get(0).path("field").asText()).isEqualTo("spec.installations[0].revision");
        assertThat(details.path("causes").get(0).path("message").asText()).isEqualTo("Invalid value: \"integer\": "
                + "spec.installations[0].revision in body must be of type string: \"integer\"");
        assertThat(server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("default")
                .withName("typed").get()).isNull();
    }

    @Test
    void everyInvalidFieldIsNamedInItsOwnCauseAndTheMessageListsThemInBrackets() {
        KubernetesClientException e = refusal(() -> server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("default").resource(ilm("two-errors", """
                        installations:
                        - revision: "1-24"
                          skipUpgradeValidation: "yes"
                          clusters: [{name: 7}]
                        """)).create());

        assertThat(e.getCode()).isEqualTo(422);
        assertThat(fields(e)).containsExactlyInAnyOrder("spec.installations[0].skipUpgradeValidation",
                "spec.installations[0].clusters[0].name");
        assertThat(e.getStatus().getMessage()).startsWith("IstioLifecycleManager.admin.gloo.solo.io \"two-errors\" is invalid: [")
                .contains("spec.installations[0].clusters[0].name: Invalid value: \"integer\": "
                        + "spec.installations[0].clusters[0].name in body must be of type string: \"integer\"")
                .contains("spec.installations[0].skipUpgradeValidation: Invalid value: \"string\": "
                        + "spec.installations[0].skipUpgradeValidation in body must be of type boolean: \"string\"")
                .endsWith("]");
    }

    @Test
    void unknownFieldsArePrunedNotRefusedAndPreserveUnknownFieldsKeepsThem() {
        GenericKubernetesResource created = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("default").resource(ilm("pruned", """
                        unknownTopLevel: 1
                        installations:
                        - revision: "1-24"
                          misspelledRevison: "1-25"
                          clusters: [{name: c1, extra: true}]
                          istioOperatorSpec: {hub: example.org, anything: {goes: [1, 2]}}
                        """)).create();

        GenericKubernetesResource stored = server.client().genericKubernetesResources(MockApiServerTest.ILM)
                .inNamespace("default").withName("pruned").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertThat(spec).containsOnlyKeys("installations");
        @SuppressWarnings("unchecked")
        Map<String, Object> installation = ((List<Map<String, Object>>) spec.get("installations")).get(0);
        assertThat(installation).containsOnlyKeys("revision", "clusters", "istioOperatorSpec");
        assertThat(installation.get("clusters")).isEqualTo(List.of(Map.of("name", "c1")));
        assertThat(installation.get("istioOperatorSpec"))
                .isEqualTo(Map.of("hub", "example.org", "anything", Map.of("goes", List.of(1, 2))));
        assertThat(created.getAdditionalProperties().get("spec")).isEqualTo(spec);
    }

    @Test
    void underStrictFieldValidationAnUnknownFieldIsRefusedWith400InsteadOfPruned() throws Exception {
        HttpResponse<String> r = post("/apis/test.meshfleet.dev/v1/namespaces/default/widgets?fieldValidation=Strict", """
                {"apiVersion":"test.meshfleet.dev/v1","kind":"Widget","metadata":{"name":"strict","namespace":"default"},
                 "spec":{"size":"small","colour":"red","labels":{"a":"b"}}}""");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(status.path("message").asText()).isEqualTo("Widget in version \"v1\" cannot be handled as a Widget: "
                + "strict decoding error: unknown field \"spec.colour\"");
        assertThat(server.client().genericKubernetesResources(WIDGET).inNamespace("default").withName("strict").get())
                .isNull();
    }

    @Test
    void aValueOutsideTheEnumIsUnsupportedAndAMissingRequiredFieldIsRequired() {
        KubernetesClientException e = refusal(() -> server.client().genericKubernetesResources(WIDGET)
                .inNamespace("default").resource(widget("enum", "size: medium")).create());
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getMessage()).isEqualTo("Widget.test.meshfleet.dev \"enum\" is invalid: "
                + "spec.size: Unsupported value: \"medium\": supported values: \"small\", \"large\"");
        assertThat(e.getStatus().getDetails().getCauses().get(0).getReason()).isEqualTo("FieldValueNotSupported");

        KubernetesClientException missing = refusal(() -> server.client().genericKubernetesResources(WIDGET)
                .inNamespace("default").resource(widget("required", "port: 80")).create());
        assertThat(missing.getStatus().getMessage()).isEqualTo("Widget.test.meshfleet.dev \"required\" is invalid: "
                + "spec.size: Required value");
        assertThat(missing.getStatus().getDetails().getCauses().get(0).getReason()).isEqualTo("FieldValueRequired");
    }

    @Test
    void intOrStringTakesBothButNotABooleanAndFormatsAreChecked() {
        var widgets = server.client().genericKubernetesResources(WIDGET).inNamespace("default");
        widgets.resource(widget("port-number", "{size: small, port: 8080, replicas: 2, ratio: 1}")).create();
        widgets.resource(widget("port-name", "{size: small, port: http, since: '2026-01-01T00:00:00Z'}")).create();

        KubernetesClientException e = refusal(() -> widgets.resource(widget("port-bool",
                "{size: small, port: true, since: yesterday, replicas: 1.5}")).create());

        assertThat(fields(e)).containsExactlyInAnyOrder("spec.port", "spec.since", "spec.replicas");
        assertThat(e.getStatus().getMessage())
                .contains("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"")
                .contains("spec.since: Invalid value: \"yesterday\": spec.since in body must be of type date-time: \"yesterday\"")
                .contains("spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
    }

    @Test
    void aNullIsDroppedUnlessTheFieldIsNullableAndMapValuesAreValidated() {
        var widgets = server.client().genericKubernetesResources(WIDGET).inNamespace("default");
        widgets.resource(widget("nulls", "{size: small, port: null, note: null, labels: {a: b}}")).create();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) widgets.withName("nulls").get().getAdditionalProperties().get("spec");
        assertThat(spec).containsOnlyKeys("size", "note", "labels");
        assertThat(spec.get("note")).isNull();

        KubernetesClientException e = refusal(() -> widgets.resource(widget("bad-label", "{size: small, labels: {a: 1}}"))
                .create());
        assertThat(fields(e)).containsExactly("spec.labels[a]");
    }

    @Test
    void aMergePatchOrJsonPatchIsValidatedOnItsResultAndItsUnknownFieldsArePruned() {
        var widgets = server.client().genericKubernetesResources(WIDGET).inNamespace("default");
        widgets.resource(widget("patched", "{size: small, replicas: 1}")).create();

        KubernetesClientException merge = refusal(() -> widgets.withName("patched").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"ratio\":\"high\"}}"));
        assertThat(merge.getCode()).isEqualTo(422);
        assertThat(fields(merge)).containsExactly("spec.ratio");
        KubernetesClientException json = refusal(() -> widgets.withName("patched").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"remove\",\"path\":\"/spec/size\"}]"));
        assertThat(fields(json)).containsExactly("spec.size");

        widgets.withName("patched").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"typo\":1,\"replicas\":3}}");
        assertThat(widgets.withName("patched").get().getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("size", "small", "replicas", 3));
    }

    @Test
    void aServerSideApplyIsValidatedAndPruned() {
        var ilms = server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("default");
        KubernetesClientException e = refusal(() -> ilms.resource(ilm("applied", "installations: [{revision: 3}]"))
                .fieldManager("test").serverSideApply());
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(fields(e)).containsExactly("spec.installations[0].revision");
        assertThat(ilms.withName("applied").get()).isNull();

        ilms.resource(ilm("applied", "{installations: [{revision: '1-24'}], extra: 1}")).fieldManager("test")
                .serverSideApply();
        assertThat(ilms.withName("applied").get().getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("installations", List.of(Map.of("revision", "1-24"))));
        KubernetesClientException update = refusal(() -> ilms.resource(ilm("applied", "installations: [{revision: '1-24', "
                + "skipUpgradeValidation: 1}]")).fieldManager("test").serverSideApply());
        assertThat(fields(update)).containsExactly("spec.installations[0].skipUpgradeValidation");
    }

    @Test
    void theStatusSubresourceIsValidatedAgainstTheStatusSchema() {
        var ilms = server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("default");
        GenericKubernetesResource live = ilms.resource(ilm("with-status", "installations: [{revision: '1-24'}]")).create();

        live.setAdditionalProperty("status", Map.of("observedGeneration", "one",
                "clusters", Map.of("c1", Map.of("installations", Map.of("1-24", Map.of("state", 5))))));
        KubernetesClientException e = refusal(() -> ilms.resource(live).updateStatus());
        assertThat(fields(e)).containsExactlyInAnyOrder("status.observedGeneration",
                "status.clusters[c1].installations[1-24].state");

        live.setAdditionalProperty("status", Map.of("observedGeneration", 1, "summary", Map.of("state", "HEALTHY"),
                "clusters", Map.of("c1", Map.of("installations", Map.of("1-24", Map.of("state", "HEALTHY",
                        "observedOperator", Map.of("any", "thing")))))));
        ilms.resource(live).updateStatus();
        assertThat(ilms.withName("with-status").get().getAdditionalProperties().get("status"))
                .isEqualTo(live.getAdditionalProperties().get("status"));
    }

    @Test
    void anObjectOverEtcdsLimitIsRefusedWithEtcdsMessageAndNothingIsStored() {
        String big = "x".repeat(ETCD_LIMIT);
        KubernetesClientException e = refusal(() -> server.client().configMaps().inNamespace("default")
                .resource(new ConfigMapBuilder().withNewMetadata().withName("big").endMetadata().addToData("k", big)
                        .build()).create());

        assertThat(e.getCode()).isEqualTo(500);
        assertThat(e.getStatus().getMessage()).isEqualTo("etcdserver: request is too large");
        assertThat(server.client().configMaps().inNamespace("default").withName("big").get()).isNull();
    }

    @Test
    void aStatusUpdateThatGrowsAResourceOverTheLimitIsRefusedAndTheOldStatusStays() {
        var ilms = server.client().genericKubernetesResources(MockApiServerTest.ILM).inNamespace("default");
        GenericKubernetesResource live = ilms.resource(ilm("growing", "installations: [{revision: '1-24'}]")).create();
        live.setAdditionalProperty("status", Map.of("observedGeneration", 1));
        live = ilms.resource(live).updateStatus();

        live.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                "summary", Map.of("state", "x".repeat(ETCD_LIMIT))));
        GenericKubernetesResource tooBig = live;
        KubernetesClientException e = refusal(() -> ilms.resource(tooBig).updateStatus());

        assertThat(e.getCode()).isEqualTo(500);
        assertThat(e.getStatus().getMessage()).isEqualTo("etcdserver: request is too large");
        assertThat(ilms.withName("growing").get().getAdditionalProperties().get("status"))
                .isEqualTo(Map.of("observedGeneration", 1));
    }

    @Test
    void aRequestBodyOverTheApiServersLimitIs413() throws Exception {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"huge\"},\"data\":{\"k\":\""
                + "x".repeat(BODY_LIMIT) + "\"}}";
        HttpResponse<String> r = post("/api/v1/namespaces/default/configmaps", body);

        assertThat(r.statusCode()).isEqualTo(413);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.path("reason").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(status.path("message").asText()).isEqualTo("Request entity too large: limit is 3145728");
    }

    @Test
    void anObjectJustUnderTheLimitIsStored() {
        String data = "x".repeat(ETCD_LIMIT - 1024);
        server.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("under").endMetadata().addToData("k", data).build()).create();

        assertThat(server.client().configMaps().inNamespace("default").withName("under").get().getData().get("k"))
                .hasSize(data.length());
    }
}
