package dev.meshfleet.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.meshfleet.installer.model.ChartSpec;
import dev.meshfleet.installer.render.ChartRenderer;
import dev.meshfleet.translation.ChartRelease;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The installer's chart rendering (helm-java, Helm linked in through JNA), one thread, of a release of
 * {@code examples/ilm-minimal.yaml} with the values the translator gives it for one cluster, from the
 * repository's {@code charts/}. {@code cacheOff}: a fresh renderer per render, so Helm templates and
 * the output is parsed every time (a cluster whose values no other cluster shares). {@code cacheOn}:
 * one renderer, as in the installer process, where every resync and every cluster with the same
 * values hits the render cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class ChartRenderBenchmark {
    /** Relative to the repository root, where the benchmark is run. */
    @Param("charts")
    public String chartDir;

    @Param({"istiod", "base"})
    public String chart;

    private Path charts;
    private ChartSpec release;
    private ChartRenderer cached;

    @Setup
    public void setUp() {
        Specs specs = Specs.firstClusterOf("examples/ilm-minimal.yaml");
        ChartRelease r = new Translator(TranslatorSettings.defaults()).translate(specs.owner(), 1, specs.spec())
                .allPlans().get(0).charts().stream().filter(c -> c.chart().equals(chart)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no release of chart " + chart));
        release = new ChartSpec(r.chart(), r.releaseName(), r.namespace(), r.valuesJson());
        charts = Path.of(chartDir);
        cached = new ChartRenderer(charts);
        if (cached.render(release).isEmpty()) {
            throw new IllegalStateException("chart " + chart + " rendered no object");
        }
    }

    @Benchmark
    public List<HasMetadata> cacheOff() {
        return new ChartRenderer(charts).render(release);
    }

    @Benchmark
    public List<HasMetadata> cacheOn() {
        return cached.render(release);
    }
}
