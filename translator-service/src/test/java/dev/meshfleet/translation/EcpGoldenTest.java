package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.translator.plan.Manifests;
import dev.meshfleet.translator.plan.PlanDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ExternalControlPlane golden files (STYLE.md 9): src/test/resources/golden-ecp/<rule>/input.yaml and the plans it
 * must produce, with the external istiod HEALTHY ({@link EcpFacts#SETTLED}) unless the case's name ends with
 * {@code -before-istiod-healthy}; {@code example-<name>} reads ../examples/<name>.yaml. Run with -Dmeshfleet.golden.update=true to rewrite expected.yaml, then review the
 * diff against seed 004's values.
 */
class EcpGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden-ecp");

    static List<Path> cases() {
        return Golden.dirs(DIR);
    }

    static EcpFacts facts(Path dir) {
        return dir.getFileName().toString().endsWith("-before-istiod-healthy") ? EcpFacts.NONE : EcpFacts.SETTLED;
    }

    /** The case's input: its input.yaml, or for {@code example-<name>} the example ../examples/<name>.yaml. */
    static Path input(Path dir) {
        String name = dir.getFileName().toString();
        return name.startsWith("example-") ? Golden.EXAMPLES.resolve(name.substring(8) + ".yaml") : dir.resolve("input.yaml");
    }

    static List<EcpTranslation> translate(Path dir) throws IOException {
        Path input = input(dir);
        EcpTranslator translator = new EcpTranslator(Golden.SETTINGS);
        List<EcpTranslation> out = new ArrayList<>();
        try (var reader = Files.newBufferedReader(input)) {
            Manifests.Read read = Manifests.readAll(reader, input.toString());
            assertThat(read.resources()).as("only ExternalControlPlanes in %s", input).isEmpty();
            assertThat(read.unreadable()).as("unreadable documents of %s", input).isEmpty();
            for (Manifests.Controller c : read.externalControlPlanes()) {
                out.add(translator.translate(c.namespace(), c.name(), c.generation(), c.spec(), facts(dir)));
            }
        }
        assertThat(out).as("ExternalControlPlanes in %s", input).isNotEmpty();
        return out;
    }

    static String render(List<EcpTranslation> translations) {
        return Golden.documents(translations.stream().map(PlanDocument::tree).toList());
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenExternalControlPlaneTranslatesToItsExpectedPlans() {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String actual = render(translate(dir));
            Golden.matches(dir.resolve("expected.yaml"), actual);
        }));
    }

    @Test
    void thereAreGoldenCasesForTheGuideItsFirstPlansOperatorTuningAndRefusals() {
        assertThat(cases()).extracting(p -> p.getFileName().toString()).contains("ecp-guide",
                "ecp-guide-before-istiod-healthy", "ecp-operator-tuning", "ecp-config-cluster-second", "ecp-refused");
    }

    @Test
    void everyValueTheTranslatorSetsIsAnUpstreamChartValue() throws IOException {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path dir : cases()) {
            for (EcpTranslation t : translate(dir)) {
                for (List<Plan> plans : t.plansByCluster().values()) {
                    checked += OnlyRealValuesTest.unknownValues(dir.getFileName().toString(), plans.get(0).charts(), unknown);
                }
            }
        }
        assertThat(checked).as("values checked").isGreaterThan(100);
        assertThat(unknown).as("values no upstream chart has").isEmpty();
    }

    @Test
    void translatingTheSameSpecTwiceGivesByteIdenticalValues() throws IOException {
        for (Path dir : cases()) {
            assertThat(render(translate(dir))).isEqualTo(render(translate(dir)));
        }
    }
}
