package dev.meshfleet.installer.cluster;

import java.util.Map;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * A watch's store that keeps of each object only what health reads (its identity, generation and labels, its status,
 * and a Deployment's replicas), as client-go's informers are given a transform that drops {@code managedFields}. A
 * peered mesh of 100 clusters holds 100 Gateways in each cluster's watch; kept whole, with the managed fields of the
 * installer's apply and of istiod's status, the watches of 100 clusters outgrew the installer's 256 MiB heap.
 * Objects are slimmed as they are stored, so the watch's event handlers see the slim object too (they compare
 * statuses only).
 */
final class SlimItemStore<T extends HasMetadata> extends BasicItemStore<T> {
    private final UnaryOperator<T> slim;

    private SlimItemStore(UnaryOperator<T> slim) {
        super(Cache::metaNamespaceKeyFunc);
        this.slim = slim;
    }

    @Override
    public T put(String key, T object) {
        return super.put(key, slim.apply(object));
    }

    /** Deployments: no managed fields, annotations or pod template; replicas and status kept. */
    static SlimItemStore<Deployment> deployments() {
        return new SlimItemStore<>(d -> {
            metadataOnly(d);
            if (d.getSpec() != null) {
                d.getSpec().setTemplate(null);
                d.getSpec().setSelector(null);
                d.getSpec().setStrategy(null);
            }
            return d;
        });
    }

    /** DaemonSets: no managed fields, annotations or pod template; status kept. */
    static SlimItemStore<DaemonSet> daemonSets() {
        return new SlimItemStore<>(d -> {
            metadataOnly(d);
            d.setSpec(null);
            return d;
        });
    }

    /** Gateways: no managed fields, annotations or spec; status kept (conditions, addresses). */
    static SlimItemStore<GenericKubernetesResource> gateways() {
        return new SlimItemStore<>(g -> {
            metadataOnly(g);
            Map<String, Object> rest = g.getAdditionalProperties();
            if (rest != null) {
                rest.remove("spec");
            }
            return g;
        });
    }

    private static void metadataOnly(HasMetadata object) {
        if (object.getMetadata() != null) {
            object.getMetadata().setManagedFields(null);
            object.getMetadata().setAnnotations(null);
        }
    }
}
