package dev.meshfleet.intake.admission;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meshfleet.translation.Canonical;
import dev.meshfleet.translation.Owner;
import dev.meshfleet.translation.TranslationError;
import dev.meshfleet.translation.Translator;

/**
 * The webhook's decision (pure): a create or an update that changes the spec is allowed only if the translator's own
 * validation ({@link Translator}, the one set of rules the pipeline applies later) finds no error, and the refusal
 * names every field. Every allowed request that makes or removes a generation is recorded ({@link Admitted}); an
 * update that leaves the spec alone (a finalizer, a label) is allowed unchecked and unrecorded: it makes no change
 * to history, and refusing it would keep a resource stored before the webhook existed from ever being finalized.
 */
public final class AdmissionRules {
    private final Translator translator;

    public AdmissionRules(Translator translator) {
        this.translator = translator;
    }

    /** The answer to one request: allowed (with what to record, empty when nothing is) or denied with a message. */
    public sealed interface Decision {
    }

    /** Allowed; {@code record} is what the admissions topic gets, empty for a dry run or a metadata-only update. */
    public record Allowed(Optional<Admitted> record) implements Decision {
    }

    /** Denied; {@code message} names each field and what is wrong with it, as the translator words it. */
    public record Denied(String message) implements Decision {
    }

    public Decision decide(AdmissionRequest request, Instant now) {
        JsonNode object = request.operation() == AdmissionRequest.Operation.DELETE ? request.oldObject() : request.object();
        JsonNode spec = object == null ? null : object.get("spec");
        String specHash = Canonical.specHash(spec);
        boolean specChanged = switch (request.operation()) {
            case CREATE -> true;
            case UPDATE -> request.oldObject() == null
                    || !specHash.equals(Canonical.specHash(request.oldObject().get("spec")));
            case DELETE -> true;
            case CONNECT -> false;
        };
        if (!specChanged) {
            return new Allowed(Optional.empty());
        }
        if (request.operation() != AdmissionRequest.Operation.DELETE) {
            String uid = text(object, "uid");
            var translation = translator.translate(new Owner(request.kind(), request.namespace(), request.name(), uid),
                    generation(object).orElse(0), spec == null || spec.isNull() ? null : spec);
            if (!translation.ok()) {
                return new Denied(message(translation.errors()));
            }
        }
        if (request.dryRun()) {
            return new Allowed(Optional.empty());
        }
        return new Allowed(Optional.of(new Admitted(request.requestUid(), text(object, "uid"), request.kind(),
                request.namespace(), request.name(), generation(object), specHash, request.operation(),
                request.username(), request.groups(), now)));
    }

    /**
     * Every distinct problem once (the translator reports a problem of an installation once per cluster it names),
     * field first, in the translator's order.
     */
    static String message(java.util.List<TranslationError> errors) {
        Set<String> distinct = new LinkedHashSet<>();
        errors.forEach(e -> distinct.add(e.describe()));
        return "the spec is invalid: " + String.join("; ", distinct);
    }

    private static String text(JsonNode object, String metadataField) {
        JsonNode value = object == null ? null : object.path("metadata").get(metadataField);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static OptionalLong generation(JsonNode object) {
        JsonNode value = object == null ? null : object.path("metadata").get("generation");
        return value != null && value.canConvertToLong() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }
}
