package dev.meshfleet.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in charts accept what a ServiceMeshController translates to: every release of every SMC golden case
 * renders through helm-java (as the installer renders it), and the scaling profile reaches istiod's Deployment and
 * HorizontalPodAutoscaler with the seed's numbers.
 */
class SmcChartRenderTest {
    @TempDir
    static Path tmp;

    static List<JsonNode> renderAll(String goldenCase) throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        for (SmcTranslation t : SmcGoldenTest.translate(SmcGoldenTest.DIR.resolve(goldenCase).resolve("input.yaml"))) {
            for (ChartRelease r : t.plan().charts()) {
                objects.addAll(ChartRenderTest.render(r, tmp));
            }
        }
        return objects;
    }

    @TestFactory
    Stream<DynamicTest> everyReleaseOfEverySmcGoldenCaseRenders() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : SmcGoldenTest.cases()) {
            for (SmcTranslation t : SmcGoldenTest.translate(dir.resolve("input.yaml"))) {
                if (t.plan() == null) {
                    continue;
                }
                for (ChartRelease r : t.plan().charts()) {
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + r.releaseName(),
                            () -> assertThat(ChartRenderTest.render(r, tmp)).isNotEmpty()));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(20);
        return tests.stream();
    }

    @Test
    void theLargeProfileRendersFourCpusFourGibiAndAnAutoscalerFromFourToFiftyAtSeventyFive() throws Exception {
        List<JsonNode> objects = renderAll("smc-scaling-large");
        JsonNode istiod = ChartRenderTest.find(objects, "Deployment", "istiod");
        JsonNode resources = istiod.path("spec").path("template").path("spec").path("containers").get(0).path("resources");
        assertThat(resources.path("requests").path("cpu").asText()).isEqualTo("4000m");
        assertThat(resources.path("requests").path("memory").asText()).isEqualTo("4Gi");
        assertThat(resources.path("limits").path("cpu").asText()).isEqualTo("4000m");
        assertThat(resources.path("limits").path("memory").asText()).isEqualTo("4Gi");
        JsonNode hpa = ChartRenderTest.find(objects, "HorizontalPodAutoscaler", "istiod");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(4);
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(50);
        assertThat(hpa.path("spec").path("metrics").get(0).path("resource").path("target").path("averageUtilization")
                .asInt()).isEqualTo(75);
    }

    @Test
    void theDemoProfileRendersNoAutoscaler() throws Exception {
        List<JsonNode> objects = renderAll("smc-scaling-demo");
        assertThat(objects).extracting(o -> o.path("kind").asText()).contains("Deployment")
                .doesNotContain("HorizontalPodAutoscaler");
    }
}
