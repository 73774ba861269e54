package dev.meshfleet.sandbox.bench;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.marcnuri.helm.Helm;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.ResourceRef;
import dev.meshfleet.sandbox.cli.SandboxOptions;
import dev.meshfleet.sandbox.status.Settle;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.charts.JvmSignals;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.ChartRelease;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationPlan;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Apply-to-HEALTHY latency of one ILM on one cluster (readiness after 0s): through the whole pipeline
 * (intake, Kafka, translator, installer, aggregator, status on the CR) and, as the floor, the same work in
 * one process (render the same charts with the same values, server-side apply them, wait until ready).
 * The ratio says what the pipeline costs. Prints figures; asserts nothing.
 */
public final class ApplyToHealthyBenchmark {

    private static final String CLUSTER = "cluster1";

    private ApplyToHealthyBenchmark() {
    }

    /** Runs the benchmark: one warm-up, then {@code runs} measured runs (1 or more, checked by the CLI). */
    public static int run(int runs, PrintStream out, PrintStream err) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        String template = Files.readString(layout.examples().resolve("ilm-minimal.yaml"));
        SandboxOptions options = SandboxOptions.defaults(SandboxOptions.Mode.RUN, List.of(CLUSTER))
                .withReadyAfter(Duration.ZERO).withTimeout(Duration.ofMinutes(3));
        List<Duration> pipeline = new ArrayList<>();
        List<ChartRelease> charts;
        try (Sandbox sandbox = Sandbox.start(options, layout, err)) {
            Path dir = Files.createDirectories(sandbox.runDir().resolve("bench"));
            for (int i = 0; i <= runs; i++) {
                String name = "bench-" + i;
                Path file = dir.resolve(name + ".yaml");
                Files.writeString(file, oneCluster(template, name));
                long t0 = System.nanoTime();
                List<ResourceRef> refs = sandbox.apply(file);
                Settle.Progress p = sandbox.awaitSettled(options.timeout(), null);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (!p.allHealthy()) {
                    err.println("bench: run " + i + " did not end HEALTHY: " + sandbox.views());
                    return 1;
                }
                // Run 0 warms the JVMs up (class loading, JIT) and is not counted.
                if (i > 0) {
                    pipeline.add(took);
                }
                err.println("bench: pipeline run " + i + ": " + took.toMillis() + " ms" + (i == 0 ? " (warm-up)" : ""));
                for (ResourceRef ref : refs) {
                    sandbox.delete(ref);
                }
                sandbox.awaitSettled(options.timeout(), null);
            }
            charts = plannedCharts(sandbox.broker().bootstrapServers());
        }
        List<Duration> floor = floor(layout, charts, runs, err);
        out.println("apply-to-HEALTHY, one ILM on one cluster, readiness after 0s, " + runs + " runs:");
        out.printf("  pipeline (4 services, Kafka):   p50 %6d ms   p95 %6d ms%n", pct(pipeline, 50), pct(pipeline, 95));
        out.printf("  floor (render+apply+ready):     p50 %6d ms   p95 %6d ms%n", pct(floor, 50), pct(floor, 95));
        out.printf("  ratio pipeline/floor:           p50 %6.1fx   p95 %6.1fx%n",
                ratio(pct(pipeline, 50), pct(floor, 50)), ratio(pct(pipeline, 95), pct(floor, 95)));
        return 0;
    }

    /** The example ILM renamed, on cluster1 only, not the default revision (runs follow each other). */
    static String oneCluster(String template, String name) {
        return template.replace("name: istiod-control-plane", "name: " + name)
                .replaceAll("(?m)^        - defaultRevision: true\\n          name: cluster2\\n", "");
    }

    /** The charts and values the translator planned for cluster1, read back from install-plans. */
    private static List<ChartRelease> plannedCharts(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        try (KafkaConsumer<String, ClusterDesiredState> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerde.of(ClusterDesiredState.class).deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.INSTALL_PLANS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<ChartRelease> charts = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, ClusterDesiredState> r : consumer.poll(Duration.ofMillis(500))) {
                    if (CLUSTER.equals(r.key()) && r.value() != null) {
                        // The last plan that had an installation is the one each run applied.
                        for (InstallationPlan plan : r.value().getInstallations()) {
                            charts = new ArrayList<>(plan.getCharts());
                        }
                    }
                }
            }
            if (charts.isEmpty()) {
                throw new IllegalStateException("no install plan for " + CLUSTER + " found on " + Topics.INSTALL_PLANS);
            }
            return charts;
        }
    }

    private static List<Duration> floor(RepoLayout layout, List<ChartRelease> charts, int runs, PrintStream err)
            throws Exception {
        List<Duration> times = new ArrayList<>();
        Path valuesDir = Files.createTempDirectory("meshfleet-bench");
        try (MockApiServer server = MockApiServer.start();
                WorkloadSimulator sim = WorkloadSimulator.start(server, List.of(CLUSTER), Duration.ZERO)) {
            KubernetesClient client = server.client(CLUSTER);
            for (int i = 0; i <= runs; i++) {
                long t0 = System.nanoTime();
                List<HasMetadata> applied = new ArrayList<>();
                for (ChartRelease chart : charts) {
                    Path values = valuesDir.resolve(chart.getReleaseName() + ".json");
                    Files.writeString(values, chart.getValuesJson());
                    String manifest = JvmSignals.around(() -> new Helm(layout.charts().resolve(chart.getChart()))
                            .template().withName(chart.getReleaseName()).withNamespace(chart.getNamespace())
                            .withValuesFile(values).call());
                    for (HasMetadata obj : client.load(new ByteArrayInputStream(
                            manifest.getBytes(StandardCharsets.UTF_8))).items()) {
                        if (obj.getMetadata().getNamespace() == null && namespaced(obj)) {
                            obj.getMetadata().setNamespace(chart.getNamespace());
                        }
                        applied.add(client.resource(obj).fieldManager("bench").forceConflicts().serverSideApply());
                    }
                }
                awaitReady(client, applied);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (i > 0) {
                    times.add(took);
                }
                err.println("bench: floor run " + i + ": " + took.toMillis() + " ms" + (i == 0 ? " (warm-up)" : ""));
                for (HasMetadata obj : applied) {
                    client.resource(obj).delete();
                }
            }
        }
        return times;
    }

    private static boolean namespaced(HasMetadata obj) {
        return !List.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration").contains(obj.getKind());
    }

    private static void awaitReady(KubernetesClient client, List<HasMetadata> applied) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        for (HasMetadata obj : applied) {
            while (!ready(client, obj)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("floor: " + obj.getKind() + " " + obj.getMetadata().getName()
                            + " not ready within 60s");
                }
                Thread.sleep(5);
            }
        }
    }

    private static boolean ready(KubernetesClient client, HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        String name = obj.getMetadata().getName();
        if (obj instanceof Deployment) {
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            return d.getStatus() != null && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= want;
        }
        if (obj instanceof DaemonSet) {
            DaemonSet d = client.apps().daemonSets().inNamespace(ns).withName(name).get();
            return d.getStatus() != null && d.getStatus().getNumberReady() != null
                    && d.getStatus().getDesiredNumberScheduled() != null
                    && d.getStatus().getNumberReady() >= d.getStatus().getDesiredNumberScheduled();
        }
        return true;
    }

    static long pct(List<Duration> samples, int percentile) {
        List<Long> ms = new ArrayList<>(samples.stream().map(Duration::toMillis).toList());
        Collections.sort(ms);
        int index = (int) Math.ceil(percentile / 100.0 * ms.size()) - 1;
        return ms.get(Math.max(0, Math.min(index, ms.size() - 1)));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

}
