package dev.meshfleet.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A field selector on a list of core/v1 Events, as Kubernetes serves it: {@code kubectl describe} finds a resource's
 * Events with {@code involvedObject.name=..,involvedObject.namespace=..,involvedObject.kind=..,involvedObject.uid=..}.
 * Fabric8's CRUD mock knows only {@code metadata.name} and {@code metadata.namespace} and would answer no Event at all.
 * The selectable fields are Kubernetes' own for Events ({@code pkg/registry/core/event/strategy.go},
 * {@code ToSelectableFields}); any other is refused with 400 {@code field label not supported}, as Kubernetes does.
 * Requirements are {@code field=value}, {@code field==value} or {@code field!=value}, all of which must hold. A watch
 * of Events by such a selector is not served (no user of the sandbox makes one).
 */
record EventFieldSelector(List<Requirement> requirements, String pathWithoutIt) {

    private static final Pattern EVENTS = Pattern.compile("^/api/v1(/namespaces/[^/]+)?/events$");

    /** Kubernetes' selectable fields of an Event and where each is read. */
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.ofEntries(
            Map.entry("metadata.name", e -> e.path("metadata").path("name").asText("")),
            Map.entry("metadata.namespace", e -> e.path("metadata").path("namespace").asText("")),
            Map.entry("involvedObject.kind", e -> e.path("involvedObject").path("kind").asText("")),
            Map.entry("involvedObject.namespace", e -> e.path("involvedObject").path("namespace").asText("")),
            Map.entry("involvedObject.name", e -> e.path("involvedObject").path("name").asText("")),
            Map.entry("involvedObject.uid", e -> e.path("involvedObject").path("uid").asText("")),
            Map.entry("involvedObject.apiVersion", e -> e.path("involvedObject").path("apiVersion").asText("")),
            Map.entry("involvedObject.resourceVersion", e -> e.path("involvedObject").path("resourceVersion").asText("")),
            Map.entry("involvedObject.fieldPath", e -> e.path("involvedObject").path("fieldPath").asText("")),
            Map.entry("reason", e -> e.path("reason").asText("")),
            Map.entry("reportingComponent", e -> e.path("reportingComponent").asText("")),
            Map.entry("source", e -> e.path("source").path("component").asText("")),
            Map.entry("type", e -> e.path("type").asText("")));

    record Requirement(String field, boolean equal, String value) {
        boolean matches(JsonNode event) {
            Function<JsonNode, String> read = FIELDS.get(field);
            return read != null && read.apply(event).equals(value) == equal;
        }
    }

    /** The selector of a GET of an Event collection with a fieldSelector; empty for any other request. */
    static Optional<EventFieldSelector> of(String path) {
        int q = path.indexOf('?');
        if (q < 0 || !EVENTS.matcher(path.substring(0, q)).matches() || !path.contains("fieldSelector=")) {
            return Optional.empty();
        }
        List<String> params = new ArrayList<>();
        List<Requirement> requirements = new ArrayList<>();
        for (String param : path.substring(q + 1).split("&")) {
            if (!param.startsWith("fieldSelector=")) {
                params.add(param);
                continue;
            }
            String selector = URLDecoder.decode(param.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
            for (String requirement : selector.split(",")) {
                if (requirement.isBlank()) {
                    continue;
                }
                int not = requirement.indexOf("!=");
                int eq = requirement.indexOf('=');
                if (not >= 0) {
                    requirements.add(new Requirement(requirement.substring(0, not).trim(), false,
                            requirement.substring(not + 2).trim()));
                } else if (eq >= 0) {
                    String value = requirement.substring(eq + 1);
                    requirements.add(new Requirement(requirement.substring(0, eq).trim(), true,
                            (value.startsWith("=") ? value.substring(1) : value).trim()));
                } else {
                    requirements.add(new Requirement(requirement.trim(), true, null));
                }
            }
        }
        String rest = String.join("&", params);
        return Optional.of(new EventFieldSelector(List.copyOf(requirements),
                path.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest)));
    }

    /** Kubernetes' refusal of the first field it cannot select on, or of a requirement without an operator. */
    Optional<String> refusal() {
        for (Requirement r : requirements) {
            if (r.value() == null) {
                return Optional.of("invalid selector: '" + r.field() + "'; can't understand '" + r.field() + "'");
            }
            if (!FIELDS.containsKey(r.field())) {
                return Optional.of("field label not supported: " + r.field());
            }
        }
        return Optional.empty();
    }

    boolean matches(JsonNode event) {
        return requirements.stream().allMatch(r -> r.matches(event));
    }
}
