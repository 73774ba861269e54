package dev.meshfleet.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.installer.model.LiveVersion;

/** {@link ApplyAnswer}: the five fields of an answer, wherever they stand in it, and nothing of the rest. */
class ApplyAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LiveVersion read(String json) throws IOException {
        return ApplyAnswer.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheMetadataAndDigestsTheStatusWhateverTheOrderOfTheFields() throws IOException {
        LiveVersion version = read("""
                {"status":{"replicas":2,"conditions":[{"type":"Available","status":"True"}]},
                 "spec":{"template":{"metadata":{"uid":"not-this-one","labels":{"x":"y"}}}},
                 "metadata":{"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}],"labels":{"b":"2","a":"1"},
                   "generation":4,"name":"istiod","uid":"u1","annotations":{"k":"v"},"resourceVersion":"77"},
                 "kind":"Deployment","apiVersion":"apps/v1"}
                """);

        assertThat(version.uid()).isEqualTo("u1");
        assertThat(version.resourceVersion()).isEqualTo("77");
        assertThat(version.generation()).isEqualTo(4);
        assertThat(version.metadataDigest()).isEqualTo(ClusterOps.metadataDigest(Map.of("a", "1", "b", "2"),
                Map.of("k", "v")));
        assertThat(version.statusDigest()).isEqualTo(ClusterOps.statusDigest(JSON.readTree(
                "{\"conditions\":[{\"status\":\"True\",\"type\":\"Available\"}],\"replicas\":2}")));
    }

    @Test
    void anObjectWithoutStatusOrGenerationHasAnEmptyStatusDigestAndGenerationZero() throws IOException {
        LiveVersion version = read("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
                + "\"uid\":\"u2\",\"resourceVersion\":\"3\"},\"data\":{\"status\":\"not a status\"}}");

        assertThat(version).isEqualTo(new LiveVersion("u2", "3", 0, ClusterOps.metadataDigest(null, null), ""));
    }

    @Test
    void anAnswerWithoutMetadataHasNoLiveVersion() throws IOException {
        assertThat(read("{\"kind\":\"Status\",\"status\":\"Success\"}")).isNull();
    }

    @Test
    void anAnswerThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> read("[1,2]")).isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
    }
}
