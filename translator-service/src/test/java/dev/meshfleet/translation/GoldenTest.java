package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files (STYLE.md 9): each rule's input and the per-cluster plans it must produce, reviewed
 * as YAML. Run with -Dmeshfleet.golden.update=true to rewrite expected.yaml, then review the diff.
 */
class GoldenTest {

    @TestFactory
    Stream<DynamicTest> everyGoldenInputTranslatesToItsExpectedPlans() {
        return Golden.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String actual = Golden.render(Golden.translate(c.input()));
            if (Golden.UPDATE) {
                Files.writeString(c.expected(), actual);
            }
            assertThat(c.expected()).as("expected file of %s (regenerate with -Dmeshfleet.golden.update=true)", c.name())
                    .exists();
            assertThat(actual).as("plans of %s", c.name()).isEqualTo(Files.readString(c.expected()));
        }));
    }

    @Test
    void thereIsAGoldenCaseForEveryExample() throws Exception {
        try (var files = Files.list(Golden.EXAMPLES)) {
            var examples = files.filter(p -> p.toString().endsWith(".yaml")).map(p -> p.getFileName().toString()).toList();
            assertThat(examples).isNotEmpty();
            for (String e : examples) {
                String dir = "example-" + e.replace(".yaml", "");
                // An ExternalControlPlane's golden case is with the others of its kind (EcpGoldenTest).
                assertThat(Files.isDirectory(Golden.DIR.resolve(dir)) || Files.isDirectory(EcpGoldenTest.DIR.resolve(dir)))
                        .as("golden dir for " + e).isTrue();
            }
        }
    }

    @Test
    void translatingTheSameSpecTwiceGivesByteIdenticalValues() throws Exception {
        for (Golden.Case c : Golden.cases()) {
            assertThat(Golden.render(Golden.translate(c.input()))).isEqualTo(Golden.render(Golden.translate(c.input())));
        }
    }
}
