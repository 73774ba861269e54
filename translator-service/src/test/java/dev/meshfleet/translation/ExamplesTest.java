package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every example in examples/ is a test (STYLE.md 10): it parses, validates with no error and translates. */
class ExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyExampleParsesValidatesAndTranslates() throws Exception {
        List<Path> examples;
        try (var files = Files.list(Golden.EXAMPLES)) {
            examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
        return examples.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            List<Translation> ts = Golden.translate(p);
            // One resource a file, but for the ServiceMeshControllers: the seed applies one per cluster.
            assertThat(ts).as("resources in %s", p).isNotEmpty();
            for (Translation t : ts) {
                assertThat(t.errors()).as("errors of %s", p).isEmpty();
                assertThat(t.plansByCluster()).as("clusters of %s", p).isNotEmpty();
                for (Plan plan : t.allPlans()) {
                    assertThat(plan.charts()).isNotEmpty();
                    assertThat(plan.planHash()).matches("[0-9a-f]{64}");
                    plan.charts().forEach(c -> assertThat(Canonical.parse(c.valuesJson()).isObject()).isTrue());
                }
            }
        }));
    }
}
