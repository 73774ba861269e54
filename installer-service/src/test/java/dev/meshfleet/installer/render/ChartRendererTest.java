package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.meshfleet.installer.Fixtures;
import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.model.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** Renders the project's stand-in charts (../charts) as the installer does. */
class ChartRendererTest {
    private static final Path CHARTS = Path.of("..", "charts");
    private final ChartRenderer renderer = new ChartRenderer(CHARTS);

    @Test
    void istiodRendersARevisionedDeploymentInTheReleaseNamespace() {
        List<HasMetadata> objects = renderer.render(new ChartSpec("istiod", "istiod-1-24", "istio-system",
                "{\"global\":{\"hub\":\"docker.io/istio\",\"tag\":\"1.24.2\"},\"revision\":\"1-24\"}"));
        Deployment istiod = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        assertThat(istiod.getMetadata().getName()).isEqualTo("istiod-1-24");
        assertThat(istiod.getMetadata().getNamespace()).isEqualTo("istio-system");
        assertThat(istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("docker.io/istio/pilot:1.24.2");
    }

    /**
     * A further remote cluster of an ExternalControlPlane before its external istiod is HEALTHY (ADR 0031): istiod's
     * remote profile with no webhook and no ConfigMap renders nothing at all, and helm-java answers that with no
     * output; that is an empty release, not an internal error.
     */
    @Test
    void aReleaseThatRendersNothingHasNoObjects() {
        assertThat(renderer.render(new ChartSpec("istiod", "istiod", "external-istiod", "{\"profile\":\"remote\","
                + "\"revision\":\"\",\"global\":{\"externalIstiod\":true,\"configCluster\":false,"
                + "\"operatorManageWebhooks\":true,\"omitSidecarInjectorConfigMap\":true},"
                + "\"istiodRemote\":{\"enabled\":true},\"pilot\":{\"configMap\":false}}"))).isEmpty();
    }

    @Test
    void baseRendersClusterScopedObjectsWithoutANamespace() {
        List<ObjectRef> refs = renderer.render(new ChartSpec("base", "base", "istio-system", "{}")).stream()
                .map(Manifests::ref).toList();
        assertThat(refs).filteredOn(r -> r.kind().equals("CustomResourceDefinition")).isNotEmpty()
                .allMatch(r -> r.namespace().isEmpty());
        assertThat(refs).filteredOn(r -> r.kind().equals("ServiceAccount")).allMatch(r -> r.namespace()
                .equals("istio-system"));
    }

    @Test
    void everyRenderedObjectGetsTheManagedByOwnerAndRevisionLabels() {
        List<HasMetadata> labelled = Manifests.label(renderer.render(new ChartSpec("istiod", "istiod-1-24",
                "istio-system", "{\"revision\":\"1-24\"}")), Map.of(Names.MANAGED_BY, Names.MANAGED_BY_VALUE,
                        Names.OWNER_LABEL, Names.ownerLabel(Fixtures.ILM), Names.REVISION_LABEL, "1-24"));
        assertThat(labelled).isNotEmpty().allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "meshfleet")
                .containsEntry("meshfleet.dev/owner", "ilm.gloo-mesh.istio")
                .containsEntry("meshfleet.dev/revision", "1-24")
                .containsEntry("istio.io/rev", "1-24"));
    }

    @Test
    void warmUpRendersEveryChartWithItsDefaultsSkipsOneThatCannotAndKeepsNothing(@TempDir Path dir) throws Exception {
        for (String chart : List.of("base", "gateway")) {
            copyTree(CHARTS.resolve(chart), dir.resolve(chart));
        }
        Files.createDirectories(dir.resolve("broken/templates"));
        Files.writeString(dir.resolve("broken/Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
        Files.writeString(dir.resolve("broken/templates/cm.yaml"), "{{ required \"a value\" .Values.missing }}\n");
        Files.createDirectories(dir.resolve("not-a-chart"));
        ChartRenderer fresh = new ChartRenderer(dir);

        assertThat(fresh.warmUp()).containsExactly("base", "gateway");
        assertThat(fresh.size()).isZero();
        assertThat(fresh.misses()).isZero();
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void theSameReleaseAndValuesRenderOnceFromTheCache() {
        ChartSpec spec = new ChartSpec("istiod", "istiod", "istio-system", "{}");
        assertThat(renderer.render(spec)).isSameAs(renderer.render(spec));
    }

    @Test
    void aHundredClustersSharingValuesRenderEachReleaseOnceEvenWhenTheyAskAtOnce() throws Exception {
        ChartRenderer fresh = new ChartRenderer(CHARTS);
        List<ChartSpec> releases = List.of(new ChartSpec("base", "base", "istio-system", "{}"),
                new ChartSpec("istiod", "istiod-1-24", "istio-system", "{\"revision\":\"1-24\"}"));
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int cluster = 0; cluster < 100; cluster++) {
                for (ChartSpec release : releases) {
                    done.add(workers.submit(() -> fresh.render(release)));
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(fresh.misses()).isEqualTo(2);
        assertThat(fresh.hits()).isEqualTo(198);
        assertThat(fresh.hitRate()).isEqualTo(0.99);
    }

    private static final ChartSpec A = new ChartSpec("base", "base", "istio-system", "{\"a\":1}");
    private static final ChartSpec B = new ChartSpec("base", "base", "istio-system", "{\"b\":1}");
    private static final ChartSpec C = new ChartSpec("base", "base", "istio-system", "{\"c\":1}");

    /**
     * Renders a, b, a, c into a cache with room for two of them, checks two are kept, then that b was the one put out
     * (the least recently used when c came).
     */
    private static void keepsTheTwoMostRecentlyUsed(ChartRenderer bounded) {
        bounded.render(A);
        bounded.render(B);
        bounded.render(A);
        bounded.render(C);
        assertThat(bounded.size()).isEqualTo(2);
        assertThat(bounded.misses()).isEqualTo(3);
        bounded.render(A);
        assertThat(bounded.hits()).isEqualTo(2);
        bounded.render(B);
        assertThat(bounded.misses()).as("b was the least recently used when c came").isEqualTo(4);
    }

    @Test
    void theCacheKeepsAtMostItsBoundLeastRecentlyUsedOutFirst() {
        keepsTheTwoMostRecentlyUsed(new ChartRenderer(CHARTS, 2));
    }

    @Test
    void theCacheKeepsAtMostItsBoundOfObjectsInAllLeastRecentlyUsedOutFirst() {
        int k = new ChartRenderer(CHARTS).render(new ChartSpec("base", "base", "istio-system", "{}")).size();
        assertThat(k).as("the base chart renders several objects").isGreaterThan(1);
        // Room for two releases' objects, not three; entries are not what is short.
        ChartRenderer bounded = new ChartRenderer(CHARTS, 100, 2L * k + 1, ChartRenderer.onlyTheChartDir(CHARTS),
                java.util.Optional::empty);

        keepsTheTwoMostRecentlyUsed(bounded);
        assertThat(bounded.cachedObjects()).isEqualTo(2L * k);

        ChartRenderer tiny = new ChartRenderer(CHARTS, 100, 1, ChartRenderer.onlyTheChartDir(CHARTS),
                java.util.Optional::empty);
        tiny.render(A);
        tiny.render(B);
        assertThat(tiny.size()).as("the newest release stays, however large").isEqualTo(1);
        assertThat(tiny.cachedObjects()).isEqualTo(k);
        tiny.render(B);
        assertThat(tiny.hits()).isEqualTo(1);
    }

    @Test
    void aFailedRenderIsNotCachedAndNotCountedAsAHit() {
        ChartRenderer fresh = new ChartRenderer(CHARTS);
        ChartSpec missing = new ChartSpec("nope", "nope", "istio-system", "{}");
        assertThatThrownBy(() -> fresh.render(missing)).isInstanceOf(ChartRenderer.RenderException.class);
        assertThatThrownBy(() -> fresh.render(missing)).isInstanceOf(ChartRenderer.RenderException.class);
        assertThat(fresh.size()).isZero();
        assertThat(fresh.hits()).isZero();
        assertThat(fresh.misses()).isEqualTo(2);
    }

    @Test
    void aMissingChartIsARenderErrorNamingIt() {
        assertThatThrownBy(() -> renderer.render(new ChartSpec("nope", "nope", "istio-system", "{}")))
                .isInstanceOf(ChartRenderer.RenderException.class).hasMessageContaining("chart 'nope' not found");
    }

    @Test
    void multiDocumentYamlWithCommentOnlyDocumentsParsesToItsObjects() {
        List<HasMetadata> objects = Manifests.parse("""
                ---
                # Source: x/templates/empty.yaml
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: b
                """);
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "Widget");
    }
}
