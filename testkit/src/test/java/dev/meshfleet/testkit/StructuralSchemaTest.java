package dev.meshfleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The structural schema rules one per row (pure, no server): a schema for {@code spec}, an object,
 * what is left after pruning and the errors as kubectl shows them. Expected texts are Kubernetes'
 * (apiextensions-apiserver's pruning and kube-openapi's validation messages).
 */
class StructuralSchemaTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("a string where a string is expected passes",
                        "{type: string}", "{spec: a}", "{spec: a}", List.of()),
                Arguments.of("a number where a string is expected is an invalid value naming both types",
                        "{type: string}", "{spec: 1}", "{spec: 1}",
                        List.of("spec: Invalid value: \"integer\": spec in body must be of type string: \"integer\"")),
                Arguments.of("an integral float is an integer, a fractional one is a number",
                        "{type: object, properties: {a: {type: integer}, b: {type: integer}}}", "{spec: {a: 2.0, b: 2.5}}",
                        "{spec: {a: 2.0, b: 2.5}}",
                        List.of("spec.b: Invalid value: \"number\": spec.b in body must be of type integer: \"number\"")),
                Arguments.of("unknown fields are pruned at every depth, through arrays and maps",
                        "{type: object, properties: {l: {type: array, items: {type: object, properties: {k: {type: string}}}},"
                                + " m: {type: object, additionalProperties: {type: object, properties: {k: {type: string}}}}}}",
                        "{spec: {x: 1, l: [{k: a, y: 2}], m: {one: {k: b, z: 3}}}}",
                        "{spec: {l: [{k: a}], m: {one: {k: b}}}}", List.of()),
                Arguments.of("preserve-unknown-fields keeps unknown fields but still checks the known ones",
                        "{type: object, x-kubernetes-preserve-unknown-fields: true, properties: {k: {type: string}}}",
                        "{spec: {k: 1, other: {deep: [1]}}}", "{spec: {k: 1, other: {deep: [1]}}}",
                        List.of("spec.k: Invalid value: \"integer\": spec.k in body must be of type string: \"integer\"")),
                Arguments.of("an object without properties keeps nothing unless it preserves unknown fields",
                        "{type: object, properties: {bare: {type: object}, kept: {type: object, x-kubernetes-preserve-unknown-fields: true}}}",
                        "{spec: {bare: {a: 1}, kept: {a: 1}}}", "{spec: {bare: {}, kept: {a: 1}}}", List.of()),
                Arguments.of("a null is dropped unless nullable, and kept when nullable",
                        "{type: object, properties: {a: {type: string}, b: {type: string, nullable: true}}}",
                        "{spec: {a: null, b: null}}", "{spec: {b: null}}", List.of()),
                Arguments.of("int-or-string takes an integer or a string, not a boolean",
                        "{type: object, properties: {p: {x-kubernetes-int-or-string: true}, q: {x-kubernetes-int-or-string: true},"
                                + " r: {x-kubernetes-int-or-string: true}}}",
                        "{spec: {p: 80, q: http, r: true}}", "{spec: {p: 80, q: http, r: true}}",
                        List.of("spec.r: Invalid value: \"boolean\": spec.r in body must be of type integer,string: \"boolean\"")),
                Arguments.of("a value outside the enum is unsupported, listing the supported values",
                        "{type: string, enum: [a, b]}", "{spec: c}", "{spec: c}",
                        List.of("spec: Unsupported value: \"c\": supported values: \"a\", \"b\"")),
                Arguments.of("a missing required field is required, named under its parent",
                        "{type: object, required: [name], properties: {name: {type: string}}}", "{spec: {}}", "{spec: {}}",
                        List.of("spec.name: Required value")),
                Arguments.of("a date-time that does not parse is invalid, showing the value",
                        "{type: string, format: date-time}", "{spec: tomorrow}", "{spec: tomorrow}",
                        List.of("spec: Invalid value: \"tomorrow\": spec in body must be of type date-time: \"tomorrow\"")),
                Arguments.of("apiVersion, kind and metadata at the root are kept and metadata is not validated",
                        "{type: string}", "{apiVersion: v1, kind: K, metadata: {name: n, anything: 1}, spec: a}",
                        "{apiVersion: v1, kind: K, metadata: {name: n, anything: 1}, spec: a}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleOfTheStructuralSchemaPrunesAndValidatesAsKubernetes(String rule, String specSchema, String object,
            String afterPruning, List<String> errors) throws Exception {
        JsonNode schema = YAML.readTree("{type: object, properties: {apiVersion: {type: string}, kind: {type: string},"
                + " metadata: {type: object}, spec: " + specSchema + "}}");
        ObjectNode value = (ObjectNode) YAML.readTree(object);

        StructuralSchema.Verdict verdict = StructuralSchema.admit(schema, value);

        assertThat(value).as(rule).isEqualTo(YAML.readTree(afterPruning));
        assertThat(verdict.errors()).as(rule).extracting(StructuralSchema.FieldError::describe)
                .containsExactlyElementsOf(errors);
    }
}
