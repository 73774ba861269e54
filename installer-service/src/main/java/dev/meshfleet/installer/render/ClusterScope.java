package dev.meshfleet.installer.render;

import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;

/**
 * Whether an object is cluster-scoped. Model classes say so by not implementing Namespaced; for
 * kinds without a model class (generic), the kinds the charts render cluster-wide are listed.
 */
final class ClusterScope {
    private static final Set<String> CLUSTER_KINDS = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityClass", "StorageClass",
            "PersistentVolume", "Node", "APIService");

    private ClusterScope() {
    }

    static boolean isClusterScoped(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
            return CLUSTER_KINDS.contains(object.getKind());
        }
        return !(object instanceof Namespaced);
    }
}
