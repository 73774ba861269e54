package dev.meshfleet.aggregator.conditions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code status.conditions} as JSON, the shape of Kubernetes' {@code metav1.Condition}: times in RFC 3339 to the
 * second, as the API server writes a {@code metav1.Time}. Pure.
 */
public final class ConditionsJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConditionsJson() {
    }

    public static ArrayNode write(List<Condition> conditions) {
        ArrayNode array = NODES.arrayNode();
        for (Condition c : conditions) {
            ObjectNode node = array.addObject();
            node.put("type", c.type());
            node.put("status", c.statusText());
            node.put("observedGeneration", c.observedGeneration());
            node.put("lastTransitionTime", c.lastTransitionTime().truncatedTo(ChronoUnit.SECONDS).toString());
            node.put("reason", c.reason());
            node.put("message", c.message());
        }
        return array;
    }

    /**
     * The conditions a resource shows ({@code status.conditions}; missing or not a list: none). An entry without a
     * type or with a time that does not parse is skipped: its type then starts over, as if it had none.
     */
    public static List<Condition> read(JsonNode conditions) {
        List<Condition> read = new ArrayList<>();
        if (conditions == null || !conditions.isArray()) {
            return read;
        }
        for (JsonNode c : conditions) {
            String type = c.path("type").asText("");
            if (type.isEmpty()) {
                continue;
            }
            try {
                Instant since = OffsetDateTime.parse(c.path("lastTransitionTime").asText("")).toInstant();
                read.add(new Condition(type, "True".equals(c.path("status").asText()), c.path("reason").asText(""),
                        c.path("message").asText(""), c.path("observedGeneration").asLong(0), since));
            } catch (DateTimeParseException e) {
                // skipped: see above
            }
        }
        return read;
    }
}
