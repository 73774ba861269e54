package dev.meshfleet.intake.watch;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.change.Actors;
import dev.meshfleet.intake.change.LifecycleResource;
import dev.meshfleet.intake.change.ReadAnnotations;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.schemas.v1.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/** The one place an informer's object becomes a {@link LifecycleResource}. */
public final class LifecycleResources {
    /** The translator reports a missing spec; here it is published as an empty object. */
    static final String NO_SPEC = "{}";

    private static final Logger LOG = Logger.getLogger(LifecycleResources.class);

    private final ObjectMapper json;
    /** Unreadable managedFields times already logged, so that a resync does not repeat them. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public LifecycleResources(ObjectMapper json) {
        this.json = json;
    }

    public LifecycleResource of(ResourceKind kind, GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        List<String> finalizers = meta.getFinalizers();
        Actors.Actor actor = Actors.read(meta.getManagedFields());
        for (Actors.UnreadableTime bad : actor.unreadable()) {
            String key = kind + "/" + meta.getNamespace() + "/" + meta.getName() + "|" + bad.manager() + "|" + bad.value();
            if (reported.add(key)) {
                LOG.warnf("%s %s/%s: metadata.managedFields time '%s' of manager '%s' is not an RFC 3339 time; that"
                        + " entry is taken as older than every timed one when choosing who changed the spec", kind,
                        meta.getNamespace(), meta.getName(), bad.value(), bad.manager());
            }
        }
        return new LifecycleResource(kind, meta.getNamespace(), meta.getName(), meta.getUid(),
                meta.getGeneration() == null ? 0L : meta.getGeneration(), meta.getResourceVersion(),
                meta.getDeletionTimestamp() != null && !meta.getDeletionTimestamp().isBlank(),
                finalizers != null && finalizers.contains(Crds.FINALIZER), actor.manager(),
                specJson(resource), null, ReadAnnotations.of(kind, meta.getAnnotations()));
    }

    /**
     * The spec as the API server stored it: the generic resource keeps the parsed JSON as maps in
     * document order, so no typed model drops or renames a field on the way to the topic.
     */
    private String specJson(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        if (spec == null) {
            return NO_SPEC;
        }
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            // Maps parsed from JSON always serialise; reaching this is a bug, not an input error.
            throw new IllegalStateException("cannot write the spec of " + resource.getMetadata().getName(), e);
        }
    }
}
