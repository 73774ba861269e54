package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshfleet.installer.model.ChartSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 004's external-istiod overlays on the istiod Deployment the stand-in chart renders, as the installer applies. */
class OverlaysGoldenTest {
    private static final Path CHARTS = Path.of("..", "charts");
    private static final Path DIR = Path.of("src", "test", "resources", "overlays", "external-istiod");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String VALUES = "{\"global\":{\"hub\":\"docker.io/istio\",\"tag\":\"1.24.2\"},\"revision\":\"\"}";

    private final ChartRenderer renderer = new ChartRenderer(CHARTS);

    @Test
    void seed004sOverlaysMountTheConfigClustersConfigMapsIntoIstiod() throws Exception {
        String overlays = Files.readString(DIR.resolve("overlays.json"));

        List<HasMetadata> objects = renderer.render(new ChartSpec("istiod", "istiod", "external-istiod", VALUES, null,
                null, overlays), "cluster1");

        Deployment istiod = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        JsonNode pod = YAML.valueToTree(istiod.getSpec().getTemplate().getSpec());
        JsonNode expected = YAML.readTree(DIR.resolve("expected.yaml").toFile());
        assertThat(pod.get("volumes")).isEqualTo(expected.get("volumes"));
        assertThat(pod.at("/containers/0/volumeMounts")).isEqualTo(expected.get("volumeMounts"));
    }

    @Test
    void theSameReleaseWithoutOverlaysIsRenderedAsTheChartHasIt() {
        String overlays = "[{\"kind\":\"Deployment\",\"name\":\"istiod\",\"patches\":[{\"path\":\"spec.replicas\","
                + "\"value\":4}]}]";

        Deployment overlaid = deployment(renderer.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null,
                null, overlays)));
        Deployment plain = deployment(renderer.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES)));

        assertThat(overlaid.getSpec().getReplicas()).isEqualTo(4);
        assertThat(plain.getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void anOverlayThatMatchesNothingFailsTheRenderNamingIt() {
        String overlays = "[{\"field\":\"spec.installations[0].istioOperatorSpec.components.pilot.k8s.overlays[0]\","
                + "\"kind\":\"Deployment\",\"name\":\"istiod\",\"patches\":[{\"path\":"
                + "\"spec.template.spec.containers[name:sidecar].image\",\"value\":\"x\"}]}]";

        assertThatThrownBy(() -> renderer.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null, null,
                overlays), "cluster1"))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("release istiod: spec.installations[0].istioOperatorSpec.components.pilot.k8s"
                        + ".overlays[0].patches[0]")
                .hasMessageContaining("[name:sidecar]");
    }

    @Test
    void anEnvEntryWithValueFromReplacesTheChartsEntryOfThatNameBeforeTheOverlaysApply() {
        // What the translator writes for k8s.env (a strategic merge on container discovery), then a user overlay.
        String overlays = "[{\"field\":\"spec.installations[0].istioOperatorSpec.components.pilot.k8s.env\","
                + "\"kind\":\"Deployment\",\"name\":\"istiod\",\"strategicMerge\":{\"spec\":{\"template\":{\"spec\":"
                + "{\"containers\":[{\"name\":\"discovery\",\"env\":[{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":"
                + "{\"fieldPath\":\"spec.nodeName\"}}},{\"name\":\"EXTRA\",\"value\":\"1\"}]}]}}}}},"
                + "{\"kind\":\"Deployment\",\"name\":\"istiod\",\"patches\":[{\"path\":"
                + "\"spec.template.spec.containers[name:discovery].env[name:EXTRA].value\",\"value\":\"2\"}]}]";

        Deployment istiod = deployment(renderer.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null,
                null, overlays)));

        var env = istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env.stream().filter(e -> e.getName().equals("POD_NAME")).toList()).singleElement().satisfies(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            assertThat(e.getValueFrom().getFieldRef().getApiVersion()).as("the chart's own field kept, as a merge does")
                    .isEqualTo("v1");
        });
        assertThat(env.get(env.size() - 1).getName()).isEqualTo("EXTRA");
        assertThat(env.get(env.size() - 1).getValue()).as("the overlay applied after the k8s patch").isEqualTo("2");
    }

    @Test
    void aReleaseWithOverlaysIsPatchedOnceAndItsObjectsSharedByEveryLaterApply() {
        ChartRenderer fresh = new ChartRenderer(CHARTS);
        ChartSpec release = new ChartSpec("istiod", "istiod", "istio-system", VALUES, null, null, extraEnv("1"));

        List<HasMetadata> first = fresh.render(release);
        List<HasMetadata> again = fresh.render(release);

        assertThat(again).as("patched once, not at every apply").isSameAs(first);
        assertThat(fresh.misses()).isEqualTo(1);
        assertThat(fresh.hits()).isEqualTo(1);
    }

    @Test
    void releasesThatDifferOnlyByTheirOverlaysGetEachTheirOwnObjects() {
        ChartRenderer fresh = new ChartRenderer(CHARTS);
        Deployment one = deployment(fresh.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null, null,
                extraEnv("1"))));
        Deployment two = deployment(fresh.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null, null,
                extraEnv("2"))));

        assertThat(extra(one)).isEqualTo("1");
        assertThat(extra(two)).isEqualTo("2");
    }

    private static String extraEnv(String value) {
        return "[{\"field\":\"spec.installations[0].istioOperatorSpec.components.pilot.k8s.env\","
                + "\"kind\":\"Deployment\",\"name\":\"istiod\",\"strategicMerge\":{\"spec\":{\"template\":{\"spec\":"
                + "{\"containers\":[{\"name\":\"discovery\",\"env\":[{\"name\":\"EXTRA\",\"value\":\"" + value
                + "\"}]}]}}}}}]";
    }

    private static String extra(Deployment istiod) {
        return istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("EXTRA")).findFirst().orElseThrow().getValue();
    }

    @Test
    void aK8sPatchNamingNoRenderedObjectFailsTheRenderNamingTheField() {
        String overlays = "[{\"field\":\"spec.installations[0].istioOperatorSpec.components.pilot.k8s.readinessProbe\","
                + "\"kind\":\"Deployment\",\"name\":\"istiod-1-24\",\"strategicMerge\":{\"spec\":{}}}]";

        assertThatThrownBy(() -> renderer.render(new ChartSpec("istiod", "istiod", "istio-system", VALUES, null, null,
                overlays), "cluster1"))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("components.pilot.k8s.readinessProbe names Deployment istiod-1-24");
    }

    private static Deployment deployment(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow();
    }
}
