package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.ApiVersionUtil;

/**
 * The role of the installer's identity in each workload cluster (deploy/workload-cluster/installer-role.yaml)
 * lets it do everything the installer does there with every object the charts render, and nothing with a wildcard.
 * The sandbox enforces the same file in every simulated workload cluster, so whatever the installer really sends is
 * checked there (sandbox README); this test reads what the charts render.
 */
class WorkloadClusterRoleTest {
    private static final Path MANIFEST = Path.of("workload-cluster", "installer-role.yaml");
    private static final Path CHARTS = Path.of("..", "charts");

    @Test
    void theInstallerMayApplyListAndPruneEveryKindTheChartsRender() throws IOException {
        List<HasMetadata> role = Chart.parse(Files.readString(MANIFEST));
        Set<Rbac.Grant> grants = Rbac.grants(role, "meshfleet-system", "meshfleet-installer");
        Set<String> kinds = new LinkedHashSet<>();
        for (HasMetadata object : renderEveryChart()) {
            // A kind without a model class here (Istio's networking.istio.io) is read generically: group and plural
            // from apiVersion and kind, as the API server's discovery names them.
            boolean generic = object instanceof GenericKubernetesResource;
            String group = generic ? ApiVersionUtil.trimGroupOrNull(object.getApiVersion())
                    : HasMetadata.getGroup(object.getClass());
            String plural = generic ? Pluralize.toPlural(object.getKind().toLowerCase(java.util.Locale.ROOT))
                    : HasMetadata.getPlural(object.getClass());
            kinds.add(object.getKind());
            for (String verb : List.of("create", "patch", "list", "delete")) {
                assertThat(grants).as(object.getKind() + " " + verb)
                        .contains(Rbac.Grant.of(Rbac.CLUSTER, group, plural, verb));
            }
        }
        // Every chart renders something, among them the kinds that need more than apply and prune.
        assertThat(kinds).contains("Deployment", "DaemonSet", "ClusterRole", "CustomResourceDefinition",
                "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "HorizontalPodAutoscaler", "Secret",
                "Gateway", "VirtualService", "DestinationRule");
        assertThat(grants).contains(
                // namespaces of the releases and of the inventory, applied before the objects
                Rbac.Grant.of(Rbac.CLUSTER, "", "namespaces", "create"), Rbac.Grant.of(Rbac.CLUSTER, "", "namespaces", "patch"),
                // readiness, and the unmanaged-istiod check
                Rbac.Grant.of(Rbac.CLUSTER, "apps", "deployments", "get"), Rbac.Grant.of(Rbac.CLUSTER, "apps", "daemonsets", "get"),
                // the installer's watches of the workloads it applied, for their health
                Rbac.Grant.of(Rbac.CLUSTER, "apps", "deployments", "watch"),
                Rbac.Grant.of(Rbac.CLUSTER, "apps", "daemonsets", "watch"),
                // a peering installation's health and facts: its Gateways' status, watched and read (ADR 0046)
                Rbac.Grant.of(Rbac.CLUSTER, "gateway.networking.k8s.io", "gateways", "watch"),
                Rbac.Grant.of(Rbac.CLUSTER, "gateway.networking.k8s.io", "gateways", "get"),
                // Istio's ClusterRoles grant what the installer itself does not hold
                Rbac.Grant.of(Rbac.CLUSTER, "rbac.authorization.k8s.io", "clusterroles", "escalate"),
                Rbac.Grant.of(Rbac.CLUSTER, "rbac.authorization.k8s.io", "clusterroles", "bind"));
    }

