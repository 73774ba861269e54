package dev.meshfleet.testkit;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CRD's structural schema ({@code openAPIV3Schema}) applied to a custom resource as the API
 * server does it (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/):
 * first pruning (unknown fields are dropped, not refused, unless {@code x-kubernetes-preserve-unknown-fields};
 * a {@code null} in a field that is not {@code nullable} is dropped), then validation (type,
 * {@code x-kubernetes-int-or-string}, enum, required, the formats listed in {@link #checkFormat}).
 * {@code apiVersion}, {@code kind} and {@code metadata} at the root (and in an
 * {@code x-kubernetes-embedded-resource}) are never pruned; metadata is not validated here.
 *
 * <p>Pure: {@link #admit} changes only the object it is given. Errors come in the order of the
 * object's fields, each rendered as Kubernetes' {@code field.Error} does.
 */
final class StructuralSchema {

    /** One refusal, as Kubernetes' {@code field.Error}: where, what kind, and the detail. */
    record FieldError(String field, Kind kind, String body) {
        /** The error as kubectl shows it: {@code spec.x: Invalid value: "integer": ...}. */
        String describe() {
            return field + ": " + body;
        }
    }

    /** Kubernetes' field.ErrorType, with the cause reason a Status carries for it. */
    enum Kind {
        INVALID("FieldValueInvalid"), REQUIRED("FieldValueRequired"), NOT_SUPPORTED("FieldValueNotSupported");

        final String causeReason;

        Kind(String causeReason) {
            this.causeReason = causeReason;
        }
    }

    private StructuralSchema() {
    }

    /** What admission found: the fields pruned as unknown, and the validation errors after pruning. */
    record Verdict(List<String> pruned, List<FieldError> errors) {
    }

    /** Prunes {@code object} in place against {@code schema} (the openAPIV3Schema), then validates it. */
    static Verdict admit(JsonNode schema, ObjectNode object) {
        List<String> pruned = new ArrayList<>();
        prune(schema, object, "", pruned, true);
        List<FieldError> errors = new ArrayList<>();
        validate(schema, object, "", errors, true);
        return new Verdict(pruned, errors);
    }

    private static boolean preserves(JsonNode schema) {
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                || schema.path("additionalProperties").asBoolean(false);
    }

    private static void prune(JsonNode schema, JsonNode value, String path, List<String> pruned, boolean root) {
        if (value instanceof ObjectNode object) {
            boolean keepsMeta = root || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                if (keepsMeta && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) {
                    continue;
                }
                JsonNode child = properties.has(name) ? properties.get(name)
                        : additional.isObject() ? additional : null;
                if (child == null) {
                    if (!preserves(schema)) {
                        it.remove();
                        pruned.add(child(path, name));
                    }
                    continue;
                }
                if (field.getValue().isNull() && !child.path("nullable").asBoolean(false)) {
                    it.remove();
                    continue;
                }
                prune(child, field.getValue(), properties.has(name) ? child(path, name) : path + "[" + name + "]",
                        pruned, false);
            }
        } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
            for (int i = 0; i < array.size(); i++) {
                prune(schema.get("items"), array.get(i), path + "[" + i + "]", pruned, false);
            }
        }
    }

    private static void validate(JsonNode schema, JsonNode value, String path, List<FieldError> errors, boolean root) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                errors.add(typeError(path, schema.path("type").asText(), "null"));
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !isInteger(value)) {
                errors.add(new FieldError(path, Kind.INVALID, "Invalid value: \"" + typeOf(value) + "\": " + path
                        + " in body must be of type integer,string: \"" + typeOf(value) + "\""));
                return;
            }
        } else if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            errors.add(typeError(path, schema.get("type").asText(), typeOf(value)));
            return;
        }
        JsonNode allowed = schema.path("enum");
        if (allowed.isArray() && !allowed.isEmpty() && !contains(allowed, value)) {
            List<String> supported = new ArrayList<>();
            allowed.forEach(v -> supported.add(v.toString()));
            errors.add(new FieldError(path, Kind.NOT_SUPPORTED, "Unsupported value: " + value
                    + ": supported values: " + String.join(", ", supported)));
        }
        if (schema.has("format")) {
            checkFormat(schema.get("format").asText(), value, path, errors);
        }
        if (value instanceof ObjectNode object) {
            boolean keepsMeta = root || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            for (JsonNode required : schema.path("required")) {
                if (!object.has(required.asText())) {
                    errors.add(new FieldError(child(path, required.asText()), Kind.REQUIRED, "Required value"));
                }
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            object.fields().forEachRemaining(field -> {
                String name = field.getKey();
                if (keepsMeta && name.equals("metadata")) {
                    return; // ObjectMeta is validated by the API machinery, not by the CRD's schema
                }
                if (properties.has(name)) {
                    validate(properties.get(name), field.getValue(), child(path, name), errors, false);
                } else if (additional.isObject()) {
                    validate(additional, field.getValue(), path + "[" + name + "]", errors, false);
                }
            });
        } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
            for (int i = 0; i < array.size(); i++) {
                validate(schema.get("items"), array.get(i), path + "[" + i + "]", errors, false);
            }
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static FieldError typeError(String path, String type, String actual) {
        return new FieldError(path, Kind.INVALID, "Invalid value: \"" + actual + "\": " + path
                + " in body must be of type " + type + ": \"" + actual + "\"");
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode v : allowed) {
            if (v.equals(value) || v.isNumber() && value.isNumber() && v.decimalValue().compareTo(value.decimalValue()) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Go's JSON types, as the API server names them in its messages. */
    static String typeOf(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (isInteger(value)) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        return "null";
    }

    /** An integer is any JSON number with no fraction (1.0 is one, as for the API server). */
    private static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber()
                || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> isInteger(value);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> true; // not a structural type: the CRD itself would have been refused
        };
    }

    /**
     * The formats checked here, a subset of those the API server checks (kube-openapi's
     * strfmt registry): date-time, date, byte, uuid, int32. Others are accepted unchecked.
     */
    private static void checkFormat(String format, JsonNode value, String path, List<FieldError> errors) {
        boolean ok = switch (format) {
            case "date-time", "datetime" -> !value.isTextual() || parses(() -> OffsetDateTime.parse(value.asText()));
            case "date" -> !value.isTextual() || parses(() -> LocalDate.parse(value.asText()));
            case "byte" -> !value.isTextual() || parses(() -> Base64.getDecoder().decode(value.asText()));
            case "uuid" -> !value.isTextual() || parses(() -> UUID.fromString(value.asText()));
            case "int32" -> !value.isNumber() || value.canConvertToInt();
            default -> true;
        };
        if (!ok) {
            String shown = value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
            errors.add(new FieldError(path, Kind.INVALID, "Invalid value: " + shown + ": " + path
                    + " in body must be of type " + format + ": " + shown));
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }
}
