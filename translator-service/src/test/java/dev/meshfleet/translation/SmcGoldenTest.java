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
 * ServiceMeshController golden files (STYLE.md 9): src/test/resources/golden-smc/<rule>/input.yaml and the plan
 * it must produce. Run with -Dmeshfleet.golden.update=true to rewrite expected.yaml, then review the diff. Kept
 * apart from the ILM/GLM goldens, whose field-table checks read IstioOperator specs.
 */
class SmcGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden-smc");

    static List<Path> cases() {
        return Golden.dirs(DIR);
    }

    static List<SmcTranslation> translate(Path input) throws IOException {
        SmcTranslator translator = new SmcTranslator(Golden.SETTINGS);
        List<SmcTranslation> out = new ArrayList<>();
        try (var reader = Files.newBufferedReader(input)) {
            Manifests.Read read = Manifests.readAll(reader, input.toString());
            assertThat(read.resources()).extracting(r -> r.owner().kind()).as("only ServiceMeshControllers in %s", input)
                    .containsOnly(dev.meshfleet.schemas.v1.ResourceKind.ServiceMeshController);
            assertThat(read.unreadable()).as("unreadable documents of %s", input).isEmpty();
            for (Manifests.Resource c : read.resources()) {
                out.add(translator.translate(c.owner().namespace(), c.owner().name(), c.generation(), c.spec(),
                        read.extensionsOf(c.owner().namespace())));
            }
        }
        return out;
    }

    static String render(List<SmcTranslation> translations) {
        return Golden.documents(translations.stream().map(PlanDocument::tree).toList());
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenServiceMeshControllerTranslatesToItsExpectedPlan() {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String actual = render(translate(dir.resolve("input.yaml")));
            Golden.matches(dir.resolve("expected.yaml"), actual);
        }));
    }

    @Test
    void thereAreGoldenCasesForBothModesEveryProfileFipsAndRefusals() {
        assertThat(cases()).extracting(p -> p.getFileName().toString()).contains("smc-ambient-seed",
                "smc-sidecar-auto-capture", "smc-sidecar-init-container", "smc-scaling-large", "smc-scaling-demo",
                "smc-fips-private-images", "smc-refused", "smc-extensions-config", "smc-extensions-refused");
    }

    @Test
    void everyValueTheTranslatorSetsIsAnUpstreamChartValue() throws IOException {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path dir : cases()) {
            for (SmcTranslation t : translate(dir.resolve("input.yaml"))) {
                if (t.plan() == null) {
                    continue;
                }
                checked += OnlyRealValuesTest.unknownValues(dir.getFileName().toString(), t.plan().charts(), unknown);
            }
        }
        assertThat(checked).as("values checked").isGreaterThan(100);
        assertThat(unknown).as("values no upstream chart has").isEmpty();
    }

    @Test
    void translatingTheSameSpecTwiceGivesByteIdenticalValues() throws IOException {
        for (Path dir : cases()) {
            assertThat(render(translate(dir.resolve("input.yaml")))).isEqualTo(render(translate(dir.resolve("input.yaml"))));
        }
    }
}
