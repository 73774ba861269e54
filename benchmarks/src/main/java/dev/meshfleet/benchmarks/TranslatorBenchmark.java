package dev.meshfleet.benchmarks;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;

/**
 * The pure translator, one thread (so the score is translations per second per core): an example
 * spec for one cluster, translated to that cluster's plan (Helm values, plan hash). {@code translate}
 * starts from the parsed spec; {@code parseAndTranslate} from the spec's JSON, as the service gets it
 * in a SpecChange record. Goal (issue 15): 20,000 translations per second per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class TranslatorBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Relative to the repository root, where the benchmark is run. */
    @Param({"examples/ilm-minimal.yaml", "examples/glm-ingress.yaml"})
    public String example;

    private Translator translator;
    private Specs specs;
    private String specJson;

    @Setup
    public void setUp() {
        translator = new Translator(TranslatorSettings.defaults());
        specs = Specs.firstClusterOf(example);
        specJson = specs.spec().toString();
        Translation t = translator.translate(specs.owner(), 1, specs.spec());
        if (!t.errors().isEmpty() || t.plansByCluster().size() != 1) {
            throw new IllegalStateException("expected one cluster's plan without error, got " + t);
        }
    }

    @Benchmark
    public Translation translate() {
        return translator.translate(specs.owner(), 1, specs.spec());
    }

    @Benchmark
    public Translation parseAndTranslate() throws Exception {
        JsonNode spec = JSON.readTree(specJson);
        return translator.translate(specs.owner(), 1, spec);
    }
}
