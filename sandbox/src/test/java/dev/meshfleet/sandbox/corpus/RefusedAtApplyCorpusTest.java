package dev.meshfleet.sandbox.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshfleet.schemas.crd.Crds;
import dev.meshfleet.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The specs a real API server refuses at apply (issue 8, item 9): src/test/resources/refused-specs/<case>.yaml,
 * each a header ({@code # field: the Kubernetes field path}, {@code # message: substring}) and ILM/GLM
 * documents, applied to the mock API server with our CRDs installed (it validates custom resources
 * against their structural schema, as Kubernetes does). The last document must be refused with 422
 * Invalid, the message naming the field as kubectl shows it, and nothing stored. The specs the API
 * server lets through and the translator reports in status are {@link BadSpecCorpusTest}'s.
 */
class RefusedAtApplyCorpusTest {
    static final Path DIR = Path.of("src/test/resources/refused-specs");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static MockApiServer server;

    /** {@code error}: the whole error after the field (header {@code # error:}), for errors other than Invalid value. */
    record Case(String name, String field, String message, String error, String yaml) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Answer(int code, JsonNode body) {
    }

    @BeforeAll
    static void start() {
        server = startWithCrds();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A mock API server with the CRDs of the schemas module installed (ILM, GLM, ServiceMeshController). */
    static MockApiServer startWithCrds() {
        MockApiServer s = MockApiServer.start();
        for (String crd : Crds.CRD_RESOURCES) {
            try (InputStream in = RefusedAtApplyCorpusTest.class.getClassLoader().getResourceAsStream(crd)) {
                CustomResourceDefinition loaded = s.client().apiextensions().v1().customResourceDefinitions().load(in).item();
                s.client().apiextensions().v1().customResourceDefinitions().resource(loaded).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    static Stream<Case> cases() throws IOException {
        return CorpusFiles.yamlFiles(DIR).stream().map(RefusedAtApplyCorpusTest::read);
    }

    static Case read(Path file) {
        try {
            String yaml = Files.readString(file);
            Map<String, String> header = CorpusFiles.header(yaml);
            String name = file.getFileName().toString().replace(".yaml", "");
            return new Case(name, header.get("field"), header.get("message"), header.get("error"), yaml);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + ": not a corpus case (" + e + ")", e);
        }
    }

    /** The documents of a multi-document YAML, each in a namespace of its own named after the case. */
    static List<ObjectNode> documents(String yaml, String namespace) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc instanceof ObjectNode object) {
                    object.with("metadata").put("namespace", namespace);
                    docs.add(object);
                }
            }
        }
        return docs;
    }

    /** Creates an ILM or GLM over HTTP, as kubectl create would, and returns the API server's answer. */
    static Answer create(MockApiServer on, ObjectNode doc) {
        String plural = doc.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "s";
        String apiVersion = doc.path("apiVersion").asText();
        // The core group (a ConfigMap's "v1") is served under /api, every other group under /apis.
        String path = (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion + "/namespaces/"
                + doc.path("metadata").path("namespace").asText() + "/" + plural;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(on.url() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(doc.toString())).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCorpusCoversEveryKindWithTwentyCasesOrMore() throws IOException {
        List<Case> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).filteredOn(c -> c.name().startsWith("ilm-")).hasSizeGreaterThanOrEqualTo(18);
        assertThat(all).filteredOn(c -> c.name().startsWith("glm-")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(all).filteredOn(c -> c.name().startsWith("smc-")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(all).allSatisfy(c -> assertThat(c.field()).as(c.name()).startsWith("spec."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachSpecIsRefusedAtApplyWith422NamingTheField(Case c) throws IOException {
        List<ObjectNode> docs = documents(c.yaml(), c.name());
        assertThat(docs).as("documents of %s", c.name()).isNotEmpty();
        for (ObjectNode earlier : docs.subList(0, docs.size() - 1)) {
            assertThat(create(server, earlier).code()).as("%s: an earlier document", c.name()).isEqualTo(201);
        }
        ObjectNode last = docs.get(docs.size() - 1);
        String name = last.path("metadata").path("name").asText();

        Answer answer = create(server, last);

        assertThat(answer.code()).as("%s: %s", c.name(), answer.body()).isEqualTo(422);
        assertThat(answer.body().path("reason").asText()).isEqualTo("Invalid");
        String apiVersion = last.path("apiVersion").asText();
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        assertThat(answer.body().path("message").asText()).as(c.name())
                .startsWith(last.path("kind").asText() + "." + group + " \"" + name + "\" is invalid: ");
        if (c.error() != null) {
            assertThat(answer.body().path("message").asText()).as(c.name()).contains(c.field() + ": " + c.error());
        } else {
            assertThat(answer.body().path("message").asText()).as(c.name())
                    .contains(c.field() + ": Invalid value: ")
                    .contains(c.field() + " " + c.message());
        }
        List<String> fields = new ArrayList<>();
        answer.body().path("details").path("causes").forEach(cause -> fields.add(cause.path("field").asText()));
        assertThat(fields).as(c.name()).contains(c.field());
        String plural = last.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "s";
        assertThat(server.client().genericKubernetesResources(apiVersion, last.path("kind").asText())
                .inNamespace(c.name()).withName(name).get()).as("%s: nothing stored under %s", c.name(), plural).isNull();
    }
}