    @Test
    void theWorkloadClusterRoleHasNoWildcardAndGetsOnlyTheSecretsTheInstallerReadsBack() throws IOException {
        List<HasMetadata> role = Chart.parse(Files.readString(MANIFEST));
        assertThat(Rbac.allRules(role)).isNotEmpty();
        assertThat(Rbac.wildcards(role)).isEmpty();
        assertThat(Rbac.grants(role, "meshfleet-system", "meshfleet-installer"))
                .noneMatch(g -> g.verb().equals("watch") && !g.resource().equals("deployments")
                        && !g.resource().equals("daemonsets")
                        && !(g.apiGroup().equals("gateway.networking.k8s.io") && g.resource().equals("gateways")))
                .noneMatch(g -> g.verb().equals("deletecollection") || g.verb().equals("update"));
        // Secrets: create (cannot be limited by name), list (drift repair, all namespaces), patch and delete (the remote
        // secrets are named after the clusters); get only by name: Istio's plug-in CA Secret of a ServiceMeshController
        // (ADR 0028) and the reader token of an ExternalControlPlane's remote cluster (ADR 0031).
        assertThat(Rbac.allRules(role).stream().filter(r -> r.getResources().contains("secrets")))
                .extracting(r -> String.join(",", r.getVerbs()) + " "
                        + (r.getResourceNames() == null ? List.of() : r.getResourceNames()))
                .containsExactlyInAnyOrder("create,list,patch,delete []",
                        "get [cacerts, istio-reader-service-account-istio-remote-secret-token]");
        // The reader token is the Secret the remote-reader chart renders.
        assertThat(Chart.parse(new Helm(CHARTS.resolve("remote-reader")).template().withName("remote-reader")
                .withNamespace("external-istiod").call()).stream().filter(Secret.class::isInstance)
                .map(o -> o.getMetadata().getName()))
                .containsExactly("istio-reader-service-account-istio-remote-secret-token");
    }

    @Test
    void theManifestCarriesTheIdentityItsKubeconfigUses() throws IOException {
        List<HasMetadata> objects = Chart.parse(Files.readString(MANIFEST));
        assertThat(objects.stream().filter(ServiceAccount.class::isInstance).map(o -> o.getMetadata().getName()))
                .containsExactly("meshfleet-installer");
        Secret token = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast).findFirst().orElseThrow();
        assertThat(token.getType()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(token.getMetadata().getAnnotations()).containsEntry("kubernetes.io/service-account.name",
                "meshfleet-installer");
        assertThat(objects.stream().filter(ClusterRoleBinding.class::isInstance).count()).isEqualTo(1);
    }

    /** Each chart the installer applies, with the values that switch on its optional objects. */
    private static List<HasMetadata> renderEveryChart() throws IOException {
        Map<String, Map<String, Object>> values = Map.of(
                "base", Map.of("defaultRevision", "1-24"),
                "istiod", Map.of("revision", "1-24", "revisionTags[0]", "default", "pilot.autoscaleEnabled", "true",
                        "pilot.autoscaleMin", "1", "pilot.autoscaleMax", "3"),
                "gateway", Map.of("name", "istio-ingressgateway", "revision", "1-24"),
                "gateway-service", Map.of("name", "istio-ingressgateway", "selector.app", "istio-ingressgateway"),
                "cni", Map.of(),
                "ztunnel", Map.of(),
                // An ExternalControlPlane's: the external cluster's routing and remote secrets, a remote's reader.
                "external-istiod-gateway", Map.of("address", "istiod.mesh1.example.com", "tlsSecretName", "istiod-tls"),
                "remote-reader", Map.of(),
                // A ServiceMeshController's peering (seed 003): its east-west Gateway and one remote peer.
                "peering-gateways", Map.of("cluster", "cluster1", "peers[0].cluster", "cluster2", "peers[0].address",
                        "192.0.2.2"),
                "remote-secrets", Map.of("secrets[0].name", "istio-remote-secret-cluster3", "secrets[0].cluster",
                        "cluster3", "secrets[0].key", "cluster3", "secrets[0].readerToken",
                        "external-istiod/istio-reader-service-account-istio-remote-secret-token"));
        try (var charts = Files.list(CHARTS)) {
            assertThat(charts.filter(c -> Files.isRegularFile(c.resolve("Chart.yaml")))
                    .map(c -> c.getFileName().toString()))
                    .as("every chart the installer may apply is rendered here").containsExactlyInAnyOrderElementsOf(
                            values.keySet());
        }
        List<HasMetadata> objects = new ArrayList<>();
        values.forEach((chart, sets) -> {
            TemplateCommand template = new Helm(CHARTS.resolve(chart)).template().withName(chart).withNamespace("istio-system");
            for (Map.Entry<String, Object> set : sets.entrySet()) {
                template = template.set(set.getKey(), set.getValue());
            }
            List<HasMetadata> rendered = Chart.parse(template.call());
            assertThat(rendered).as(chart).isNotEmpty();
            objects.addAll(rendered);
        });
        return objects;
    }
}
