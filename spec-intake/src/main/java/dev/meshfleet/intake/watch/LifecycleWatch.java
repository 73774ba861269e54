package dev.meshfleet.intake.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.SmcExtensions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Informers on ILM and GLM (generic resources, so the spec reaches the topic exactly as stored),
 * in all namespaces or in each configured one. Every event only enqueues the owner key: the worker
 * reads the latest object from {@link #get} (level-triggered), never the event's copy.
 *
 * <p>Also seed 003's {@code gloo-extensions-config} ConfigMaps (by name, in the same namespaces): a change of one
 * enqueues every ServiceMeshController of its namespace, which goes out again with the new data
 * ({@link #extensions}, docs/adr/0045).
 */
public final class LifecycleWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LifecycleWatch.class);
    private static final String ALL_NAMESPACES = "";

    private final KubernetesClient client;
    /** kind -> namespace ("" for all) -> informer. */
    private final Map<ResourceKind, Map<String, SharedIndexInformer<GenericKubernetesResource>>> informers =
            new EnumMap<>(ResourceKind.class);
    /** namespace ("" for all) -> the informer on gloo-extensions-config ConfigMaps. */
    private final Map<String, SharedIndexInformer<ConfigMap>> extensionInformers = new HashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    public LifecycleWatch(KubernetesClient client) {
        this.client = client;
    }

    public static ResourceDefinitionContext context(ResourceKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(Crds.group(kind)).withVersion(Crds.version(kind))
                .withKind(kind.name()).withPlural(Crds.plural(kind)).withNamespaced(true).build();
    }

    /** Starts the informers without waiting for their first list, so a slow API server does not block startup. */
    public synchronized void start(List<String> namespaces, Duration resync, Consumer<String> enqueue) {
        List<String> scopes = namespaces.isEmpty() ? List.of(ALL_NAMESPACES) : namespaces;
        for (ResourceKind kind : Crds.KINDS) {
            Map<String, SharedIndexInformer<GenericKubernetesResource>> byNamespace = new HashMap<>();
            for (String namespace : scopes) {
                var resources = client.genericKubernetesResources(context(kind));
                SharedIndexInformer<GenericKubernetesResource> informer = namespace.isEmpty()
                        ? resources.inAnyNamespace().runnableInformer(resync.toMillis())
                        : resources.inNamespace(namespace).runnableInformer(resync.toMillis());
                informer.addEventHandler(new Enqueue(kind, enqueue));
                // Keep listing and watching through API outages instead of giving up after the first error.
                informer.exceptionHandler((started, error) -> {
                    LOG.warnf("%s informer%s: %s; retrying", kind, namespace.isEmpty() ? "" : " in " + namespace,
                            error.toString());
                    return true;
                });
                informer.start();
                byNamespace.put(namespace, informer);
            }
            informers.put(kind, byNamespace);
        }
        for (String namespace : scopes) {
            var configMaps = namespace.isEmpty() ? client.configMaps().inAnyNamespace()
                    : client.configMaps().inNamespace(namespace);
            SharedIndexInformer<ConfigMap> informer = configMaps.withField("metadata.name", SmcExtensions.CONFIG_MAP)
                    .runnableInformer(resync.toMillis());
            informer.addEventHandler(new EnqueueControllers(this, enqueue));
            informer.exceptionHandler((started, error) -> {
                LOG.warnf("%s informer%s: %s; retrying", SmcExtensions.CONFIG_MAP,
                        namespace.isEmpty() ? "" : " in " + namespace, error.toString());
                return true;
            });
            informer.start();
            extensionInformers.put(namespace, informer);
        }
    }

    /**
     * The data of the namespace's gloo-extensions-config as JSON (keys sorted), null when it has none.
     *
     * @throws IllegalStateException while its informer has not listed: publishing a ServiceMeshController without the
     *                               ConfigMap it has would roll its clusters out twice
     */
    public String extensions(String namespace) {
        SharedIndexInformer<ConfigMap> informer = extensionInformers.getOrDefault(namespace,
                extensionInformers.get(ALL_NAMESPACES));
        if (informer == null) {
            return null;
        }
        if (!informer.hasSynced()) {
            throw new IllegalStateException(SmcExtensions.CONFIG_MAP + " of " + namespace + " not listed yet");
        }
        ConfigMap found = informer.getStore().getByKey(namespace + "/" + SmcExtensions.CONFIG_MAP);
        if (found == null) {
            return null;
        }
        try {
            return json.writeValueAsString(found.getData() == null ? Map.of() : new TreeMap<>(found.getData()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /** The keys of the ServiceMeshControllers the cache holds in a namespace. */
    private List<String> controllersIn(String namespace) {
        List<String> keys = new ArrayList<>();
        informers.getOrDefault(ResourceKind.ServiceMeshController, Map.of()).values()
                .forEach(informer -> informer.getStore().list().stream()
                        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
                        .forEach(r -> keys.add(OwnerKeys.of(ResourceKind.ServiceMeshController, namespace,
                                r.getMetadata().getName()))));
        return keys;
    }

    /** The informer cache's latest copy; callers must not modify it. */
    public Optional<GenericKubernetesResource> get(ResourceKind kind, String namespace, String name) {
        Map<String, SharedIndexInformer<GenericKubernetesResource>> byNamespace = informers.get(kind);
        if (byNamespace == null) {
            return Optional.empty();
        }
        SharedIndexInformer<GenericKubernetesResource> informer = byNamespace.getOrDefault(namespace,
                byNamespace.get(ALL_NAMESPACES));
        if (informer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    /** Every informer has listed once and is watching. */
    public boolean synced() {
        List<SharedIndexInformer<GenericKubernetesResource>> all = new ArrayList<>();
        informers.values().forEach(m -> all.addAll(m.values()));
        return !all.isEmpty() && all.stream().allMatch(i -> i.hasSynced() && i.isWatching())
                && extensionInformers.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    /**
     * The informers that have stopped for good, named (liveness): an informer ends only when it is stopped or its
     * exception handler gives up, and then no watch event of its kind and namespace ever reaches the queue again.
     * The API server being away is not this: the informer keeps relisting (see {@link #start}).
     */
    public synchronized List<String> stoppedInformers() {
        List<String> stopped = new ArrayList<>();
        informers.forEach((kind, byNamespace) -> byNamespace.forEach((namespace, informer) -> {
            if (informer.stopped().toCompletableFuture().isDone()) {
                stopped.add(kind + " informer" + (namespace.isEmpty() ? "" : " in " + namespace));
            }
        }));
        extensionInformers.forEach((namespace, informer) -> {
            if (informer.stopped().toCompletableFuture().isDone()) {
                stopped.add(SmcExtensions.CONFIG_MAP + " informer" + (namespace.isEmpty() ? "" : " in " + namespace));
            }
        });
        return stopped;
    }

    @Override
    public synchronized void close() {
        // Kept, stopped: the service reads them as dead only while it runs (a close under a running service).
        informers.values().forEach(m -> m.values().forEach(SharedIndexInformer::stop));
        extensionInformers.values().forEach(SharedIndexInformer::stop);
    }

    /** A gloo-extensions-config changed: every ServiceMeshController of its namespace is published again. */
    private record EnqueueControllers(LifecycleWatch watch, Consumer<String> enqueue)
            implements ResourceEventHandler<ConfigMap> {
        @Override
        public void onAdd(ConfigMap obj) {
            changed(obj);
        }

        @Override
        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            changed(newObj);
        }

        @Override
        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            changed(obj);
        }

        private void changed(ConfigMap obj) {
            if (SmcExtensions.CONFIG_MAP.equals(obj.getMetadata().getName())) {
                watch.controllersIn(obj.getMetadata().getNamespace()).forEach(enqueue);
            }
        }
    }

    private record Enqueue(ResourceKind kind, Consumer<String> enqueue)
            implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            enqueue.accept(key(obj));
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            enqueue.accept(key(newObj));
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            enqueue.accept(key(obj));
        }

        private String key(GenericKubernetesResource obj) {
            return OwnerKeys.of(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        }
    }
}
