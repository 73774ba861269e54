package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;

import dev.meshfleet.installer.model.ChartSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Chart sources other than the configured directory: a directory named by path or file:// URL,
 * and a Helm chart repository over HTTP (index.yaml plus an archive packaged here by helm-java),
 * served by the JDK's HTTP server.
 */
class ChartSourceTest {
    private static final Path CHARTS = Path.of("..", "charts").toAbsolutePath().normalize();
    private static final String ISTIOD_VALUES = "{\"global\":{\"hub\":\"docker.io/istio\",\"tag\":\"1.24.2\"},"
            + "\"revision\":\"1-24\"}";

    @TempDir
    static Path repoDir;
    private static HttpServer server;
    private static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeAll
    static void serveARepository() throws IOException {
        new Helm(CHARTS.resolve("istiod")).packageIt().withDestination(repoDir).call();
        assertThat(repoDir.resolve("istiod-1.24.0.tgz")).exists();
        Files.writeString(repoDir.resolve("index.yaml"), """
                apiVersion: v1
                entries:
                  istiod:
                    - name: istiod
                      version: 1.24.0
                      urls:
                        - charts/istiod-1.24.0.tgz
                """, StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/repo/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Path file = path.equals("/repo/index.yaml") ? repoDir.resolve("index.yaml")
                    : path.equals("/repo/charts/istiod-1.24.0.tgz") ? repoDir.resolve("istiod-1.24.0.tgz") : null;
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String repoUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo";
    }

    @Test
    void anAbsoluteDirectoryAndAFileUrlAreDirectoriesHoldingTheChartsByName() {
        ChartRenderer renderer = new ChartRenderer(Path.of("/nonexistent"));
        assertThat(istiod(renderer.render(spec(CHARTS.toString(), null))).getMetadata().getName())
                .isEqualTo("istiod-1-24");
        assertThat(istiod(renderer.render(spec(CHARTS.toUri().toString(), null))).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("docker.io/istio/pilot:1.24.2");
    }

    @Test
    void noSourceMeansTheConfiguredChartDirectory() {
        ChartRenderer renderer = new ChartRenderer(CHARTS);
        assertThat(istiod(renderer.render(spec(null, null))).getMetadata().getName()).isEqualTo("istiod-1-24");
        assertThat(istiod(renderer.render(spec("", null))).getMetadata().getName()).isEqualTo("istiod-1-24");
    }

    @Test
    void aHelmRepositoryOverHttpIsReadThroughItsIndexAndTheArchiveIsPulledOncePerChartAndVersion() {
        ChartRenderer renderer = new ChartRenderer(Path.of("/nonexistent"));
        int before = requests.getOrDefault("/repo/charts/istiod-1.24.0.tgz", new AtomicInteger()).get();

        Deployment first = istiod(renderer.render(spec(repoUrl(), "1.24.0")));
        // Other values: rendered again, from the archive already pulled.
        Deployment second = istiod(renderer.render(new ChartSpec("istiod", "istiod-1-25", "istio-system",
                "{\"revision\":\"1-25\"}", repoUrl(), "1.24.0")));

        assertThat(first.getMetadata().getName()).isEqualTo("istiod-1-24");
        assertThat(second.getMetadata().getName()).isEqualTo("istiod-1-25");
        assertThat(requests.get("/repo/charts/istiod-1.24.0.tgz").get() - before).isEqualTo(1);
    }

    @Test
    void aVersionTheRepositoryDoesNotHaveFailsNamingTheFieldTheSourceAndTheVersion() {
        ChartRenderer renderer = new ChartRenderer(Path.of("/nonexistent"));
        assertThatThrownBy(() -> renderer.render(spec(repoUrl(), "9.9.9")))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("spec.helmGlobal.repo").hasMessageContaining(repoUrl())
                .hasMessageContaining("no version '9.9.9' of chart 'istiod'");
    }

    @Test
    void anUnreachableOrUnknownSourceFailsNamingTheFieldAndTheSource() {
        ChartRenderer renderer = new ChartRenderer(CHARTS);
        assertThatThrownBy(() -> renderer.render(spec("http://127.0.0.1:1/charts", "1.24.0")))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("chart source 'http://127.0.0.1:1/charts' (spec.helmGlobal.repo")
                .hasMessageContaining("cannot be read")
                .hasMessageContaining("index.yaml");
        assertThatThrownBy(() -> renderer.render(spec("charts-in-the-cloud", null)))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("'charts-in-the-cloud' (spec.helmGlobal.repo");
        assertThatThrownBy(() -> renderer.render(spec("/nonexistent/charts", null)))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("'/nonexistent/charts' (spec.helmGlobal.repo")
                .hasMessageContaining("chart 'istiod' not found");
    }

    private static ChartSpec spec(String source, String version) {
        return new ChartSpec("istiod", "istiod-1-24", "istio-system", ISTIOD_VALUES, source, version);
    }

    private static Deployment istiod(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow();
    }
}
