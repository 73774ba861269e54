package dev.meshfleet.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;

import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.schemas.charts.ChartSourceAllowList;
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
    private static final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private static final String PASSWORD = "pa55-w0rd-never-shown";
    private static final String BASIC = "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("bob:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @BeforeAll
    static void serveARepository() throws Exception {
        new Helm(CHARTS.resolve("istiod")).packageIt().withDestination(repoDir).call();
        assertThat(repoDir.resolve("istiod-1.24.0.tgz")).exists();
        String digest = sha256(repoDir.resolve("istiod-1.24.0.tgz"));
        // Versions out of order, the highest in the middle; only 1.24.0 has an archive. Each index is served
        // by its path: /repo (good digest), /tampered (the index's digest is not the archive's), /private
        // (basic auth), whose index places the archive on another origin (localhost instead of 127.0.0.1).
        String entries = """
                apiVersion: v1
                entries:
                  istiod:
                    - name: istiod
                      version: 1.9.0
                      digest: "%1$s"
                      urls:
                        - charts/istiod-1.9.0.tgz
                    - name: istiod
                      version: 1.24.0
                      digest: "%2$s"
                      urls:
                        - %3$s
                    - name: istiod
                      version: 1.10.0
                      digest: "%1$s"
                      urls:
                        - charts/istiod-1.10.0.tgz
                """;
        Files.writeString(repoDir.resolve("index.yaml"), entries.formatted(digest, digest, "charts/istiod-1.24.0.tgz"));
        Files.writeString(repoDir.resolve("tampered.yaml"), entries.formatted(digest, "0".repeat(64),
                "charts/istiod-1.24.0.tgz"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Files.writeString(repoDir.resolve("private.yaml"), entries.formatted(digest, digest,
                "http://localhost:" + server.getAddress().getPort() + "/repo/charts/istiod-1.24.0.tgz"));
        for (String context : List.of("/repo/", "/tampered/", "/private/", "/other/")) {
            server.createContext(context, exchange -> {
                String path = exchange.getRequestURI().getPath();
                requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.put(path, auth == null ? "none" : auth);
                if (path.startsWith("/private/") && !BASIC.equals(auth)) {
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                    return;
                }
                Path file = switch (path) {
                    case "/repo/index.yaml" -> repoDir.resolve("index.yaml");
                    case "/tampered/index.yaml" -> repoDir.resolve("tampered.yaml");
                    case "/private/index.yaml" -> repoDir.resolve("private.yaml");
                    case "/repo/charts/istiod-1.24.0.tgz", "/tampered/charts/istiod-1.24.0.tgz" ->
                            repoDir.resolve("istiod-1.24.0.tgz");
                    default -> null;
                };
                if (file == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    byte[] body = Files.readAllBytes(file);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
        }
        server.start();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String repoUrl() {
        return base() + "/repo";
    }

    private static String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A renderer allowing the stand-in charts, this server's /repo, /tampered and /private, and a closed port. */
    private static ChartRenderer renderer(Path chartDir) {
        return renderer(chartDir, Optional.empty());
    }

    private static ChartRenderer renderer(Path chartDir, Optional<RepositoryCredentials> credentials) {
        return new ChartRenderer(chartDir, ChartRenderer.DEFAULT_MAX_ENTRIES, ChartSourceAllowList.of(
                ChartRenderer.ALLOWED_SETTING, List.of(CHARTS.toString(), "/nonexistent", repoUrl(), base() + "/tampered",
                        base() + "/private", "http://127.0.0.1:1/charts")), () -> credentials);
    }

    private static int requestCount() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Test
    void anAbsoluteDirectoryAndAFileUrlAreDirectoriesHoldingTheChartsByName() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        assertThat(istiod(renderer.render(spec(CHARTS.toString(), null))).getMetadata().getName())
                .isEqualTo("istiod-1-24");
        assertThat(istiod(renderer.render(spec(CHARTS.toUri().toString(), null))).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("docker.io/istio/pilot:1.24.2");
    }

    @Test
    void noSourceMeansTheConfiguredChartDirectory() {
        ChartRenderer renderer = renderer(CHARTS);
        assertThat(istiod(renderer.render(spec(null, null))).getMetadata().getName()).isEqualTo("istiod-1-24");
        assertThat(istiod(renderer.render(spec("", null))).getMetadata().getName()).isEqualTo("istiod-1-24");
    }

    @Test
    void aHelmRepositoryOverHttpIsReadThroughItsIndexAndTheArchiveIsPulledOncePerChartAndVersion() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
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
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        assertThatThrownBy(() -> renderer.render(spec(repoUrl(), "9.9.9")))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("spec.helmGlobal.repo").hasMessageContaining(repoUrl())
                .hasMessageContaining("no version '9.9.9' of chart 'istiod'");
    }

    @Test
    void anUnreachableOrUnknownSourceFailsNamingTheFieldAndTheSource() {
        ChartRenderer renderer = renderer(CHARTS);
        assertThatThrownBy(() -> renderer.render(spec("http://127.0.0.1:1/charts", "1.24.0")))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("chart source 'http://127.0.0.1:1/charts' (spec.helmGlobal.repo")
                .hasMessageContaining("cannot be read")
                .hasMessageContaining("index.yaml");
        assertThatThrownBy(() -> renderer.render(spec("charts-in-the-cloud", null)))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("spec.helmGlobal.repo").hasMessageContaining("'charts-in-the-cloud' is a relative path");
        assertThatThrownBy(() -> renderer.render(spec("/nonexistent/charts", null)))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("'/nonexistent/charts' (spec.helmGlobal.repo")
                .hasMessageContaining("chart 'istiod' not found");
    }

    @Test
    void withoutAVersionTheHighestInTheIndexIsPulledNotTheFirstListed() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        int before = requests.getOrDefault("/repo/charts/istiod-1.24.0.tgz", new AtomicInteger()).get();

        assertThat(istiod(renderer.render(spec(repoUrl(), null))).getMetadata().getName()).isEqualTo("istiod-1-24");

        assertThat(requests.get("/repo/charts/istiod-1.24.0.tgz").get() - before).isEqualTo(1);
        assertThat(requests).doesNotContainKeys("/repo/charts/istiod-1.9.0.tgz", "/repo/charts/istiod-1.10.0.tgz");
    }

    @Test
    void anArchiveWhoseDigestIsNotTheIndexsFailsNamingTheChartAndTheRepository() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        String tampered = base() + "/tampered";
        assertThatThrownBy(() -> renderer.render(spec(tampered, "1.24.0")))
                .isInstanceOf(ChartRenderer.RenderException.class)
                .hasMessageContaining("chart 'istiod' version 1.24.0 from repository " + tampered)
                .hasMessageContaining("but the repository's index.yaml gives " + "0".repeat(64));
    }

    @Test
    void aSourceOffTheAllowListFailsNamingTheFieldAndTheSettingAndNothingIsFetched() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        int before = requestCount();
        for (String source : List.of(base() + "/other", base() + "/repo-evil", base() + "/repo/../other",
                "http://localhost:" + server.getAddress().getPort() + "/repo", CHARTS.resolveSibling("deploy").toString())) {
            assertThatThrownBy(() -> renderer.render(spec(source, "1.24.0"))).as(source)
                    .isInstanceOf(ChartRenderer.RenderException.class)
                    .hasMessageContaining("spec.helmGlobal.repo")
                    .hasMessageContaining("is not on the allow-list meshfleet.installer.allowed-chart-sources")
                    .hasMessageContaining("nothing was fetched");
        }
        assertThat(requestCount()).as("requests to the repository server").isEqualTo(before);
    }

    @Test
    void byDefaultOnlyTheChartDirectoryIsAllowed() {
        ChartRenderer renderer = new ChartRenderer(CHARTS);
        int before = requestCount();
        assertThat(istiod(renderer.render(spec(CHARTS.toUri().toString(), null))).getMetadata().getName())
                .isEqualTo("istiod-1-24");
        assertThatThrownBy(() -> renderer.render(spec(repoUrl(), "1.24.0")))
                .hasMessageContaining("is not on the allow-list meshfleet.installer.allowed-chart-sources (allowed: "
                        + CHARTS + ")");
        assertThat(requestCount()).isEqualTo(before);
    }

    @Test
    void aUrlWithCredentialsIsRefusedBeforeAnyRequestWithoutRepeatingThem() {
        ChartRenderer renderer = renderer(Path.of("/nonexistent"));
        int before = requestCount();
        assertThatThrownBy(() -> renderer.render(spec("http://bob:" + PASSWORD + "@127.0.0.1:"
                + server.getAddress().getPort() + "/private", "1.24.0")))
                .hasMessageContaining("spec.helmGlobal.repo").hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining(PASSWORD);
        assertThat(requestCount()).isEqualTo(before);
    }

    @Test
    void repositoryCredentialsComeFromTheSecretAndGoOnlyToTheRepositorysHost() {
        RepositoryCredentials secret = RepositoryCredentials.fromSecret("meshfleet-system/chart-credentials", Map.of(
                "repository", base() + "/private", "username", "bob", "password", PASSWORD));
        ChartRenderer renderer = renderer(Path.of("/nonexistent"), Optional.of(secret));

        assertThat(istiod(renderer.render(spec(base() + "/private", "1.24.0"))).getMetadata().getName())
                .isEqualTo("istiod-1-24");

        assertThat(authorizations.get("/private/index.yaml")).isEqualTo(BASIC);
        // The index places the archive on another origin (localhost): it is fetched without the credentials.
        assertThat(authorizations.get("/repo/charts/istiod-1.24.0.tgz")).isEqualTo("none");
    }

    @Test
    void aFailingFetchWithCredentialsNamesNeitherThePasswordInItsMessageNorInTheLogs() {
        RepositoryCredentials wrong = RepositoryCredentials.fromSecret("meshfleet-system/chart-credentials", Map.of(
                "repository", base() + "/private", "username", "bob", "password", PASSWORD + "-old"));
        ChartRenderer renderer = renderer(Path.of("/nonexistent"), Optional.of(wrong));
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                        + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level level = root.getLevel();
        root.setLevel(java.util.logging.Level.ALL);
        root.addHandler(capture);
        try {
            assertThatThrownBy(() -> renderer.render(spec(base() + "/private", "1.24.0")))
                    .isInstanceOf(ChartRenderer.RenderException.class)
                    .hasMessageContaining("answered 401")
                    .hasMessageNotContaining(PASSWORD).hasMessageNotContaining(BASIC.substring(6, 20));
        } finally {
            root.removeHandler(capture);
            root.setLevel(level);
        }
        assertThat(authorizations.get("/private/index.yaml")).as("the wrong credentials were sent").isNotEqualTo("none");
        assertThat(logged).as("log records captured while fetching").isNotEmpty();
        assertThat(String.join("\n", logged)).doesNotContain(PASSWORD).doesNotContain(BASIC.substring(6));
    }

    private static ChartSpec spec(String source, String version) {
        return new ChartSpec("istiod", "istiod-1-24", "istio-system", ISTIOD_VALUES, source, version);
    }

    private static Deployment istiod(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow();
    }
}
