package dev.meshfleet.aggregator.status;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.aggregator.AggregatorConfig;
import dev.meshfleet.aggregator.conditions.Conditions;
import dev.meshfleet.aggregator.conditions.ConditionsJson;
import dev.meshfleet.aggregator.events.EventCorrelator;
import dev.meshfleet.aggregator.events.EventRecorder;
import dev.meshfleet.aggregator.events.StateChanges;
import dev.meshfleet.aggregator.fold.Owner;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.stream.AvroStatus;
import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Writes each owner's newest status to its ILM/GLM (or, in the seed's conditions, its ServiceMeshController) through the status subresource and releases the
 * uninstall finalizer once nothing is left installed, each with one JSON patch guarded by test ops
 * (no read-modify-write loop on 409). Statuses are coalesced per CR: at most one write per coalesce
 * window, the newest of a burst wins. One thread does every write, so the
 * writes of one CR never overtake each other; a failure is logged once and retried with backoff,
 * and never reaches the stream.
 */
@ApplicationScoped
public class StatusWriter {
    private static final Logger LOG = Logger.getLogger(StatusWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    AggregatorConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Tracer tracer;

    private final Map<String, LifecycleStatus> pending = new ConcurrentHashMap<>();
    /** The trace context each pending status was offered in: its write is a span of that change's trace. */
    private final Map<String, Context> pendingTraces = new ConcurrentHashMap<>();
    private final Map<String, Boolean> scheduled = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> lastFlushNanos = new ConcurrentHashMap<>();
    /** The newest folded status per owner: the finalizer rule reads it, not the rendered status. */
    private final Map<String, LifecycleStatus> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    /** Touched by the writer's one thread only. */
    private EventCorrelator correlator;
    private EventRecorder recorder;
    private Counter writes;
    private Counter unchanged;
    private Counter releases;

    /** Eager start of the resync timer; the setup itself is in {@link #init()}, whoever calls first. */
    void onStart(@Observes StartupEvent event) {
        LOG.debugf("status writer up, resync every %s", config.resyncPeriod());
    }

    @PostConstruct
    void init() {
        // Here rather than in the StartupEvent observer: the stream may offer a status before
        // this bean's observer ran, and that status must not wait for a later one.
        writes = registry.counter("meshfleet.aggregator.status.writes");
        unchanged = registry.counter("meshfleet.aggregator.status.unchanged");
        releases = registry.counter("meshfleet.aggregator.finalizer.releases");
        correlator = new EventCorrelator(config.eventsPerMinute(), 4096);
        recorder = new EventRecorder(client);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-writer");
            t.setDaemon(true);
            return t;
        });
        long period = config.resyncPeriod().toMillis();
        executor.scheduleWithFixedDelay(this::resync, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * The stream's newest status for an owner. The first status after a quiet window is written at
     * once (a user waiting on a single change should not pay the window); a burst that follows is
     * written once, when the window since the last write has passed, with the newest status.
     */
    public void offer(String key, LifecycleStatus status) {
        latest.put(key, status);
        pendingTraces.put(key, Context.current());
        pending.put(key, status);
        Long last = lastFlushNanos.get(key);
        long windowNanos = config.coalesceWindow().toNanos();
        long wait = last == null ? 0 : Math.max(0, last + windowNanos - System.nanoTime());
        schedule(key, Duration.ofNanos(wait));
    }

    /** Status subresource writes so far (the integration test counts them). */
    public long statusWrites() {
        return writes == null ? 0 : (long) writes.count();
    }

    /** Flushes that found the CR already up to date. */
    public long unchangedWrites() {
        return unchanged == null ? 0 : (long) unchanged.count();
    }

    private void schedule(String key, Duration delay) {
        if (executor != null && scheduled.putIfAbsent(key, Boolean.TRUE) == null) {
            executor.schedule(() -> flush(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void flush(String key) {
        // The time first, then the slot: an offer in between must see this write's time, or it would schedule
        // the next write at once and two writes would come closer than the window. (A flush is scheduled only
        // with a status pending, so the time is that of a write.)
        lastFlushNanos.put(key, System.nanoTime());
        scheduled.remove(key);
        Context trace = pendingTraces.getOrDefault(key, Context.root());
        LifecycleStatus status = pending.remove(key);
        if (status == null) {
            return;
        }
        MDC.put("owner", key);
        Span span = tracer.spanBuilder("status write").setParent(trace).setAttribute("meshfleet.owner", key)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            WriteResult result = write(status);
            span.setAttribute("meshfleet.write", result.toString());
            Integer failed = failures.remove(key);
            if (failed != null) {
                LOG.infof("status of %s written again after %d failed attempts", key, failed);
            }
            LOG.debugf("status of %s: %s", key, result);
        } catch (RuntimeException e) {
            int attempt = failures.merge(key, 1, Integer::sum);
            if (attempt == 1) {
                LOG.warnf("cannot write status of %s, retrying with backoff: %s", key, e.getMessage());
            }
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            // A newer status that arrived meanwhile wins; otherwise retry this one.
            if (pending.putIfAbsent(key, status) == null) {
                pendingTraces.putIfAbsent(key, trace);
            }
            schedule(key, backoff(attempt));
        } finally {
            span.end();
            MDC.remove("owner");
        }
    }

    private Duration backoff(int attempt) {
        // The first retry waits twice the coalescing window (at least 100ms each): attempt 1 is the second delay.
        Duration base = Duration.ofMillis(Math.max(config.coalesceWindow().toMillis(), 100));
        return new Backoff(base.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : base, MAX_BACKOFF).delay(attempt + 1);
    }

    /**
     * Makes the CR show this status; then releases the finalizer if it is deleting and nothing is left.
     * The status carries the conditions ({@link Conditions}: their transition times kept from the ones the resource
     * shows), and a write that changed installation states records them as Events ({@link EventCorrelator}).
     * One read (to write only what changed, and to learn the uid) and one JSON patch of the status
     * subresource whose first op tests the uid: no resourceVersion, so no 409 loop (this service is
     * the only writer of the status, and writes it whole), and a resource re-created between the read
     * and the patch fails the test instead of getting the old one's status.
     */
    WriteResult write(LifecycleStatus status) {
        OwnerRef owner = status.getOwner();
        Status folded = AvroStatus.status(status);
        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> crs = client
                .genericKubernetesResources(context(owner.getKind())).inNamespace(owner.getNamespace());
        GenericKubernetesResource cr = crs.withName(owner.getName()).get();
        WriteResult notOurs = notOurs(cr, owner);
        if (notOurs != null) {
            return notOurs;
        }
        boolean smc = owner.getKind() == ResourceKind.ServiceMeshController;
        JsonNode shown = statusOf(cr) == null ? MissingNode.getInstance() : JSON.valueToTree(statusOf(cr));
        ObjectNode desired;
        boolean ecp = owner.getKind() == ResourceKind.ExternalControlPlane;
        if (smc) {
            // Seed 003's own conditions and phase; no Events (ADR 0034 records an ILM's or GLM's transitions).
            desired = SmcStatusDocument.render(status, JSON.valueToTree(cr.getAdditionalProperties().get("spec")), shown);
        } else if (ecp) {
            // Per cluster its role and state, the printer columns' summary (ADR 0031), and an ILM's conditions and
            // Events of the clusters as the mesh sees them (a remote whose webhooks wait is not Ready).
            JsonNode spec = JSON.valueToTree(cr.getAdditionalProperties().get("spec"));
            LifecycleStatus seen = EcpStatusDocument.asTheMeshSeesIt(status, spec);
            folded = AvroStatus.status(seen);
            // render applies the same view again: on a status already seen so it finds nothing to copy.
            desired = EcpStatusDocument.render(seen, spec);
            desired.set("conditions", ConditionsJson.write(Conditions.of(folded,
                    ConditionsJson.read(shown.path("conditions")), created(cr))));
        } else {
            desired = StatusDocument.render(status);
            desired.set("conditions", ConditionsJson.write(Conditions.of(folded,
                    ConditionsJson.read(shown.path("conditions")), created(cr))));
        }
        if (desired.equals(BY_VALUE, shown)) {
            unchanged.increment();
            releaseIfUninstalled(cr, status);
            return WriteResult.UNCHANGED;
        }
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", cr.getMetadata().getUid());
        patch.addObject().put("op", "add").put("path", "/status").set("value", desired);
        GenericKubernetesResource updated;
        try {
            updated = crs.withName(owner.getName()).subresource("status").patch(PatchContext.of(PatchType.JSON),
                    patch.toString());
        } catch (KubernetesClientException e) {
            // A failed test op (the resource was deleted or re-created since the read) or a 404: say which.
            WriteResult gone = notOurs(crs.withName(owner.getName()).get(), owner);
            if (gone != null) {
                return gone;
            }
            throw e;
        }
        writes.increment();
        Owner resource = new Owner(folded.owner().kind(), owner.getNamespace(), owner.getName(),
                cr.getMetadata().getUid());
        if (!smc) {
            recorder.write(correlator.record(resource, ecp ? StateChanges.betweenClusters(shown, folded)
                    : StateChanges.between(shown, folded), System.currentTimeMillis()));
        }
        releaseIfUninstalled(updated, status);
        return WriteResult.WRITTEN;
    }

    private static Object statusOf(GenericKubernetesResource cr) {
        return cr.getAdditionalProperties().get("status");
    }

    /** When the resource was created: the conditions' transition time while no event is folded. */
    private static Instant created(GenericKubernetesResource cr) {
        String created = cr.getMetadata().getCreationTimestamp();
        try {
            return created == null ? Instant.EPOCH : OffsetDateTime.parse(created).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** MISSING or OTHER_UID when {@code cr} is not the owner's resource; null when it is. */
    private static WriteResult notOurs(GenericKubernetesResource cr, OwnerRef owner) {
        if (cr == null) {
            return WriteResult.MISSING;
        }
        String uid = owner.getUid();
        if (uid != null && !uid.isEmpty() && !uid.equals(cr.getMetadata().getUid())) {
            return WriteResult.OTHER_UID;
        }
        return null;
    }

    /** Level-triggered: every deleting CR of ours whose status says nothing is left loses the finalizer. */
    void resync() {
        recorder.write(correlator.due(System.currentTimeMillis()));
        for (ResourceKind kind : Crds.KINDS) {
            try {
                List<GenericKubernetesResource> items = new ArrayList<>(
                        client.genericKubernetesResources(context(kind)).inAnyNamespace().list().getItems());
                for (GenericKubernetesResource cr : items) {
                    releaseIfUninstalled(cr, latest.get(OwnerKeys.of(kind, cr.getMetadata().getNamespace(),
                            cr.getMetadata().getName())));
                }
            } catch (RuntimeException e) {
                LOG.warnf("finalizer resync of %s failed, next try in %s: %s", Crds.plural(kind),
                        config.resyncPeriod(), e.getMessage());
            }
        }
    }

    /**
     * @param folded the newest folded status of this CR's owner, null when the stream has offered none
     *               (yet): then only a CR that never got a status may go, as nothing was ever reported
     *               for it; one with a status waits for the stream to re-offer its folded status.
     */
    private void releaseIfUninstalled(GenericKubernetesResource cr, LifecycleStatus folded) {
        if (!deletingWithOurFinalizer(cr)) {
            return;
        }
        String uid = cr.getMetadata().getUid();
        boolean ours = folded != null && (folded.getOwner().getUid() == null || folded.getOwner().getUid().isEmpty()
                || folded.getOwner().getUid().equals(uid));
        boolean mayRelease = ours ? FinalizerPolicy.mayRelease(AvroStatus.status(folded))
                : cr.getAdditionalProperties().get("status") == null;
        if (!mayRelease) {
            return;
        }
        ResourceKind kind = Crds.kindOf(cr.getApiVersion(), cr.getKind());
        int index = cr.getMetadata().getFinalizers().indexOf(Crds.FINALIZER);
        // One JSON patch whose test ops pin what was read: the same resource, our finalizer at that
        // index. Another controller's finalizer change in between fails the test, and the next write
        // or resync (level-triggered) decides again from what is there then; no read-modify-write loop.
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", cr.getMetadata().getUid());
        patch.addObject().put("op", "test").put("path", "/metadata/finalizers/" + index).put("value", Crds.FINALIZER);
        patch.addObject().put("op", "remove").put("path", "/metadata/finalizers/" + index);
        try {
            client.genericKubernetesResources(context(kind)).inNamespace(cr.getMetadata().getNamespace())
                    .withName(cr.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), patch.toString());
        } catch (KubernetesClientException e) {
            LOG.debugf("%s/%s/%s: finalizer not removed now (%d: %s); decided again at the next write or resync",
                    cr.getKind(), cr.getMetadata().getNamespace(), cr.getMetadata().getName(), e.getCode(),
                    e.getMessage());
            return;
        }
        releases.increment();
        LOG.infof("%s/%s/%s: everything uninstalled, finalizer %s removed", cr.getKind(),
                cr.getMetadata().getNamespace(), cr.getMetadata().getName(), Crds.FINALIZER);
    }

    private static boolean deletingWithOurFinalizer(GenericKubernetesResource cr) {
        return cr.getMetadata().getDeletionTimestamp() != null && cr.getMetadata().getFinalizers() != null
                && cr.getMetadata().getFinalizers().contains(Crds.FINALIZER);
    }

    /**
     * Numbers equal by value, everything else as Jackson compares it: the status the resource shows was read as the
     * API server sends it (an int 1 where the rendered status holds a long 1), so equal content means no write.
     */
    static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static ResourceDefinitionContext context(ResourceKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(Crds.group(kind)).withVersion(Crds.version(kind))
                .withKind(kind.name()).withPlural(Crds.plural(kind)).withNamespaced(true).build();
    }
}
