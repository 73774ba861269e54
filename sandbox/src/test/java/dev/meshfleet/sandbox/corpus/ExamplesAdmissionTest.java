package dev.meshfleet.sandbox.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.testkit.MockApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in examples/ passes the API server's admission with our CRDs installed, and is
 * stored as written: nothing in it is pruned (a field the schema does not know would be dropped
 * silently by a real cluster, so an example must not have one).
 */
class ExamplesAdmissionTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = RefusedAtApplyCorpusTest.startWithCrds();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Path> examples() throws IOException {
        return CorpusFiles.yamlFiles(EXAMPLES).stream();
    }

    @Test
    void thereAreExamplesOfBothKinds() throws IOException {
        List<String> names = examples().map(p -> p.getFileName().toString()).toList();
        assertThat(names).anyMatch(n -> n.startsWith("ilm-")).anyMatch(n -> n.startsWith("glm-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleIsAdmittedAndStoredWithNothingPruned(Path example) throws IOException {
        String namespace = example.getFileName().toString().replace(".yaml", "");
        List<ObjectNode> docs = RefusedAtApplyCorpusTest.documents(Files.readString(example), namespace);
        assertThat(docs).as("documents of %s", example).isNotEmpty();
        for (ObjectNode doc : docs) {
            RefusedAtApplyCorpusTest.Answer answer = RefusedAtApplyCorpusTest.create(server, doc);

            assertThat(answer.code()).as("%s: %s", example, answer.body()).isEqualTo(201);
            assertThat(answer.body().path("spec")).as("%s: the stored spec", example).isEqualTo(doc.path("spec"));
        }
    }
}
