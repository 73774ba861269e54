package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * spec-intake's validating admission webhook as the chart registers it (docs/adr/0023), against
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/: every create, update and
 * delete of an ILM or GLM goes to the Service's 443 over HTTPS, the pod serves 8443 with the mounted certificate.
 */
class AdmissionWebhookChartTest {

    @Test
    void theWebhookCoversEveryWriteOfEveryKindWithTheChartsFailurePolicyAndTimeout() {
        JsonNode webhook = webhook(render(Map.of("specIntake.admissionWebhook.failurePolicy", "Ignore",
                "specIntake.admissionWebhook.timeoutSeconds", 7)));
        assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
        assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(7);
        assertThat(webhook.path("sideEffects").asText()).isEqualTo("NoneOnDryRun");
        assertThat(webhook.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
        JsonNode rule = webhook.path("rules").get(0);
        assertThat(rule.toString()).isEqualTo("{\"apiGroups\":[\"admin.gloo.solo.io\"],\"apiVersions\":[\"v2\"],"
                + "\"operations\":[\"CREATE\",\"UPDATE\",\"DELETE\"],"
                + "\"resources\":[\"istiolifecyclemanagers\",\"gatewaylifecyclemanagers\"],\"scope\":\"Namespaced\"}");
        assertThat(webhook.path("rules").get(1).toString()).isEqualTo("{\"apiGroups\":[\"operator.gloo.solo.io\"],"
                + "\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\",\"UPDATE\",\"DELETE\"],"
                + "\"resources\":[\"servicemeshcontrollers\"],\"scope\":\"Namespaced\"}");
        assertThat(webhook.path("rules").get(2).toString()).isEqualTo("{\"apiGroups\":[\"meshfleet.dev\"],"
                + "\"apiVersions\":[\"v1alpha1\"],\"operations\":[\"CREATE\",\"UPDATE\",\"DELETE\"],"
                + "\"resources\":[\"externalcontrolplanes\"],\"scope\":\"Namespaced\"}");
        assertThat(webhook.path("rules")).hasSize(3);
        JsonNode service = webhook.path("clientConfig").path("service");
        assertThat(service.path("name").asText()).isEqualTo("meshfleet-spec-intake-webhook");
        assertThat(service.path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
        assertThat(service.path("path").asText()).isEqualTo("/admission/validate");
        assertThat(service.path("port").asInt()).isEqualTo(443);
        assertThat(Workloads.properties(render(Map.of("specIntake.admissionWebhook.timeoutSeconds", 7)), "spec-intake"))
                .containsEntry("meshfleet.intake.admission.publish-timeout", "3500ms");
    }

    @Test
    void byDefaultItFailsClosedAfterTenSecondsAndTrustsTheApiServersRootsWithoutACaBundle() {
        JsonNode webhook = webhook(Chart.defaults());
        assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
        assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(10);
        assertThat(webhook.path("clientConfig").has("caBundle")).isFalse();
        assertThat(webhook.has("namespaceSelector")).isFalse();
    }

    @Test
    void theServiceReachesThePodsHttpsPortWhichServesTheMountedCertificate() {
        Chart.Rendered rendered = render(Map.of("specIntake.admissionWebhook.tlsSecret", "my-tls",
                "specIntake.admissionWebhook.caBundle", "Q0E="));
        JsonNode service = Chart.SERIALIZATION.convertValue(one(rendered, "Service", "meshfleet-spec-intake-webhook"),
                JsonNode.class);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(443);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("https");
        assertThat(service.at("/spec/selector/app.kubernetes.io~1name").asText()).isEqualTo("spec-intake");
        PodTemplateSpec pod = Workloads.pod(rendered, "spec-intake");
        assertThat(pod.getSpec().getContainers().get(0).getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getContainerPort()).isEqualTo(8443);
        });
        Volume tls = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("webhook-tls")).findFirst()
                .orElseThrow();
        assertThat(tls.getSecret().getSecretName()).isEqualTo("my-tls");
        assertThat(Workloads.properties(rendered, "spec-intake"))
                .containsEntry("quarkus.http.ssl-port", "8443")
                .containsEntry("quarkus.http.ssl.certificate.files", "/etc/meshfleet/webhook-tls/tls.crt")
                .containsEntry("quarkus.http.ssl.certificate.key-files", "/etc/meshfleet/webhook-tls/tls.key");
        assertThat(webhook(rendered).path("clientConfig").path("caBundle").asText()).isEqualTo("Q0E=");
    }

    @Test
    void withCertManagerACertificateForTheServiceNameIsRequestedAndItsCaInjected() {
        Chart.Rendered rendered = render(Map.of("specIntake.admissionWebhook.certManager.issuer", "mesh-ca"));
        JsonNode certificate = Chart.SERIALIZATION.convertValue(one(rendered, "Certificate", "meshfleet-spec-intake-webhook"),
                JsonNode.class);
        assertThat(certificate.at("/spec/secretName").asText()).isEqualTo("meshfleet-spec-intake-webhook-tls");
        assertThat(certificate.at("/spec/dnsNames/0").asText())
                .isEqualTo("meshfleet-spec-intake-webhook." + Chart.NAMESPACE + ".svc");
        assertThat(certificate.at("/spec/issuerRef/name").asText()).isEqualTo("mesh-ca");
        HasMetadata configuration = one(rendered, "ValidatingWebhookConfiguration", "meshfleet-spec-intake");
        assertThat(configuration.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", Chart.NAMESPACE + "/meshfleet-spec-intake-webhook");
    }

    @Test
    void watchedNamespacesLimitTheWebhookToThem() {
        JsonNode webhook = webhook(render(Map.of("specIntake.watchNamespaces[0]", "gloo-mesh")));
        assertThat(webhook.at("/namespaceSelector/matchExpressions/0/key").asText()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(webhook.at("/namespaceSelector/matchExpressions/0/values").toString()).isEqualTo("[\"gloo-mesh\"]");
    }

    @Test
    void disabledThereIsNoWebhookNoHttpsPortAndTheServiceIsToldSo() {
        Chart.Rendered rendered = render(Map.of("specIntake.admissionWebhook.enabled", false));
        assertThat(rendered.kind("ValidatingWebhookConfiguration")).isEmpty();
        assertThat(Workloads.pod(rendered, "spec-intake").getSpec().getContainers().get(0).getPorts())
                .extracting(p -> p.getName()).containsExactly("http");
        assertThat(Workloads.properties(rendered, "spec-intake")).containsEntry("meshfleet.intake.admission.enabled", "false")
                .doesNotContainKey("quarkus.http.ssl-port");
    }

    @Test
    void aFailurePolicyKubernetesDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> render(Map.of("specIntake.admissionWebhook.failurePolicy", "Maybe")))
                .hasMessageContaining("failurePolicy");
        assertThatThrownBy(() -> render(Map.of("specIntake.admissionWebhook.timeoutSeconds", 31)))
                .hasMessageContaining("timeoutSeconds");
    }

    /** The chart with the required bootstrap servers and {@code sets}. */
    private static Chart.Rendered render(Map<String, Object> sets) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(sets);
        all.put("kafka.bootstrapServers", Chart.BOOTSTRAP);
        return Chart.render(all);
    }

    private static JsonNode webhook(Chart.Rendered rendered) {
        HasMetadata configuration = one(rendered, "ValidatingWebhookConfiguration", "meshfleet-spec-intake");
        JsonNode webhooks = Chart.SERIALIZATION.convertValue(configuration, JsonNode.class).path("webhooks");
        assertThat(webhooks.size()).isEqualTo(1);
        return webhooks.get(0);
    }

    private static HasMetadata one(Chart.Rendered rendered, String kind, String name) {
        List<HasMetadata> found = rendered.kind(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertThat(found).as("%s %s", kind, name).hasSize(1);
        return found.get(0);
    }
}
