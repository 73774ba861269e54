package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meshfleet.installer.model.ChartSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Clusters whose values differ only by their own name share one helm render; what each gets is what a
 * render of its own values gives (checked against {@link ChartRenderer#render(ChartSpec)}, which never
 * shares). A chart that does not use the name verbatim is rendered per cluster.
 */
class SharedShapeRenderTest {
    private static final Path CHARTS = Path.of("src", "test", "resources", "shape-charts");

    private static ChartSpec release(String chart, String cluster) {
        return new ChartSpec(chart, "mesh", "istio-system", "{\"trustDomain\":\"" + cluster + "\"}");
    }

    private static ConfigMap configMap(List<HasMetadata> objects) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst().orElseThrow();
    }

    private static String json(List<HasMetadata> objects) {
        return Manifests.serialization().asJson(objects);
    }

    @Test
    void clustersOfOneShapeShareItsRenderAndGetTheirOwnNameBack() {
        ChartRenderer shared = new ChartRenderer(CHARTS);
        ChartRenderer direct = new ChartRenderer(CHARTS);

        for (String cluster : List.of("cluster1", "cluster2", "east-3")) {
            List<HasMetadata> objects = shared.render(release("verbatim", cluster), cluster);
            assertThat(json(objects)).isEqualTo(json(direct.render(release("verbatim", cluster))));
            ConfigMap cm = configMap(objects);
            assertThat(cm.getData()).containsEntry("cluster", cluster)
                    .containsEntry("mesh", "trustDomain: " + cluster);
        }
        // The first cluster checks the shape against its own render; the next two are made from the shape.
        assertThat(shared.fromShapes()).isEqualTo(2);
    }

    @Test
    void overlaysArePatchedOnTheSharedShapeAndEachClusterStillGetsWhatItsOwnRenderGives() {
        ChartRenderer shared = new ChartRenderer(CHARTS);
        ChartRenderer direct = new ChartRenderer(CHARTS);
        String overlays = "[{\"kind\":\"ConfigMap\",\"name\":\"mesh\",\"patches\":[{\"path\":\"data.extra\","
                + "\"value\":\"patched\"}]}]";

        for (String cluster : List.of("cluster1", "cluster2", "east-3")) {
            ChartSpec release = new ChartSpec("verbatim", "mesh", "istio-system", "{\"trustDomain\":\"" + cluster
                    + "\"}", null, null, overlays);
            List<HasMetadata> objects = shared.render(release, cluster);
            assertThat(json(objects)).isEqualTo(json(direct.render(release)));
            assertThat(configMap(objects).getData()).containsEntry("extra", "patched")
                    .containsEntry("cluster", cluster);
            // Every object of the chart, not only the first: the patched shape is several documents.
            assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                    .containsExactlyInAnyOrder("ConfigMap/mesh", "ServiceAccount/mesh-" + cluster);
        }
        assertThat(shared.fromShapes()).isEqualTo(2);
    }

    @Test
    void aLabelledRenderIsTheRenderWithTheLabelsAndChangesNoOtherRender() {
        ChartRenderer shared = new ChartRenderer(CHARTS);
        ChartRenderer direct = new ChartRenderer(CHARTS);
        Map<String, String> ours = Map.of("app.kubernetes.io/managed-by", "meshfleet", "meshfleet.dev/revision", "1-24");

        for (String cluster : List.of("cluster1", "cluster2", "east-3")) {
            List<HasMetadata> unlabelled = shared.render(release("verbatim", cluster), cluster);
            String before = json(unlabelled);
            List<HasMetadata> labelled = shared.render(release("verbatim", cluster), cluster, ours);

            assertThat(json(labelled)).isEqualTo(json(Manifests.label(direct.render(release("verbatim", cluster)),
                    ours)));
            assertThat(labelled).allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsAllEntriesOf(ours))
                    .hasSize(unlabelled.size()).isNotEmpty();
            assertThat(json(unlabelled)).as("the unlabelled render is left as it was").isEqualTo(before);
            assertThat(shared.render(release("verbatim", cluster), cluster, ours)).as("cached")
                    .isSameAs(labelled);
        }
        // A release that does not name the cluster: one render shared by every cluster, copied per label set.
        ChartSpec fleetWide = new ChartSpec("verbatim", "mesh", "istio-system", "{\"trustDomain\":\"fleet\"}");
        String shared0 = json(shared.render(fleetWide));
        assertThat(shared.render(fleetWide, "cluster1", ours))
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsAllEntriesOf(ours));
        assertThat(json(shared.render(fleetWide))).isEqualTo(shared0);
    }

    @Test
    void aClustersNewRenderOfAReleaseForAnOwnerSupersedesItsLastOneInTheCache() {
        ChartRenderer renderer = new ChartRenderer(CHARTS);
        Map<String, String> labels = Map.of("meshfleet.dev/owner", "smc.gloo-mesh.c");
        java.util.function.BiFunction<String, Integer, ChartSpec> version = (cluster, v) -> new ChartSpec("verbatim",
                "mesh", "istio-system", "{\"trustDomain\":\"" + cluster + "\",\"peers\":" + v + "}");

        renderer.render(version.apply("cluster1", 1), "cluster1", labels);
        renderer.render(version.apply("cluster1", 2), "cluster1", labels);
        assertThat(renderer.size()).as("cluster1's second version put its first out").isEqualTo(1);
        renderer.render(version.apply("cluster2", 2), "cluster2", labels);
        renderer.render(version.apply("cluster1", 2), "cluster1", Map.of("meshfleet.dev/owner", "other"));
        assertThat(renderer.size()).as("another cluster, another owner: entries of their own").isEqualTo(3);

        long misses = renderer.misses();
        renderer.render(version.apply("cluster1", 2), "cluster1", labels);
        assertThat(renderer.misses()).as("the latest version is still cached").isEqualTo(misses);
    }

    /**
     * A step's start: a replica's workers ask for the first clusters of a new shape at once. One renders the shape and
     * checks it against its own cluster's render; the others wait for it (they each did both: 17 helm renders of
     * istiod per replica at a 200-cluster step's start, session 27).
     */
    @Test
    void clustersOfANewShapeAskingAtOnceRenderItWithHelmOnceAndCheckItOnce() throws Exception {
        ChartRenderer renderer = new ChartRenderer(CHARTS);
        Map<String, String> labels = Map.of("meshfleet.dev/owner", "ilm.gloo-mesh.mesh");
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<List<HasMetadata>>> done = new java.util.ArrayList<>();
            for (int c = 1; c <= 100; c++) {
                String cluster = "cluster" + c;
                done.add(workers.submit(() -> {
                    go.await();
                    return renderer.render(release("verbatim", cluster), cluster, labels);
                }));
            }
            go.countDown();
            for (int c = 1; c <= 100; c++) {
                assertThat(configMap(done.get(c - 1).get(60, java.util.concurrent.TimeUnit.SECONDS)).getData())
                        .as("cluster%d's own objects", c).containsValue("cluster" + c);
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(renderer.helmRenders()).as("the shape once, the first cluster's own render once").isEqualTo(2);
        assertThat(renderer.fromShapes()).isEqualTo(99);
    }

    @Test
    void theSlotsOfClustersRendersLeaveWithTheirEntries() {
        ChartRenderer bounded = new ChartRenderer(CHARTS, 3, 65_536, ChartRenderer.onlyTheChartDir(CHARTS),
                java.util.Optional::empty);
        Map<String, String> labels = Map.of("meshfleet.dev/owner", "smc.gloo-mesh.c");
        for (int c = 1; c <= 10; c++) {
            String cluster = "cluster" + c;
            bounded.render(new ChartSpec("verbatim", "mesh", "istio-system", "{\"trustDomain\":\"" + cluster + "\"}"),
                    cluster, labels);
        }

        assertThat(bounded.size()).isEqualTo(3);
        assertThat(bounded.slots()).as("ten clusters rendered, three entries kept: three slots, not ten").isEqualTo(3);
    }

    @Test
    void aChartThatDoesNotUseTheNameVerbatimIsRenderedPerCluster() {
        ChartRenderer shared = new ChartRenderer(CHARTS);
        ChartRenderer direct = new ChartRenderer(CHARTS);

        for (String cluster : List.of("cluster1", "cluster2", "cluster3")) {
            assertThat(json(shared.render(release("hashed", cluster), cluster)))
                    .isEqualTo(json(direct.render(release("hashed", cluster))));
        }
        assertThat(shared.fromShapes()).isZero();
        assertThat(configMap(shared.render(release("hashed", "cluster1"), "cluster1")).getData().get("id"))
                .isNotEqualTo(configMap(shared.render(release("hashed", "cluster2"), "cluster2")).getData().get("id"));
    }
}
