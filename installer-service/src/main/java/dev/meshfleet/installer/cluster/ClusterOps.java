package dev.meshfleet.installer.cluster;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.meshfleet.installer.health.WorkloadStatus;
import dev.meshfleet.installer.model.InstallationKey;
import dev.meshfleet.installer.model.Inventory;
import dev.meshfleet.installer.model.LiveVersion;
import dev.meshfleet.installer.model.ObjectRef;
import dev.meshfleet.installer.peering.PeeringGateways;
import dev.meshfleet.installer.render.Manifests;
import dev.meshfleet.installer.render.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Every call the installer makes to a workload cluster. Thin: no decisions here, only the API
 * calls and the conversion of their answers into values. Methods other than {@link #apply} throw
 * {@link CallFailed}: the client's exception, with what was being done (verb and object), for the
 * reconciler to classify with {@link Failure#classify} and to name in a refusal.
 */
public class ClusterOps {

    /** A call to the cluster failed; {@link #action()} says what it was ("deleting Deployment a/b"). */
    public static final class CallFailed extends RuntimeException {
        private final String action;

        CallFailed(String action, RuntimeException cause) {
            super(action + ": " + cause.getMessage(), cause, false, false);
            this.action = action;
        }

        public String action() {
            return action;
        }
    }

    /** Gateway API Gateways, named without a discovery request (the cluster serves them where peering is planned). */
    public static final ResourceDefinitionContext GATEWAYS = new ResourceDefinitionContext.Builder()
            .withGroup(PeeringGateways.GROUP).withVersion("v1").withKind(PeeringGateways.KIND).withPlural("gateways")
            .withNamespaced(true).build();

    private static final Logger LOG = Logger.getLogger(ClusterOps.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final KubernetesClient client;
    private final String fieldManager;
    /**
     * Namespaces this replica applied in the cluster, kept by the caller across rounds while it owns the cluster:
     * every install layer and every inventory write would otherwise apply its namespace again, a write each (the
     * (N+1)th peered cluster's cost to the others, ADR 0048). A namespace deleted since makes the API refuse the
     * next object in it as 404 NotFound naming the namespace (Kubernetes' NamespaceLifecycle admission): that object's
     * apply puts the namespace back and tries once more ({@link #applyOne}).
     */
    private final Set<String> namespacesApplied;
    private final DirectApply direct;
    private final Map<InstallationKey, Inventory> inventoryChanges = new LinkedHashMap<>();
    private boolean inventoryWriteFailed;

    public ClusterOps(KubernetesClient client, String fieldManager) {
        this(client, fieldManager, new HashSet<>());
    }

    /** @param namespacesApplied the namespaces this replica applied in the cluster before; added to as it applies */
    public ClusterOps(KubernetesClient client, String fieldManager, Set<String> namespacesApplied) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.namespacesApplied = namespacesApplied;
        this.direct = new DirectApply(client, fieldManager);
    }

    public List<Inventory> readInventories() {
        List<Inventory> inventories = new ArrayList<>();
        for (ConfigMap cm : doing("listing the inventories (ConfigMaps in " + Names.INVENTORY_NAMESPACE + ")",
                () -> client.configMaps().inNamespace(Names.INVENTORY_NAMESPACE)
                        .withLabel(Names.INVENTORY_LABEL, "true").list().getItems())) {
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
        for (Deployment d : doing("listing Deployments labelled app=istiod in all namespaces",
                () -> client.apps().deployments().inAnyNamespace().withLabel("app", "istiod").list().getItems())) {
            var labels = d.getMetadata().getLabels();
            if (labels == null || !Names.MANAGED_BY_VALUE.equals(labels.get(Names.MANAGED_BY))) {
                found.add(Manifests.ref(d));
            }
        }
        return found;
    }

    /** The Secret {@code namespace/name}, or null when there is none (its data is never logged). */
    public Secret secret(String namespace, String name) {
        return doing("reading Secret " + namespace + "/" + name,
                () -> client.secrets().inNamespace(namespace).withName(name).get());
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
            if (namespacesApplied.contains(ns)) {
                continue;
            }
            ApplyResult r = applyOne(namespace(ns));
            if (!(r instanceof ApplyResult.Applied)) {
                return r;
            }
            namespacesApplied.add(ns);
        }
        List<ObjectRef> applied = new ArrayList<>();
        Map<String, LiveVersion> live = new HashMap<>();
        for (HasMetadata o : objects) {
            ApplyResult r = applyOne(o);
            if (!(r instanceof ApplyResult.Applied one)) {
                return r;
            }
            applied.add(Manifests.ref(o));
            live.putAll(one.live());
        }
        return new ApplyResult.Applied(applied, live);
    }

    /**
     * Each of {@code objects} that exists, as listed, by identity: one list per kind (label
     * managed-by=meshfleet) rather than a GET per object. Their {@link #liveVersion} compared with what an
     * apply answers tells which objects the apply had to write (drift) without a read after.
     */
    public Map<String, HasMetadata> liveObjects(Collection<ObjectRef> objects) {
        Map<String, Set<String>> wantedByKind = new LinkedHashMap<>();
        for (ObjectRef ref : objects) {
            wantedByKind.computeIfAbsent(ref.apiVersion() + "|" + ref.kind(), k -> new HashSet<>()).add(ref.identity());
        }
        Map<String, HasMetadata> live = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : wantedByKind.entrySet()) {
            String[] apiVersionAndKind = e.getKey().split("\\|", 2);
            for (GenericKubernetesResource r : doing("listing " + apiVersionAndKind[1] + " (" + apiVersionAndKind[0]
                    + ") labelled " + Names.MANAGED_BY + "=" + Names.MANAGED_BY_VALUE + " in all namespaces",
                    () -> client.genericKubernetesResources(apiVersionAndKind[0], apiVersionAndKind[1]).inAnyNamespace()
                            .withLabel(Names.MANAGED_BY, Names.MANAGED_BY_VALUE).list().getItems())) {
                String identity = Manifests.ref(r).identity();
                if (e.getValue().contains(identity)) {
                    live.put(identity, r);
                }
            }
        }
        return live;
    }

    private ApplyResult applyOne(HasMetadata object) {
        try {
            LiveVersion version = serverSideApply(object);
            ObjectRef ref = Manifests.ref(object);
            return new ApplyResult.Applied(List.of(ref),
                    version == null ? Map.of() : Map.of(ref.identity(), version));
        } catch (RuntimeException e) {
            Failure failure = Failure.classify(e);
            if (failure instanceof Failure.Refused) {
                return new ApplyResult.Refused(Manifests.ref(object), failure.message());
            }
            if (failure instanceof Failure.Unreachable) {
                return new ApplyResult.Unreachable(failure.message());
            }
            throw new CallFailed("applying " + Manifests.ref(object), e);
        }
    }

    public void writeInventory(Inventory inventory) {
        ConfigMap encoded = InventoryCodec.encode(inventory);
        changingInventory(() -> {
            if (!namespacesApplied.contains(Names.INVENTORY_NAMESPACE)) {
                doing("applying Namespace " + Names.INVENTORY_NAMESPACE, () -> applyOnce(namespace(Names.INVENTORY_NAMESPACE)));
                namespacesApplied.add(Names.INVENTORY_NAMESPACE);
            }
            doing("writing the inventory ConfigMap " + Names.INVENTORY_NAMESPACE + "/" + encoded.getMetadata().getName(),
                    () -> serverSideApply(encoded));
        });
        // As a read of the cluster would give it back.
        inventoryChanges.put(inventory.key(), InventoryCodec.decode(encoded));
    }

    public void deleteInventory(Inventory inventory) {
        String name = Names.inventoryName(inventory.owner(), inventory.revision());
        changingInventory(() -> doing("deleting the inventory ConfigMap " + Names.INVENTORY_NAMESPACE + "/" + name,
                () -> client.configMaps().inNamespace(Names.INVENTORY_NAMESPACE).withName(name).delete()));
        inventoryChanges.put(inventory.key(), null);
    }

    /** Runs an inventory write; one that fails leaves what the cluster holds unknown until it is read. */
    private void changingInventory(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            inventoryWriteFailed = true;
            throw e;
        }
    }

    /**
     * The inventories this instance wrote (or deleted: a null value) since it was made, by installation, as a read
     * of the cluster would now give them, for a caller that remembers the cluster's inventories between reads.
     */
    public Map<InstallationKey, Inventory> inventoryChanges() {
        return Collections.unmodifiableMap(inventoryChanges);
    }

    /** True when an inventory write or delete failed: what the cluster now holds is known only from a read. */
    public boolean inventoryWriteFailed() {
        return inventoryWriteFailed;
    }

    /** Deletes each object; one already gone is fine (a retried uninstall finds it so). */
    public void delete(Collection<ObjectRef> objects) {
        for (ObjectRef ref : objects) {
            doing("deleting " + ref, () -> client.resource(Manifests.skeleton(ref)).delete());
        }
    }

    /**
     * The Deployments and DaemonSets among {@code objects}, with their readiness fields: as {@code watched} holds them
     * (the cluster's watch, {@link WorkloadWatches}), else read from the API.
     *
     * @param watched a workload's current copy from the cluster's watch, or null when the watch cannot vouch for it
     */
    public List<WorkloadStatus> workloads(Collection<ObjectRef> objects, Function<ObjectRef, HasMetadata> watched) {
        List<WorkloadStatus> out = new ArrayList<>();
        for (ObjectRef ref : objects) {
            if (!"Deployment".equals(ref.kind()) && !"DaemonSet".equals(ref.kind())) {
                continue;
            }
            HasMetadata known = watched.apply(ref);
            if (known instanceof Deployment d) {
                out.add(status(d));
            } else if (known instanceof DaemonSet d) {
                out.add(status(d));
            } else if ("Deployment".equals(ref.kind())) {
                Deployment d = doing("reading " + ref,
                        () -> client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).get());
                out.add(d == null ? WorkloadStatus.missing(ref.kind(), ref.namespace(), ref.name()) : status(d));
            } else {
                DaemonSet d = doing("reading " + ref,
                        () -> client.apps().daemonSets().inNamespace(ref.namespace()).withName(ref.name()).get());
                out.add(d == null ? WorkloadStatus.missing(ref.kind(), ref.namespace(), ref.name()) : status(d));
            }
        }
        return out;
    }

    /**
     * The Gateway API Gateways among {@code objects} (a peering installation's, docs/adr/0046), each as {@code watched}
     * holds it (the cluster's watch), else read from the API; a null value when it is not in the cluster.
     */
    public Map<ObjectRef, JsonNode> gateways(Collection<ObjectRef> objects, Function<ObjectRef, HasMetadata> watched) {
        Map<ObjectRef, JsonNode> out = new LinkedHashMap<>();
        for (ObjectRef ref : objects) {
            if (!PeeringGateways.isGateway(ref)) {
                continue;
            }
            HasMetadata known = watched.apply(ref);
            if (known == null) {
                known = doing("reading " + ref, () -> client.genericKubernetesResources(GATEWAYS)
                        .inNamespace(ref.namespace()).withName(ref.name()).get());
            }
            out.put(ref, known == null ? null : JSON.valueToTree(known));
        }
        return out;
    }

    private static WorkloadStatus status(Deployment d) {
        var s = d.getStatus();
        int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return WorkloadStatus.deployment(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                n(d.getMetadata().getGeneration()), s == null ? 0 : n(s.getObservedGeneration()), replicas,
                s == null ? 0 : i(s.getReplicas()), s == null ? 0 : i(s.getReadyReplicas()),
                s == null ? 0 : i(s.getAvailableReplicas()), s == null ? 0 : i(s.getUpdatedReplicas()));
    }

    private static WorkloadStatus status(DaemonSet d) {
        var s = d.getStatus();
        return WorkloadStatus.daemonSet(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                n(d.getMetadata().getGeneration()), s == null ? 0 : n(s.getObservedGeneration()),
                s == null ? 0 : i(s.getDesiredNumberScheduled()), s == null ? 0 : i(s.getUpdatedNumberScheduled()),
                s == null ? 0 : i(s.getNumberAvailable()), s == null ? 0 : i(s.getNumberReady()));
    }

    /** The object's uid, resourceVersion, generation and digests of its labels and annotations and of its status. */
    public static LiveVersion liveVersion(HasMetadata object) {
        if (object == null || object.getMetadata() == null) {
            return null;
        }
        var m = object.getMetadata();
        // A listed object holds its status as a map already, and a typed one as its model's status: only that is
        // digested, never the whole object (an apply's answer is typed: a CRD's schema is most of it).
        JsonNode status = object instanceof GenericKubernetesResource g
                ? JSON.valueToTree(g.getAdditionalProperties().get("status"))
                : typedStatus(object);
        return new LiveVersion(m.getUid(), m.getResourceVersion(), m.getGeneration() == null ? 0 : m.getGeneration(),
                metadataDigest(object), statusDigest(status));
    }

    /** A digest of the object's labels and annotations ({@link LiveVersion#metadataDigest}). */
    public static String metadataDigest(HasMetadata object) {
        var m = object.getMetadata();
        return metadataDigest(m.getLabels(), m.getAnnotations());
    }

    /** A digest of labels and annotations (null for none): the same for the same entries in any order. */
    static String metadataDigest(Map<String, String> labels, Map<String, String> annotations) {
        return Names.hash(String.valueOf(new TreeMap<>(labels == null ? Map.of() : labels))
                + "|" + new TreeMap<>(annotations == null ? Map.of() : annotations));
    }

    /** A digest of a status tree, in any key order; "" for none (null, missing or JSON null). */
    static String statusDigest(JsonNode status) {
        return status == null || status.isMissingNode() || status.isNull() ? "" : Names.hash(canonical(status));
    }

    /** The model's {@code status} property as the serialization would write it; missing when it has none. */
    static JsonNode typedStatus(HasMetadata object) {
        Method getter = STATUS_GETTERS.computeIfAbsent(object.getClass(), ClusterOps::statusGetter);
        Object status;
        try {
            status = getter.invoke(object);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a model's public " + getter.getName() + "() must be callable", e);
        }
        if (getter.getName().equals("getAdditionalProperties") && status instanceof Map<?, ?> extra) {
            // A model without a status property keeps a "status" the server sent among its extra properties.
            status = extra.get("status");
        }
        return status == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : readTree(Manifests.serialization().asJson(status));
    }

    private static final Map<Class<?>, Method> STATUS_GETTERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The model's getStatus(), or else its getAdditionalProperties() (every Fabric8 model has one). */
    private static Method statusGetter(Class<?> type) {
        try {
            return type.getMethod("getStatus");
        } catch (NoSuchMethodException e) {
            try {
                return type.getMethod("getAdditionalProperties");
            } catch (NoSuchMethodException none) {
                throw new IllegalStateException(type.getName() + " is not a Fabric8 model: no status to digest", none);
            }
        }
    }

    /** Key order differs between a typed model's JSON and the server's: digest a sorted form. */
    private static String canonical(JsonNode node) {
        try {
            return SORTED.writeValueAsString(SORTED.convertValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree must serialize", e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the client's own serialization must parse", e);
        }
    }

    private static <T> T doing(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new CallFailed(action, e);
        }
    }

    /**
     * Server-side apply of {@code object}. When the API refuses it because its namespace, which this replica applied
     * before, was deleted since, the namespace is put back once and the object applied again.
     */
    private LiveVersion serverSideApply(HasMetadata object) {
        try {
            return applyOnce(object);
        } catch (KubernetesClientException e) {
            String ns = object.getMetadata().getNamespace();
            if (!namespaceMissing(e, ns) || !namespacesApplied.remove(ns)) {
                throw e;
            }
            applyOnce(namespace(ns));
            namespacesApplied.add(ns);
            return applyOnce(object);
        }
    }

    /**
     * One server-side apply: as one PATCH of the object's JSON when {@link DirectApply} knows its path (a typed
     * model), else through the client's resource DSL (a kind the client must discover).
     */
    private LiveVersion applyOnce(HasMetadata object) {
        if (DirectApply.knowsPath(object)) {
            return direct.apply(object);
        }
        return liveVersion(client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply());
    }

    /**
     * Whether {@code error} is the API's refusal of an object because its namespace {@code ns} does not exist: 404
     * NotFound whose details name the namespace (kind {@code namespaces}), as the NamespaceLifecycle admission
     * plugin answers.
     */
    static boolean namespaceMissing(Throwable error, String ns) {
        if (!(error instanceof KubernetesClientException k) || k.getCode() != 404 || ns == null || ns.isEmpty()
                || k.getStatus() == null || k.getStatus().getDetails() == null) {
            return false;
        }
        StatusDetails details = k.getStatus().getDetails();
        return "namespaces".equals(details.getKind()) && ns.equals(details.getName());
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
