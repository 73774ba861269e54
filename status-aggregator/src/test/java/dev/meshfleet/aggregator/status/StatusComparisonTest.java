package dev.meshfleet.aggregator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The writer writes only a status that differs from what the resource shows ({@link StatusWriter#BY_VALUE}): the
 * shown status is the API server's JSON read into maps (Fabric8's GenericKubernetesResource), the rendered one a tree
 * with longs.
 */
class StatusComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"observedGeneration\":3,\"summary\":{\"healthy\":\"1/1\"}} | true",
            "{\"observedGeneration\":3.0,\"summary\":{\"healthy\":\"1/1\"}} | true",
            "{\"summary\":{\"healthy\":\"1/1\"},\"observedGeneration\":3} | true",
            "{\"observedGeneration\":4,\"summary\":{\"healthy\":\"1/1\"}} | false",
            "{\"observedGeneration\":3,\"summary\":{\"healthy\":\"0/1\"}} | false",
            "{\"observedGeneration\":\"3\",\"summary\":{\"healthy\":\"1/1\"}} | false",
            "{\"observedGeneration\":3,\"summary\":{\"healthy\":\"1/1\"},\"extra\":[]} | false",
            "{\"observedGeneration\":3} | false"})
    @SuppressWarnings("unchecked")
    void aRenderedStatusEqualsTheShownOneWhenTheirContentIs(String shownJson, boolean same) throws Exception {
        ObjectNode rendered = JSON.createObjectNode();
        rendered.put("observedGeneration", 3L);
        rendered.putObject("summary").put("healthy", "1/1");
        // As the resource's status reaches the writer: the server's JSON as maps, then a tree.
        JsonNode shown = JSON.valueToTree(JSON.readValue(shownJson, Map.class));

        assertThat(rendered.equals(StatusWriter.BY_VALUE, shown)).isEqualTo(same);
    }
}
