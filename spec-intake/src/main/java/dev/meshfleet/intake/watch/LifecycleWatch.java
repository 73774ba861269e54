package dev.meshfleet.intake.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Informers on ILM and GLM (generic resources, so the spec reaches the topic exactly as stored),
 * in all namespaces or in each configured one. Every event only enqueues the owner key: the worker
 * reads the latest object from {@link #get} (level-triggered), never the event's copy.
 */
public final class LifecycleWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LifecycleWatch.class);
    private static final String ALL_NAMESPACES = "";

    private final KubernetesClient client;
    /** kind -> namespace ("" for all) -> informer. */
    private final Map<ResourceKind, Map<String, SharedIndexInformer<GenericKubernetesResource>>> informers =
            new EnumMap<>(ResourceKind.class);

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
        return !all.isEmpty() && all.stream().allMatch(i -> i.hasSynced() && i.isWatching());
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
        return stopped;
    }

    @Override
    public synchronized void close() {
        // Kept, stopped: the service reads them as dead only while it runs (a close under a running service).
        informers.values().forEach(m -> m.values().forEach(SharedIndexInformer::stop));
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
