package dev.meshfleet.sandbox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Field paths with old and new values, one row per kind of change; expected values written by hand. */
class FieldChangesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a changed tag | {\"installations\":[{\"istioOperatorSpec\":{\"tag\":\"1.24.2-solo\"}}]} | {\"installations\":[{\"istioOperatorSpec\":{\"tag\":\"1.24.3-solo\"}}]} | spec.installations[0].istioOperatorSpec.tag: \"1.24.2-solo\" -> \"1.24.3-solo\"",
        "an added field | {\"a\":{}} | {\"a\":{\"b\":true}} | spec.a.b: (absent) -> true",
        "a removed field | {\"a\":{\"b\":1,\"c\":2}} | {\"a\":{\"c\":2}} | spec.a.b: 1 -> (absent)",
        "a cluster added to a list | {\"clusters\":[{\"name\":\"cluster1\"}]} | {\"clusters\":[{\"name\":\"cluster1\"},{\"name\":\"cluster2\"}]} | spec.clusters[1]: (absent) -> {\"name\":\"cluster2\"}",
        "a key with a slash | {\"labels\":{\"app/x\":\"a\"}} | {\"labels\":{\"app/x\":\"b\"}} | spec.labels.app/x: \"a\" -> \"b\"",
        "nothing changed | {\"a\":1} | {\"a\":1} | ''",
    })
    void eachChangeIsAFieldPathWithItsOldAndNewValue(String name, String before, String after, String expected)
            throws Exception {
        List<String> changes = FieldChanges.between(JSON.readTree(before), JSON.readTree(after)).stream()
                .map(Object::toString).toList();
        assertThat(changes).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected));
    }

    @org.junit.jupiter.api.Test
    void aCreationListsEveryTopFieldAsAddedAndADeletionEveryOneAsRemoved() throws Exception {
        var spec = JSON.readTree("{\"installations\":[],\"x\":1}");
        assertThat(FieldChanges.between(null, spec)).extracting(Object::toString)
                .containsExactlyInAnyOrder("spec.installations: (absent) -> []", "spec.x: (absent) -> 1");
        assertThat(FieldChanges.between(spec, null)).extracting(Object::toString)
                .containsExactlyInAnyOrder("spec.installations: [] -> (absent)", "spec.x: 1 -> (absent)");
    }
}
