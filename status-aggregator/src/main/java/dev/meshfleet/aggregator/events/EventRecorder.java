package dev.meshfleet.aggregator.events;

import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meshfleet.schemas.crd.Crds;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes {@link EventRecord}s as core/v1 Events on their resource, where {@code kubectl describe} lists them, as
 * client-go's recorder does: a JSON merge patch of the Event's count, message and times under its fixed name, and a
 * create when there is none yet (404; the first of its kind, or one Kubernetes' Event TTL removed). So the aggregator
 * needs {@code patch} and {@code create} on events. Best effort, as Events are in Kubernetes: a failure is logged
 * (once per resource until one succeeds) and never stops the status write.
 */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String COMPONENT = "meshfleet-status-aggregator";

    private final KubernetesClient client;
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void write(List<EventRecord> records) {
        for (EventRecord record : records) {
            String key = record.owner().key();
            try {
                write(event(record));
                if (failing.remove(key)) {
                    LOG.infof("Events of %s written again", key);
                }
            } catch (KubernetesClientException e) {
                if (failing.add(key)) {
                    LOG.warnf("cannot write Event %s of %s (%d: %s); the next one is tried anyway", record.reason(), key,
                            e.getCode(), e.getMessage());
                }
            }
        }
    }

    private void write(Event event) {
        var events = client.v1().events().inNamespace(event.getMetadata().getNamespace());
        ObjectNode changes = JSON.createObjectNode();
        changes.put("count", event.getCount()).put("message", event.getMessage()).put("type", event.getType())
                .put("firstTimestamp", event.getFirstTimestamp()).put("lastTimestamp", event.getLastTimestamp());
        try {
            // On the Event as an item: Fabric8 then patches by its name, without reading it first (no get grant).
            events.resource(event).patch(PatchContext.of(PatchType.JSON_MERGE), changes.toString());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            events.resource(event).create();
        }
    }

    /** The Event as Kubernetes' legacy recorder writes it: involvedObject, reason, message, type, count, times, source. */
    static Event event(EventRecord record) {
        return new EventBuilder().withNewMetadata().withName(record.name()).withNamespace(record.owner().namespace())
                .endMetadata()
                .withNewInvolvedObject().withApiVersion(Crds.GROUP + "/" + Crds.VERSION)
                .withKind(record.owner().kind().name()).withNamespace(record.owner().namespace())
                .withName(record.owner().name()).withUid(record.owner().uid()).endInvolvedObject()
                .withReason(record.reason()).withMessage(record.message()).withType(record.type())
                .withCount((int) Math.min(Integer.MAX_VALUE, record.count()))
                .withFirstTimestamp(record.first().truncatedTo(ChronoUnit.SECONDS).toString())
                .withLastTimestamp(record.last().truncatedTo(ChronoUnit.SECONDS).toString())
                .withNewSource().withComponent(COMPONENT).endSource()
                .build();
    }
}
