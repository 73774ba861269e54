package dev.meshfleet.installer.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.meshfleet.installer.health.WorkloadStatus;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.installer.render.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Every call the installer makes to a workload cluster. Thin: no decisions here, only the API
 * calls and the conversion of their answers into values. Methods other than {@link #apply} throw
 * the client's exceptions; the reconciler classifies them with {@link Failure#classify}.
 */
public class ClusterOps {
    private static final Logger LOG = Logger.getLogger(ClusterOps.class);
    private final KubernetesClient client;
    private final String fieldManager;

    public ClusterOps(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    public List<Inventory> readInventories() {
        List<Inventory> inventories = new ArrayList<>();
        for (ConfigMap cm : client.configMaps().inNamespace(Names.INVENTORY_NAMESPACE)
                .withLabel(Names.INVENTORY_LABEL, "true").list().getItems()) {
            try {
                inventories.add(InventoryCodec.decode(cm));
            } catch (IllegalArgumentException e) {
                // A hand-edited or foreign inventory must not stop the cluster's other installations.
                LOG.warnf("ignoring %s", e.getMessage());
            }
        }
        return inventories;
    }

    /**
     * istiod Deployments (label app=istiod) that Meshfleet did not install: an Istio someone else
     * manages, which Meshfleet must never take over by applying on top of it.
     */
    public List<ObjectRef> unmanagedIstiods() {
        List<ObjectRef> found = new ArrayList<>();
        for (Deployment d : client.apps().deployments().inAnyNamespace().withLabel("app", "istiod").list()
                .getItems()) {
            var labels = d.getMetadata().getLabels();
            if (labels == null || !Names.MANAGED_BY_VALUE.equals(labels.get(Names.MANAGED_BY))) {
                found.add(Manifests.ref(d));
            }
        }
        return found;
    }

    /** Namespaces first (objects cannot be created in a missing one), then every object, server-side. */
    public ApplyResult apply(List<HasMetadata> objects) {
        Set<String> namespaces = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            ObjectRef ref = Manifests.ref(o);
            if (!ref.namespace().isEmpty()) {
                namespaces.add(ref.namespace());
            }
        }
        for (String ns : namespaces) {
            ApplyResult r = applyOne(namespace(ns));
            if (!(r instanceof ApplyResult.Applied)) {
                return r;
            }
        }
        List<ObjectRef> applied = new ArrayList<>();
        for (HasMetadata o : objects) {
            ApplyResult r = applyOne(o);
            if (!(r instanceof ApplyResult.Applied)) {
                return r;
            }
            applied.add(Manifests.ref(o));
        }
        return new ApplyResult.Applied(applied);
    }

    private ApplyResult applyOne(HasMetadata object) {
        try {
            client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
            return new ApplyResult.Applied(List.of(Manifests.ref(object)));
        } catch (RuntimeException e) {
            Failure failure = Failure.classify(e);
            // Java 17 has no pattern switch; Failure has exactly these two kinds.
            return failure instanceof Failure.Refused
                    ? new ApplyResult.Refused(Manifests.ref(object), failure.message())
                    : new ApplyResult.Unreachable(failure.message());
        }
    }

    public void writeInventory(Inventory inventory) {
        client.resource(namespace(Names.INVENTORY_NAMESPACE)).fieldManager(fieldManager).forceConflicts()
                .serverSideApply();
        client.resource(InventoryCodec.encode(inventory)).fieldManager(fieldManager).forceConflicts()
                .serverSideApply();
    }

    public void deleteInventory(Inventory inventory) {
        client.configMaps().inNamespace(Names.INVENTORY_NAMESPACE)
                .withName(Names.inventoryName(inventory.owner(), inventory.revision())).delete();
    }

    /** Deletes each object; one already gone is fine (a retried uninstall finds it so). */
    public void delete(Collection<ObjectRef> objects) {
        for (ObjectRef ref : objects) {
            client.resource(Manifests.skeleton(ref)).delete();
        }
    }

    /** The Deployments and DaemonSets among {@code objects}, with their readiness fields. */
    public List<WorkloadStatus> workloads(Collection<ObjectRef> objects) {
        List<WorkloadStatus> out = new ArrayList<>();
        for (ObjectRef ref : objects) {
            if ("Deployment".equals(ref.kind())) {
                Deployment d = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).get();
                out.add(d == null ? WorkloadStatus.missing(ref.kind(), ref.namespace(), ref.name()) : status(d));
            } else if ("DaemonSet".equals(ref.kind())) {
                DaemonSet d = client.apps().daemonSets().inNamespace(ref.namespace()).withName(ref.name()).get();
                out.add(d == null ? WorkloadStatus.missing(ref.kind(), ref.namespace(), ref.name()) : status(d));
            }
        }
        return out;
    }

    private static WorkloadStatus status(Deployment d) {
        var s = d.getStatus();
        int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return WorkloadStatus.deployment(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                n(d.getMetadata().getGeneration()), s == null ? 0 : n(s.getObservedGeneration()), replicas,
                s == null ? 0 : i(s.getReadyReplicas()), s == null ? 0 : i(s.getAvailableReplicas()),
                s == null ? 0 : i(s.getUpdatedReplicas()));
    }

    private static WorkloadStatus status(DaemonSet d) {
        var s = d.getStatus();
        return WorkloadStatus.daemonSet(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                n(d.getMetadata().getGeneration()), s == null ? 0 : n(s.getObservedGeneration()),
                s == null ? 0 : i(s.getDesiredNumberScheduled()), s == null ? 0 : i(s.getNumberReady()));
    }

    private static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    private static long n(Long v) {
        return v == null ? 0 : v;
    }

    private static int i(Integer v) {
        return v == null ? 0 : v;
    }
}
