package dev.meshfleet.intake;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.meshfleet.intake.change.LifecycleResource;
import dev.meshfleet.intake.change.PublishDecision;
import dev.meshfleet.intake.change.PublishDecision.AddFinalizer;
import dev.meshfleet.intake.change.PublishDecision.Nothing;
import dev.meshfleet.intake.change.PublishDecision.Publish;
import dev.meshfleet.intake.change.PublishLedger;
import dev.meshfleet.intake.change.PublishRules;
import dev.meshfleet.intake.change.SpecChanges;
import dev.meshfleet.intake.watch.LifecycleResources;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Handles one key: reads the cache, asks {@link PublishRules} for the next step, does it, and asks
 * again until nothing is left. The queue guarantees one worker per key at a time, so the per-key
 * maps here see no concurrent writers for the same key.
 */
final class IntakeController {
    private static final Logger LOG = Logger.getLogger(IntakeController.class);
    /** Finalizer, then DELETE of a replaced uid, then UPSERT: three steps at most, plus one to see Nothing. */
    private static final int MAX_STEPS = 5;

    private final Cache cache;
    private final FinalizerWriter finalizers;
    private final Publisher publisher;
    private final Extensions extensions;
    private final LifecycleResources resources;
    private final PublishLedger ledger;
    private final Clock clock;
    private final Consumer<Operation> onPublished;
    /** key -> the resource the worker last handled under it; where a DELETE comes from when it vanishes. */
    private final Map<String, LifecycleResource> lastSeen = new ConcurrentHashMap<>();

    /** The informer cache's latest copy of a resource ({@link dev.meshfleet.intake.watch.LifecycleWatch#get}). */
    @FunctionalInterface
    interface Cache {
        Optional<GenericKubernetesResource> get(ResourceKind kind, String namespace, String name);
    }

    /** Puts the finalizer on a resource ({@link dev.meshfleet.intake.watch.Finalizers#ensure}). */
    @FunctionalInterface
    interface FinalizerWriter {
        Optional<GenericKubernetesResource> ensure(ResourceKind kind, GenericKubernetesResource cached);
    }

    /**
     * Sends one change and returns once the broker took it, or throws
     * ({@link dev.meshfleet.intake.publish.SpecChangePublisher#publish}). An interface, so that the
     * worker's loop is tested without Kafka at all rather than with a mocked producer.
     */
    @FunctionalInterface
    interface Publisher {
        void publish(String key, SpecChange change);
    }

    /**
     * The gloo-extensions-config a ServiceMeshController is published with ({@link
     * dev.meshfleet.intake.watch.LifecycleWatch#extensions}, docs/adr/0045).
     */
    @FunctionalInterface
    interface Extensions {
        /** The data of the namespace's ConfigMap as JSON, null when it has none; throws while that is not known yet. */
        String dataJson(String namespace);
    }

    IntakeController(Cache cache, FinalizerWriter finalizers, Publisher publisher,
            LifecycleResources resources, PublishLedger ledger, Clock clock, Consumer<Operation> onPublished) {
        this(cache, finalizers, publisher, namespace -> null, resources, ledger, clock, onPublished);
    }

    IntakeController(Cache cache, FinalizerWriter finalizers, Publisher publisher, Extensions extensions,
            LifecycleResources resources, PublishLedger ledger, Clock clock, Consumer<Operation> onPublished) {
        this.cache = cache;
        this.finalizers = finalizers;
        this.publisher = publisher;
        this.extensions = extensions;
        this.resources = resources;
        this.ledger = ledger;
        this.clock = clock;
        this.onPublished = onPublished;
    }

    /** Throws when a step failed (Kafka or the API server); the caller re-queues the key with backoff. */
    void handle(String key) {
        OwnerKeys.Parsed owner = OwnerKeys.parse(key);
        Optional<GenericKubernetesResource> cached = cache.get(owner.kind(), owner.namespace(), owner.name());
        Optional<LifecycleResource> current = cached.map(r -> read(owner.kind(), r));
        Optional<LifecycleResource> seen = Optional.ofNullable(lastSeen.get(key));

        for (int step = 0; step < MAX_STEPS; step++) {
            PublishDecision decision = PublishRules.decide(current, seen, ledger);
            // Java 17 has no pattern switch; the three cases of the sealed interface are all handled here.
            if (decision instanceof Nothing nothing) {
                LOG.debugf("nothing to publish: %s", nothing.reason());
                break;
            } else if (decision instanceof AddFinalizer) {
                Optional<GenericKubernetesResource> updated = finalizers.ensure(owner.kind(), cached.orElseThrow());
                cached = updated;
                current = updated.map(r -> read(owner.kind(), r));
                updated.ifPresent(r -> LOG.debugf("finalizer %s added", Crds.FINALIZER));
            } else if (decision instanceof Publish publish) {
                LifecycleResource resource = publish.resource();
                publisher.publish(key, SpecChanges.of(resource, publish.operation(), clock.instant()));
                if (publish.operation() == Operation.DELETE) {
                    ledger.recordDelete(resource.uid());
                } else {
                    ledger.recordUpsert(resource.uid(), resource.generation(), resource.beside());
                }
                onPublished.accept(publish.operation());
                LOG.infof("published %s of %s generation %d uid %s by '%s'", publish.operation(), key,
                        resource.generation(), resource.uid(), resource.actor());
            }
        }
        remember(key, seen, current);
    }

    /** A ServiceMeshController goes out with its namespace's gloo-extensions-config (docs/adr/0045). */
    private LifecycleResource read(ResourceKind kind, GenericKubernetesResource r) {
        LifecycleResource resource = resources.of(kind, r);
        return kind == ResourceKind.ServiceMeshController
                ? resource.withExtensions(extensions.dataJson(resource.namespace())) : resource;
    }

    private void remember(String key, Optional<LifecycleResource> seen, Optional<LifecycleResource> current) {
        // A uid that is gone for good (its DELETE is out, or it was never published) leaves the ledger,
        // so memory follows the live resources, not every resource ever seen.
        seen.filter(s -> current.map(c -> !c.uid().equals(s.uid())).orElse(true))
                .ifPresent(s -> ledger.forget(s.uid()));
        if (current.isPresent()) {
            lastSeen.put(key, current.get());
        } else {
            lastSeen.remove(key);
        }
    }
}
