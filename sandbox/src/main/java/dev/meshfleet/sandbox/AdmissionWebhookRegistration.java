package dev.meshfleet.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.meshfleet.sandbox.fleet.Services;
import dev.meshfleet.testkit.TestCertificates;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * spec-intake's validating admission webhook in the sandbox (ADR 0023): a CA of the run signs spec-intake's serving
 * certificate for 127.0.0.1, and the management API server gets a ValidatingWebhookConfiguration as the chart writes
 * it, with {@code clientConfig.url} (the mock server reaches no Service) and that CA as {@code caBundle}.
 */
final class AdmissionWebhookRegistration {
    static final String NAME = "meshfleet-spec-intake";
    /** What the chart names its webhook. */
    static final String WEBHOOK = "lifecycle-managers.admission.meshfleet.dev";
    private final String url;
    private final String caBundle;

    private AdmissionWebhookRegistration(String url, String caBundle) {
        this.url = url;
        this.caBundle = caBundle;
    }

    /** Makes the certificate and tells {@code services} to serve HTTPS with it on a free port. */
    static AdmissionWebhookRegistration prepare(Path dir, Services services) throws java.io.IOException {
        Files.createDirectories(dir);
        TestCertificates ca = TestCertificates.authority("meshfleet-sandbox-webhook-ca");
        String password = Long.toHexString(new java.security.SecureRandom().nextLong());
        Path keyStore = ca.writeKeyStore("spec-intake", dir.resolve("spec-intake.p12"), password);
        int port = RepoLayout.freePort();
        services.admissionWebhookTls(keyStore, password, port);
        return new AdmissionWebhookRegistration("https://127.0.0.1:" + port + "/admission/validate", ca.caBundle());
    }

    String url() {
        return url;
    }

    /** Creates (or replaces) the configuration in the management cluster. */
    void register(KubernetesClient client) {
        client.resource(Serialization.unmarshal(configuration(url, caBundle), GenericKubernetesResource.class))
                .createOr(existing -> existing.update());
    }

    /**
     * The chart's configuration (deploy/helm/meshfleet/templates/admission-webhook.yaml) with a URL: failurePolicy
     * Ignore, since the sandbox kills services on purpose, and the chart's default timeout.
     */
    static String configuration(String url, String caBundle) {
        return """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
                 "metadata":{"name":"%s"},
                 "webhooks":[{"name":"%s","admissionReviewVersions":["v1"],"sideEffects":"NoneOnDryRun",
                   "failurePolicy":"Ignore","timeoutSeconds":10,"matchPolicy":"Equivalent",
                   "clientConfig":{"url":"%s","caBundle":"%s"},
                   "rules":[{"apiGroups":["admin.gloo.solo.io"],"apiVersions":["v2"],
                             "operations":["CREATE","UPDATE","DELETE"],
                             "resources":["istiolifecyclemanagers","gatewaylifecyclemanagers"],"scope":"Namespaced"},
                            {"apiGroups":["operator.gloo.solo.io"],"apiVersions":["v1"],
                             "operations":["CREATE","UPDATE","DELETE"],
                             "resources":["servicemeshcontrollers"],"scope":"Namespaced"},
                            {"apiGroups":["meshfleet.dev"],"apiVersions":["v1alpha1"],
                             "operations":["CREATE","UPDATE","DELETE"],
                             "resources":["externalcontrolplanes"],"scope":"Namespaced"}]}]}"""
                .formatted(NAME, WEBHOOK, url, caBundle);
    }
}
