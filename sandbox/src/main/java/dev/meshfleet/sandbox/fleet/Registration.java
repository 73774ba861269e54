package dev.meshfleet.sandbox.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Prepares the management cluster as an operator would: the ILM/GLM CRDs, the gloo-mesh namespace and one
 * kubeconfig Secret per workload cluster, labelled with its name, which is how the installer finds clusters. The
 * kubeconfig is that of the installer's identity in the cluster (docs/install.md): the caller gives its token.
 */
public final class Registration {

    public static final String NAMESPACE = "gloo-mesh";

    private Registration() {
    }

    public static void installCrds(KubernetesClient mgmt) throws IOException {
        for (String resource : Crds.CRD_RESOURCES) {
            try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("CRD " + resource + " is not on the class path (schemas jar)");
                }
                CustomResourceDefinition crd = mgmt.getKubernetesSerialization().unmarshal(in,
                        CustomResourceDefinition.class);
                mgmt.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
            }
        }
        namespace(mgmt, NAMESPACE);
    }

    /** Creates the namespace unless it exists. */
    public static void namespace(KubernetesClient mgmt, String name) {
        mgmt.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(r -> r.update());
    }

    /**
     * Registers the clusters, each with a kubeconfig of the user of {@code token} there; the Secret data is the
     * kubeconfig and never printed.
     */
    public static void registerClusters(MockApiServer server, List<String> clusters, String token) {
        KubernetesClient mgmt = server.client();
        for (String cluster : clusters) {
            mgmt.secrets().inNamespace(NAMESPACE).resource(secret(server, cluster, token)).createOr(r -> r.update());
        }
    }

    /**
     * The registration Secret of one cluster: {@code gloo-mesh/cluster-<name>}, labelled
     * {@code meshfleet.dev/cluster=<name>}, its kubeconfig (the user of {@code token}, over the cluster's plain HTTP
     * URL) under the data key the installer reads.
     */
    public static Secret secret(MockApiServer server, String cluster, String token) {
        return new SecretBuilder()
                .withNewMetadata().withName("cluster-" + cluster).withNamespace(NAMESPACE)
                .withLabels(Map.of(Crds.CLUSTER_LABEL, cluster)).endMetadata()
                .withType("Opaque")
                // data, not stringData: the mock server stores what it gets and does not fold stringData in.
                .withData(Map.of(Crds.KUBECONFIG_KEY, Base64.getEncoder().encodeToString(
                        MockApiServer.kubeconfig(cluster, server.clusterUrl(cluster), token)
                                .getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** The Secret as YAML, for `kubectl apply -f` by a user who registers the cluster later. */
    public static String secretYaml(MockApiServer server, String cluster, String token) {
        Secret secret = secret(server, cluster, token);
        secret.setApiVersion("v1");
        secret.setKind("Secret");
        return server.client().getKubernetesSerialization().asYaml(secret);
    }
}
