package dev.meshfleet.installer.render;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;

import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.schemas.charts.JvmSignals;
import dev.meshfleet.schemas.charts.ChartSourceAllowList;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Allowed;
import dev.meshfleet.schemas.charts.ChartSourceAllowList.Refused;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Renders a chart release with helm-java (Helm linked in through JNA: nothing to install) and
 * parses the result. Renders are cached by source, chart, version, release, namespace and values
 * hash: every resync renders the same plans again, the charts do not change while the process
 * runs, and the clusters of a fleet mostly share their values, so a release renders once for all
 * of them. Concurrent renders of one key wait for a single render. The cache holds at most
 * {@code maxEntries} releases and {@code maxObjects} rendered objects in all, least recently used out first: its
 * memory is bounded by the number of distinct releases and their size, not by the number of clusters. (The object
 * bound matters where releases are large and short-lived: a peered controller's peering release holds a remote peer
 * Gateway per peer and renders again at each peer that joins; at 100 peered clusters 2,048 such entries filled a
 * 256 MiB heap.) Hits and misses are counted (metrics) and each miss logs the hit rate so far.
 *
 * <p>Where a chart comes from ({@link ChartSpec#source()}): null or empty, the configured chart
 * directory; an absolute path or file:// URL, a directory holding the charts by name; http(s)://,
 * a Helm chart repository (its index.yaml names the archive of each chart version, downloaded once
 * per source, chart and version into a local cache); oci://, passed to Helm's own OCI support as
 * {@code <source>/<chart>} with the version.
 *
 * <p>Before anything is read, a source must lie within the allow-list (setting
 * {@value #ALLOWED_SETTING}; by default only the chart directory): a spec cannot make the installer fetch any
 * URL it likes, whatever the translator let through. What is fetched is the normalised source. An archive from a
 * Helm repository must have the SHA-256 digest its index gives. Repository credentials come from a Secret
 * ({@link RepositoryCredentials}) and go only to the repository's own host; no message names them.
 */
public class ChartRenderer {
    private static final Logger LOG = Logger.getLogger(ChartRenderer.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Distinct releases kept rendered when no bound is given. */
    public static final int DEFAULT_MAX_ENTRIES = 2048;
    /** Rendered objects kept in all when no bound is given (about 1 KiB of heap each). */
    public static final int DEFAULT_MAX_OBJECTS = 65_536;
    /** The installer's own allow-list of chart sources, as refusals name it. */
    public static final String ALLOWED_SETTING = "meshfleet.installer.allowed-chart-sources";
    private static final int MAX_REDIRECTS = 5;

    private final Path chartDir;
    private final int maxEntries;
    private final long maxObjects;
    private final Map<String, CompletableFuture<List<HasMetadata>>> cache;
    /**
     * The cache key a cluster's render of a release for an owner last had, by cluster, chart, release, namespace and
     * labels, and the other way round; guarded by {@code cache}. An entry leaving the cache takes its slot along, so
     * both are bounded by the cache (clusters that left the replica leave no slot behind).
     */
    private final Map<String, String> latestBySlot = new java.util.HashMap<>();
    private final Map<String, String> slotByKey = new java.util.HashMap<>();
    /** The objects of each completed entry of {@link #cache}, and their sum; guarded by {@code cache}. */
    private final Map<String, Integer> objectsByKey = new java.util.HashMap<>();
    private long cachedObjects;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder fromShapes = new LongAdder();
    /**
     * helm template's output per values shape (see {@link ClusterParameter}), as one compact JSON object per line
     * ({@link Manifests#jsonLines}), and whether the chart uses the name verbatim. JSON, not the chart's YAML: each
     * cluster's objects are parsed from it, and YAML's parser cost a 1,000-cluster rollout more than the rest of
     * the render.
     */
    private final Map<String, String> shapes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> shapeVerbatim = new ConcurrentHashMap<>();
    /** Per shape being rendered or checked now: who waits for it. Entries leave when done. */
    private final Map<String, Object> shapeLocks = new ConcurrentHashMap<>();
    private final LongAdder helmRenders = new LongAdder();
    /**
     * The characters {@link #shapes} holds in all (guarded by it), and their bound: the shapes of a peered mesh's
     * peering releases (one per plan version of each cluster, a Gateway per peer) outgrew a 256 MiB heap at 100
     * clusters when only their number was bounded. 16 Mi characters of JSON, at most about 16 MiB of heap.
     */
    private long shapeChars;
    static final long MAX_SHAPE_CHARS = 16L * 1024 * 1024;
    private final Map<String, Path> pulled = new ConcurrentHashMap<>();
    // Redirects are followed here, one hop at a time, so that credentials never follow one to another host.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ChartSourceAllowList allowed;
    private final Supplier<Optional<RepositoryCredentials>> credentials;
    private volatile Path pullDir;

    public ChartRenderer(Path chartDir) {
        this(chartDir, DEFAULT_MAX_ENTRIES);
    }

    /** @param maxEntries distinct releases kept rendered (least recently used out first) */
    public ChartRenderer(Path chartDir, int maxEntries) {
        this(chartDir, maxEntries, onlyTheChartDir(chartDir), Optional::empty);
    }

    /**
     * @param allowed the chart sources a release may name (an empty source, the chart directory, always may)
     * @param credentials the repository credentials, read when a repository is fetched (rarely: once per chart
     *        version), so that a rotated Secret is used without a restart
     */
    public ChartRenderer(Path chartDir, int maxEntries, ChartSourceAllowList allowed,
            Supplier<Optional<RepositoryCredentials>> credentials) {
        this(chartDir, maxEntries, DEFAULT_MAX_OBJECTS, allowed, credentials);
    }

    /** @param maxObjects rendered objects kept in all (least recently used releases out first) */
    public ChartRenderer(Path chartDir, int maxEntries, long maxObjects, ChartSourceAllowList allowed,
            Supplier<Optional<RepositoryCredentials>> credentials) {
        if (maxObjects < 1) {
            throw new IllegalArgumentException("render cache objects must be at least 1, got " + maxObjects);
        }
        this.maxObjects = maxObjects;
        this.allowed = allowed;
        this.credentials = credentials;
        if (maxEntries < 1) {
            throw new IllegalArgumentException("render cache size must be at least 1, got " + maxEntries);
        }
        this.chartDir = chartDir;
        this.maxEntries = maxEntries;
        JvmSignals.capture();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<HasMetadata>>> eldest) {
                if (size() > ChartRenderer.this.maxEntries) {
                    forget(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    /** The default allow-list: the chart directory only. */
    public static ChartSourceAllowList onlyTheChartDir(Path chartDir) {
        return ChartSourceAllowList.of(ALLOWED_SETTING, List.of(chartDir.toAbsolutePath().normalize().toString()));
    }

    /** The release's objects, with namespaced ones defaulted to the release namespace. */
    public List<HasMetadata> render(ChartSpec release) {
        return cached(key(release), () -> overlaid(release, helmRender(release)));
    }

    /**
     * The release's objects for one cluster. When its values name the cluster ({@link ClusterParameter}),
     * every cluster of the fleet shares one values shape: the shape is rendered by helm once, and each
     * cluster's objects are the shape's with its name put back. The first cluster of a shape is also
     * rendered directly and the two compared: a chart that does not use the name verbatim (hashes,
     * cases or cuts it) is rendered per cluster from then on.
     */
    public List<HasMetadata> render(ChartSpec release, String cluster) {
        Optional<ClusterParameter> parameter = ClusterParameter.of(release.valuesJson(), cluster);
        if (parameter.isEmpty()) {
            return render(release);
        }
        return cached(key(release), () -> fromShape(release, parameter.get()));
    }

    /**
     * {@link #render(ChartSpec, String)} with {@code labels} on every object (ours win over the chart's), cached as
     * such: the objects of a cluster's render are its own (parsed for it from the shape), so they are labelled where
     * they are, instead of copied (a serialization and a parse of every object of every install, about a tenth of a
     * replica's CPU in a 200-cluster rollout). Objects shared by every cluster (a release whose values do not name
     * it) are copied once per label set. Callers must not change what they get.
     */
    public List<HasMetadata> render(ChartSpec release, String cluster, Map<String, String> labels) {
        Optional<ClusterParameter> parameter = ClusterParameter.of(release.valuesJson(), cluster);
        String key = key(release) + "|labels " + new java.util.TreeMap<>(labels);
        if (parameter.isEmpty()) {
            return cached(key, () -> Manifests.label(render(release), labels));
        }
        // A cluster's own render supersedes its last one of the same release and owner: a plan that changes often
        // (a peered controller's peering release, at each peer that joins) keeps one entry, not one per version.
        String slot = cluster + "|" + release.chart() + "|" + release.releaseName() + "|" + release.namespace() + "|"
                + new java.util.TreeMap<>(labels);
        synchronized (cache) {
            String before = latestBySlot.put(slot, key);
            slotByKey.put(key, slot);
            if (before != null && !before.equals(key)) {
                slotByKey.remove(before);
                if (cache.remove(before) != null) {
                    forget(before);
                }
            }
        }
        return cached(key, () -> Manifests.labelInPlace(fromShape(release, parameter.get()), labels));
    }

    /**
     * The objects with the release's {@code k8s.overlays} (and the k8s fields istioctl patches) patched on, so the
     * apply and the drift repair apply the same objects. Done once per cache entry, not per apply: the patch converts
     * every object to a tree and back, which cost an ILM install more than the rest of its render when a spec sets
     * {@code k8s.env}. An overlay that cannot be applied fails the render (not cached).
     */
    private static List<HasMetadata> overlaid(ChartSpec release, List<HasMetadata> objects) {
        if (!hasOverlays(release)) {
            return objects;
        }
        try {
            List<ObjectNode> trees = new java.util.ArrayList<>();
            for (HasMetadata o : objects) {
                trees.add((ObjectNode) YAML.readTree(Manifests.serialization().asJson(o)));
            }
            List<HasMetadata> out = new java.util.ArrayList<>();
            for (ObjectNode tree : Overlays.apply(trees, release.overlaysJson())) {
                out.addAll(Manifests.parse(tree.toString()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new RenderException("release " + release.releaseName() + ": cannot read a rendered object: " + e, e);
        } catch (Overlays.OverlayException e) {
            throw new RenderException("release " + release.releaseName() + ": " + e.getMessage(), e);
        }
    }

    private List<HasMetadata> fromShape(ChartSpec release, ClusterParameter parameter) {
        ChartSpec shape = release.withValuesJson(parameter.valuesJson());
        String shapeKey = key(shape);
        Boolean verbatim = shapeVerbatim.get(shapeKey);
        if (Boolean.FALSE.equals(verbatim)) {
            return overlaid(release, helmRender(release));
        }
        String text = shapes.get(shapeKey);
        if (text == null || verbatim == null) {
            // The first clusters of a shape ask at once (a replica's workers, at a step's start): one renders the
            // shape and checks it against its own render, the others wait for that instead of doing both again.
            Object lock = shapeLocks.computeIfAbsent(shapeKey, k -> new Object());
            synchronized (lock) {
                try {
                    verbatim = shapeVerbatim.get(shapeKey);
                    if (Boolean.FALSE.equals(verbatim)) {
                        return overlaid(release, helmRender(release));
                    }
                    text = shapes.get(shapeKey);
                    if (text == null) {
                        text = renderShape(release, shape, shapeKey);
                    }
                    if (verbatim == null) {
                        return verify(release, parameter, text, shapeKey);
                    }
                } finally {
                    shapeLocks.remove(shapeKey, lock);
                }
            }
        }
        fromShapes.increment();
        return clusterObjects(release, parameter, text);
    }

    /** A cluster's objects: the shape's text with the cluster's name put back, in the release namespace by default. */
    private static List<HasMetadata> clusterObjects(ChartSpec release, ClusterParameter parameter, String text) {
        return Manifests.defaultNamespace(Manifests.parseJsonLines(parameter.substitute(text)),
                release.namespace());
    }

    /** The shape rendered by helm and patched, as JSON lines, kept for the fleet. */
    private String renderShape(ChartSpec release, ChartSpec shape, String shapeKey) {
        // Patched once for the fleet: every cluster's objects are then the patched shape's with its name.
        String text = Manifests.jsonLines(overlaid(release, Manifests.parse(template(shape))));
        synchronized (shapes) {
            if (shapes.size() >= maxEntries || shapeChars + text.length() > MAX_SHAPE_CHARS) {
                // A fleet has a few shapes; a peered mesh has one per peering plan version of each cluster.
                shapes.clear();
                shapeVerbatim.clear();
                shapeChars = 0;
            }
            shapes.put(shapeKey, text);
            shapeChars += text.length();
        }
        return text;
    }

    /**
     * The first cluster of a shape: its own render by helm, compared with the shape's with its name put back, decides
     * whether the chart uses the name verbatim (then every later cluster of the shape is the shape's), else each
     * cluster is rendered by helm. Returns the cluster's own render.
     */
    private List<HasMetadata> verify(ChartSpec release, ClusterParameter parameter, String text, String shapeKey) {
        List<HasMetadata> objects = clusterObjects(release, parameter, text);
        List<HasMetadata> direct = overlaid(release, helmRender(release));
        boolean same = Manifests.serialization().asJson(direct).equals(Manifests.serialization().asJson(objects));
        shapeVerbatim.put(shapeKey, same);
        if (!same) {
            LOG.infof("chart %s (release %s) does not use the cluster's name verbatim: rendered per cluster",
                    release.chart(), release.releaseName());
        }
        return direct;
    }

    /**
     * Renders every chart of the chart directory once with its default values, parses the objects and
     * serializes them as an apply would, keeping nothing: the first render of a process loads Helm's native
     * library (about 100 MB, unpacked at each start) and the first objects load the model classes and build
     * their (de)serializers, seconds of CPU that would otherwise delay the first clusters a replica gets. A
     * chart that cannot render with its defaults is skipped. Returns the charts rendered.
     */
    public List<String> warmUp() {
        List<String> warmed = new java.util.ArrayList<>();
        List<Path> charts;
        try (var dirs = Files.list(chartDir)) {
            charts = dirs.filter(d -> Files.isRegularFile(d.resolve("Chart.yaml"))).sorted().toList();
        } catch (IOException e) {
            LOG.debugf("warm-up: chart directory %s not listed: %s", chartDir, e);
            return warmed;
        }
        for (Path chart : charts) {
            String name = chart.getFileName().toString();
            try {
                List<HasMetadata> objects = helmRender(new ChartSpec(name, "warm-up", "warm-up", "{}"));
                Manifests.serialization().asJson(objects);
                warmed.add(name);
            } catch (RuntimeException e) {
                LOG.debugf("warm-up: chart %s not rendered with its defaults: %s", name, e.getMessage());
            }
        }
        return warmed;
    }

    private static boolean hasOverlays(ChartSpec release) {
        return release.overlaysJson() != null && !release.overlaysJson().isBlank() && !release.overlaysJson().equals("[]");
    }

    private static String key(ChartSpec release) {
        return release.source() + "|" + release.chart() + "|" + release.version() + "|" + release.releaseName()
                + "|" + release.namespace() + "|" + Names.hash(release.valuesJson())
                + (hasOverlays(release) ? "|" + Names.hash(release.overlaysJson()) : "");
    }

    private List<HasMetadata> helmRender(ChartSpec release) {
        String rendered = template(release);
        // helm-java gives null, not "", for a release whose templates render nothing (an ExternalControlPlane's
        // further remote cluster before its webhooks, ADR 0031): an empty release.
        return Manifests.defaultNamespace(Manifests.parse(rendered == null ? "" : rendered), release.namespace());
    }

    private List<HasMetadata> cached(String key, Supplier<List<HasMetadata>> render) {
        CompletableFuture<List<HasMetadata>> rendering;
        CompletableFuture<List<HasMetadata>> mine = null;
        synchronized (cache) {
            rendering = cache.get(key);
            if (rendering == null) {
                mine = new CompletableFuture<>();
                cache.put(key, mine);
            }
        }
        if (mine == null) {
            hits.increment();
            try {
                return rendering.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        misses.increment();
        try {
            List<HasMetadata> objects = render.get();
            mine.complete(objects);
            weigh(key, mine, objects.size());
            LOG.debugf("rendered a release: render cache %d/%d entries, %d hits, %d misses (hit rate %.1f%%),"
                    + " %d made from a shared shape", size(), maxEntries, hits(), misses(), 100.0 * hitRate(),
                    fromShapes());
            return objects;
        } catch (RuntimeException e) {
            // Not cached: the next attempt renders again (a chart source may become reachable).
            synchronized (cache) {
                if (cache.remove(key, mine)) {
                    forget(key);
                }
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Counts a completed entry's objects, then puts the least recently used entries out while the cache holds more
     * than {@code maxObjects} in all (the newest entry stays, however large).
     */
    private void weigh(String key, CompletableFuture<List<HasMetadata>> entry, int objects) {
        synchronized (cache) {
            if (cache.get(key) != entry) {
                return;
            }
            objectsByKey.put(key, objects);
            cachedObjects += objects;
            var eldest = cache.entrySet().iterator();
            while (cachedObjects > maxObjects && eldest.hasNext()) {
                String k = eldest.next().getKey();
                if (k.equals(key)) {
                    continue;
                }
                eldest.remove();
                forget(k);
            }
        }
    }

    /** An entry leaves the cache: its objects no longer count. Under {@code cache}'s lock. */
    private void forget(String key) {
        String slot = slotByKey.remove(key);
        if (slot != null) {
            latestBySlot.remove(slot, key);
        }
        Integer objects = objectsByKey.remove(key);
        if (objects != null) {
            cachedObjects -= objects;
        }
    }

    /** Slots of clusters' renders remembered now (each names an entry of the cache). */
    int slots() {
        synchronized (cache) {
            return latestBySlot.size();
        }
    }

    /** Rendered objects held in the cache now. */
    public long cachedObjects() {
        synchronized (cache) {
            return cachedObjects;
        }
    }

    /** Renders made from a shape shared with other clusters, without running helm template. */
    public long fromShapes() {
        return fromShapes.sum();
    }

    /** Renders answered from the cache (including waits for a render of the same key under way). */
    public long hits() {
        return hits.sum();
    }

    /** Renders not answered from the cache: helm template ran, or a shared shape was made the cluster's ({@link #fromShapes()}). */
    public long misses() {
        return misses.sum();
    }

    /** Hits over all renders so far; 0 before the first. */
    public double hitRate() {
        long h = hits();
        long total = h + misses();
        return total == 0 ? 0 : (double) h / total;
    }

    /** helm template calls so far (warm-up included). */
    public long helmRenders() {
        return helmRenders.sum();
    }

    /** Releases held rendered now. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private String template(ChartSpec release) {
        helmRenders.increment();
        Path values = null;
        try {
            // JSON is YAML: the canonical values JSON is passed unchanged as the values file.
            values = Files.createTempFile("meshfleet-values-", ".yaml");
            Files.writeString(values, release.valuesJson() == null || release.valuesJson().isBlank() ? "{}"
                    : release.valuesJson(), StandardCharsets.UTF_8);
            String source = release.source() == null ? "" : release.source().trim();
            if (!source.isEmpty()) {
                ChartSourceAllowList.Parsed verdict = allowed.check(source);
                if (verdict instanceof Refused r) {
                    throw new RenderException("spec.helmGlobal.repo (else meshfleet.translator.default-chart-source): "
                            + r.why() + "; nothing was fetched: use an allowed source, or add it to " + ALLOWED_SETTING
                            + " (and meshfleet.translator.allowed-chart-sources)");
                }
                source = ((Allowed) verdict).location().url();
            }
            if (source.startsWith("oci://")) {
                // Helm's registry client pulls it; helm-java takes the reference as the chart name.
                var template = Helm.template(source.replaceAll("/+$", "") + "/" + release.chart());
                if (release.version() != null && !release.version().isBlank()) {
                    template = template.withVersion(release.version());
                }
                var named = template.withName(release.releaseName()).withNamespace(release.namespace())
                        .withValuesFile(values);
                return timed(release, () -> JvmSignals.around(named::call));
            }
            Path chart = chart(release, source);
            var template = new Helm(chart).template().withName(release.releaseName())
                    .withNamespace(release.namespace()).withValuesFile(values);
            return timed(release, () -> JvmSignals.around(template::call));
        } catch (IOException e) {
            throw new RenderException("cannot write the values of release " + release.releaseName() + ": " + e, e);
        } catch (RenderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RenderException("helm template of chart '" + release.chart() + "' (release "
                    + release.releaseName() + ")" + from(release.source()) + " failed: " + e.getMessage(), e);
        } finally {
            if (values != null) {
                try {
                    Files.deleteIfExists(values);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Renders with helm, logging how long it took: at INFO when a second or more (a step waits on it), else DEBUG. */
    private static String timed(ChartSpec release, Supplier<String> helm) {
        long start = System.nanoTime();
        String rendered = helm.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.logf(millis >= SLOW_RENDER_MILLIS ? Logger.Level.INFO : Logger.Level.DEBUG,
                "helm template of chart %s (release %s) took %d ms", release.chart(), release.releaseName(), millis);
        return rendered;
    }

    /** A helm render at least this long is logged at INFO. */
    private static final long SLOW_RENDER_MILLIS = 1000;

    /** The chart as a local directory or archive. */
    private Path chart(ChartSpec release, String source) {
        if (source.isEmpty()) {
            return directoryChart(chartDir, release, "the installer's chart directory ");
        }
        if (source.startsWith("http://") || source.startsWith("https://")) {
            String version = release.version() == null ? "" : release.version();
            return pulled.computeIfAbsent(source + "|" + release.chart() + "|" + version,
                    k -> pull(source, release.chart(), version));
        }
        if (source.startsWith("/")) {
            return directoryChart(Path.of(source), release, "");
        }
        throw unreadable(source, "it is neither an absolute path, a file://, http(s):// nor oci:// URL");
    }

    private static Path directoryChart(Path dir, ChartSpec release, String what) {
        Path chart = dir.resolve(release.chart());
        if (!Files.isDirectory(chart)) {
            String message = "chart '" + release.chart() + "' not found under " + what + dir.toAbsolutePath();
            if (release.source() == null || release.source().isBlank()) {
                throw new RenderException(message);
            }
            throw unreadable(release.source(), message);
        }
        return chart;
    }

    /**
     * Downloads the chart archive a Helm repository's index names for the chart and version (the highest if
     * none) and checks it against the index's digest.
     */
    private Path pull(String repo, String chart, String version) {
        String base = repo.endsWith("/") ? repo : repo + "/";
        Optional<RepositoryCredentials> auth = credentials.get();
        JsonNode index;
        try (InputStream in = get(URI.create(base + "index.yaml"), auth)) {
            index = YAML.readTree(in);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(repo, "its index.yaml cannot be read: " + why(e));
        }
        ChartIndex.Selection selection = ChartIndex.select(index, chart, version);
        if (selection instanceof ChartIndex.Missing m) {
            throw unreadable(repo, m.why());
        }
        ChartIndex.Entry entry = (ChartIndex.Entry) selection;
        URI url;
        try {
            url = URI.create(base).resolve(entry.url());
        } catch (IllegalArgumentException e) {
            throw unreadable(repo, "its index.yaml names the archive '" + entry.url() + "', not a URL");
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw unreadable(repo, "its index.yaml names the archive " + url + ", not an http(s) URL");
        }
        Path partial = null;
        try (DigestInputStream in = new DigestInputStream(get(url, auth), MessageDigest.getInstance("SHA-256"))) {
            Path target = pullDir().resolve(Names.hash(repo + "|" + chart + "|" + entry.version()) + "-" + chart + ".tgz");
            partial = Files.createTempFile(pullDir(), chart, ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            String actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            if (!actual.equals(entry.sha256())) {
                // Final: the same bytes come back until the repository is fixed.
                throw new RenderException("chart '" + chart + "' version " + entry.version() + " from repository "
                        + repo + ": the archive " + url + " has SHA-256 " + actual + " but the repository's index.yaml"
                        + " gives " + entry.sha256() + "; the archive was not used. Ask the repository's owner to"
                        + " fix the archive or the index");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            return target;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(repo, "the archive " + url + " of chart '" + chart + "' cannot be downloaded: "
                    + why(e));
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The JDK's HTTP client throws some I/O errors (a refused connection) without a message. */
    private static String why(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** GET, following redirects; credentials go with each hop only when it is to the repository's own host. */
    private InputStream get(URI first, Optional<RepositoryCredentials> auth) throws IOException {
        URI uri = first;
        try {
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
                URI to = uri;
                auth.flatMap(a -> a.authorizationFor(to)).ifPresent(h -> request.header("Authorization", h));
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 200) {
                    return response.body();
                }
                response.body().close();
                Optional<String> location = response.headers().firstValue("Location");
                if (status / 100 == 3 && location.isPresent()) {
                    uri = uri.resolve(location.get());
                    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                        throw new IOException("GET " + first + " was redirected to a non-HTTP location");
                    }
                    continue;
                }
                throw new IOException("GET " + uri + " answered " + status);
            }
            throw new IOException("GET " + first + " was redirected more than " + MAX_REDIRECTS + " times");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
    }

    private Path pullDir() throws IOException {
        Path dir = pullDir;
        if (dir == null) {
            synchronized (this) {
                if (pullDir == null) {
                    pullDir = Files.createTempDirectory("meshfleet-charts-");
                }
                dir = pullDir;
            }
        }
        return dir;
    }

    private static String from(String source) {
        return source == null || source.isBlank() ? "" : " from " + source;
    }

    private static RenderException unreadable(String source, String why) {
        // A GLM's source is its spec.helmGlobal.repo; an ILM's (and a GLM's without one) the translator's default.
        return new RenderException("chart source '" + source + "' (spec.helmGlobal.repo, else"
                + " meshfleet.translator.default-chart-source) cannot be read: " + why + "; correct it or make the"
                + " source reachable (retried at the next resync)");
    }

    /** A chart that cannot be rendered: final for this plan (only a new plan or chart fixes it). */
    public static class RenderException extends RuntimeException {
        public RenderException(String message) {
            super(message);
        }

        public RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
