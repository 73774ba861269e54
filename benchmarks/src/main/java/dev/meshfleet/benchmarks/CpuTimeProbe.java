package dev.meshfleet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import dev.meshfleet.translation.Translation;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;

/**
 * Translations per CPU second of the translating thread, for a machine that is not quiet (the shared
 * 2-core machine): JMH's wall-clock throughput falls with every other process, the CPU time a
 * translation costs does not. Same work as {@link TranslatorBenchmark#translate}.
 * {@code java -cp benchmarks/target/benchmarks.jar dev.meshfleet.benchmarks.CpuTimeProbe [example] [seconds]}
 */
public final class CpuTimeProbe {
    private CpuTimeProbe() {
    }

    public static void main(String[] args) {
        String example = args.length > 0 ? args[0] : "examples/ilm-minimal.yaml";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Translator translator = new Translator(TranslatorSettings.defaults());
        Specs specs = Specs.firstClusterOf(example);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        // Warm-up: enough CPU time for the JIT to compile the translator.
        long warmEnd = threads.getCurrentThreadCpuTime() + (long) (seconds / 2 * 1e9);
        while (threads.getCurrentThreadCpuTime() < warmEnd) {
            for (int i = 0; i < 100; i++) {
                sink += translator.translate(specs.owner(), 1, specs.spec()).plansByCluster().size();
            }
        }
        long start = threads.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            for (int i = 0; i < 100; i++) {
                Translation t = translator.translate(specs.owner(), 1, specs.spec());
                sink += t.plansByCluster().size();
            }
            n += 100;
            now = threads.getCurrentThreadCpuTime();
        } while (now < end);
        double cpu = (now - start) / 1e9;
        System.out.printf("%s: %d translations in %.2f CPU s = %.0f translations per CPU second (%d)%n", example, n, cpu,
                n / cpu, sink % 10);
    }
}
