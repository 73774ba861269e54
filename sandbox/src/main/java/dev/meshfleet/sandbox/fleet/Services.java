package dev.meshfleet.sandbox.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.faults.FaultReport;
import dev.meshfleet.schemas.time.GoDuration;
import dev.meshfleet.sandbox.process.ChildProcess;
import dev.meshfleet.sandbox.process.ClassDataArchive;
import dev.meshfleet.sandbox.process.JavaCommand;

/**
 * The four services as child JVMs, each from its Quarkus jar, configured for the sandbox's broker and
 * management API server; the installer as N replicas in one consumer group, with replica ids
 * {@code installer-0} .. {@code installer-N-1}. A service is ready when its readiness endpoint answers 200.
 *
 * <p>Instances are named by module ({@code spec-intake}, ..., {@code installer-service} for replica 0, so
 * that code written for one installer keeps working) and {@code installer-1} .. {@code installer-N-1} for
 * the other replicas; {@link #start}, {@link #kill}, {@link #running} take these names.
 */
public final class Services implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final RepoLayout layout;
    private final Path runDir;
    private final Path agentJar;
    private final String bootstrapServers;
    private final String managementUrl;
    private final Map<String, Running> running = new LinkedHashMap<>();
    /** The order of the logs in a timeout report ({@link #logTails}). */
    private static final List<String> REPORT_ORDER = List.of("installer-service", "status-aggregator",
            "translator-service", "spec-intake");
    private final int installers;
    private int restarts;
    /** How long each instance took from its launch to ready, at its first start: what a restart is compared with. */
    private final Map<String, Duration> firstStart = new LinkedHashMap<>();
    /** The CPU time each instance had used when it was ready, at its first start and at its latest. */
    private final Map<String, Duration> firstStartCpu = new LinkedHashMap<>();
    private final Map<String, Duration> latestStartCpu = new LinkedHashMap<>();
    /** The installers' resync and drift-repair periods; null leaves the installer's own default. */
    private Duration resync;
    private Duration driftRepair;
    /** Kafka client properties (security protocol, credentials) as system properties and as environment variables. */
    private Map<String, String> kafkaProperties = Map.of();
    private Map<String, String> environment = Map.of();
    /** Per module, environment variables over {@link #environment} (each service its own Kafka credentials). */
    private Map<String, Map<String, String>> moduleEnvironment = Map.of();
    /** Further configuration of every instance, as {@code -D<key>=<value>}. */
    private Map<String, String> configuration = Map.of();
    /** Each service's identity in the management cluster and the namespaces it is configured with; null: none. */
    private ChartRbac identities;
    /** Where the services send their traces (OTLP/HTTP); null: tracing off, the services' default. */
    private String otlpEndpoint;
    /** Per module, the class data archive of its build ({@link ClassDataArchive}); absent: none can be kept. */
    private final Map<String, ClassDataArchive> archives = new HashMap<>();
    /** Per module without an archive, the one instance recording its classes and the file it writes at its exit. */
    private final Map<String, Recorder> recorders = new HashMap<>();

    private record Recorder(String instance, ChildProcess process, Path partial) {
    }
    /** spec-intake's HTTPS listener for its admission webhook (system properties); empty: HTTP only. */
    private List<String> webhookTls = List.of();

    /** A started service: its process, the HTTP port of its health endpoints, and when it was launched. */
    public record Running(String module, ChildProcess process, int httpPort, Instant launched) {
    }

    public Services(RepoLayout layout, Path runDir, Path agentJar, String bootstrapServers, String managementUrl) {
        this(layout, runDir, agentJar, bootstrapServers, managementUrl, 1);
    }

    public Services(RepoLayout layout, Path runDir, Path agentJar, String bootstrapServers, String managementUrl,
            int installers) {
        if (installers < 1) {
            throw new IllegalArgumentException("at least one installer replica, not " + installers);
        }
        this.installers = installers;
        this.layout = layout;
        this.runDir = runDir;
        this.agentJar = agentJar;
        this.bootstrapServers = bootstrapServers;
        this.managementUrl = managementUrl;
    }

    /**
     * How often each installer checks every cluster it owns, and how often it also repairs drift; null keeps
     * the installer's default. For instances started after this call.
     */
    public synchronized void resync(Duration period, Duration repair) {
        this.resync = period;
        this.driftRepair = repair;
    }

    /**
     * Kafka client settings for the instances started after this call, as a user gives them: {@code properties}
     * as {@code -Dkafka.<key>=<value>}, and {@code environment} as variables of the process (a Secret mounted as
     * {@code KAFKA_SASL_JAAS_CONFIG}, say).
     */
    public synchronized void kafkaClient(Map<String, String> properties, Map<String, String> environment) {
        this.kafkaProperties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
    }

    /**
     * As {@link #kafkaClient(Map, Map)}, with variables of each module's own over the common ones (a Secret per
     * service, as the chart mounts one per KafkaUser) and further configuration keys for every instance.
     */
    public synchronized void kafkaClient(Map<String, String> properties, Map<String, String> environment,
            Map<String, Map<String, String>> moduleEnvironment, Map<String, String> configuration) {
        kafkaClient(properties, environment);
        this.moduleEnvironment = Map.copyOf(moduleEnvironment);
        this.configuration = Map.copyOf(configuration);
    }

    /**
     * Turns tracing on in instances started after this call: each exports its spans over OTLP/HTTP (protobuf) to the
     * endpoint, in batches every 200 ms so that a test sees them soon; null leaves tracing off.
     */
    public synchronized void traces(String endpoint) {
        this.otlpEndpoint = endpoint;
    }

    /**
     * Gives each instance started after this call its ServiceAccount's token as the chart mounts it (Fabric8's
     * {@code KUBERNETES_AUTH_TOKEN}: never on a command line, never in a log) and the namespaces the chart
     * configures it with, so that the API server authenticates it as that ServiceAccount and it asks only where the
     * chart's roles grant.
     */
    public synchronized void identities(ChartRbac rbac) {
        this.identities = rbac;
    }

    /**
     * spec-intake instances started after this call also serve HTTPS on {@code port} (127.0.0.1) with the key and
     * certificate of the PKCS12 {@code keyStore}, where the API server calls its admission webhook.
     */
    public synchronized void admissionWebhookTls(Path keyStore, String password, int port) {
        this.webhookTls = List.of("-Dquarkus.http.ssl-port=" + port,
                "-Dquarkus.http.ssl.certificate.key-store-file=" + keyStore.toAbsolutePath(),
                "-Dquarkus.http.ssl.certificate.key-store-password=" + password);
    }

    /** "instance http://127.0.0.1:PORT/q/metrics", one per running instance: what a Prometheus would scrape. */
    public synchronized List<String> metricsEndpoints() {
        return running.entrySet().stream()
                .map(e -> e.getKey() + " http://127.0.0.1:" + e.getValue().httpPort() + "/q/metrics").toList();
    }

    /** Starts every service at once (they start in parallel on the machine) and waits until all are ready. */
    public synchronized void startAll(Duration timeout, java.io.PrintStream progress) throws IOException, InterruptedException {
        List<String> names = instanceNames();
        for (String name : names) {
            start(name);
        }
        awaitReady(names, timeout, progress);
    }

    /**
     * Waits until the installer replicas' leases cover every one of the {@code partitions} of install-plans
     * ({@link PlanLeases}), at most {@code timeout}: a first step applied while a rebalance still hands partitions over
     * would wait for it. Past the timeout, says so and goes on (the replicas take them over as they would anyway).
     */
    public void awaitPlanLeases(int partitions, Duration timeout, java.io.PrintStream progress)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<String> installers = instanceNames().stream()
                .filter(i -> moduleOf(i).equals(InstanceNames.INSTALLER)).toList();
        while (true) {
            List<String> answers = new ArrayList<>();
            for (String instance : installers) {
                answers.add(readiness(running(instance)));
            }
            if (PlanLeases.covered(answers, partitions)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                if (progress != null) {
                    progress.println("sandbox: the installers' leases do not cover the " + partitions
                            + " install-plans partitions after " + GoDuration.format(timeout) + "; going on");
                }
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Every instance this fleet runs: the modules, then installer-1 .. installer-N-1 ({@link InstanceNames}). */
    public List<String> instanceNames() {
        return InstanceNames.all(installers);
    }

    static String moduleOf(String instance) {
        return InstanceNames.moduleOf(instance);
    }

    static String replicaIdOf(String instance) {
        return InstanceNames.replicaIdOf(instance);
    }

    /**
     * The heap of a service's JVM: 256m, or for the installer {@code MESHFLEET_INSTALLER_HEAP} (a JVM size such as
     * {@code 768m}) when set: a peered mesh of 100 clusters (`bench peering --clusters 100`) needs more than 256m.
     */
    static String heapOf(String module) {
        String installer = System.getenv("MESHFLEET_INSTALLER_HEAP");
        if (module.equals("installer-service") && installer != null && installer.matches("[1-9][0-9]*[mMgG]")) {
            return installer;
        }
        return "256m";
    }

    /** Starts one service instance (again, after a kill); does not wait for it. */
    public synchronized Running start(String instance) throws IOException {
        String module = moduleOf(instance);
        Path built = layout.serviceJar(module);
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException("no " + built + "; build it with: mvn -q -DskipTests install (or ./meshfleet,"
                    + " which builds what is missing)");
        }
        Path jar = AppSnapshot.of(built.getParent(), runDir.resolve("apps").resolve(module)).resolve("quarkus-run.jar");
        int port = RepoLayout.freePort();
        Path state = runDir.resolve("state");
        String name = running.containsKey(instance) ? instance + "-restart" + (++restarts) : instance;
        List<String> jvm = new ArrayList<>(JavaCommand.SHORT_LIVED_JIT);
        jvm.addAll(List.of(
                "-Xms32m", "-Xmx" + heapOf(module), "-XX:+UseSerialGC",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.meshfleet.schemas",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dquarkus.kubernetes-client.api-server-url=" + managementUrl,
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.banner.enabled=false",
                "-Dmeshfleet.installer.chart-dir=" + layout.charts(),
                // The run directory, where tests place chart copies, is an allowed chart source besides the defaults.
                "-Dmeshfleet.installer.allowed-chart-sources=" + runDir.toAbsolutePath().normalize(),
                "-Dmeshfleet.translator.allowed-chart-sources=" + runDir.toAbsolutePath().normalize(),
                // The admission webhook validates with the translator's rules, so it takes the translator's settings.
                "-Dmeshfleet.intake.admission.allowed-chart-sources=" + runDir.toAbsolutePath().normalize(),
                "-Dmeshfleet.installer.replica-id=" + replicaIdOf(instance),
                // As the chart's RBAC is rendered (ChartRbac): a root of trust is generated in the management cluster.
                "-Dmeshfleet.installer.trust.generate-root=true",
                // Static membership: a restarted instance takes its place in the group again at once, without
                // waiting out the session of its dead predecessor (ADR 0011).
                "-Dmeshfleet.installer.group-instance-id=" + replicaIdOf(instance),
                "-Dmeshfleet.translator.group-instance-id=" + instance,
                "-Dmeshfleet.aggregator.group-instance-id=" + instance,
                // Per instance, not per start: a restarted instance finds its state stores as a restarted
                // container finds its volume.
                "-Dmeshfleet.translator.state-dir=" + state.resolve("translator-" + instance),
                "-Dmeshfleet.aggregator.state-dir=" + state.resolve("aggregator-" + instance)));
        // A restart maps the classes its build's first start loaded, parsed and verified (ADR 0047).
        ClassDataArchive archive = archive(module, jar.getParent());
        Path recordTo = null;
        if (archive != null && archive.present()) {
            jvm.addAll(archive.mapOptions());
        } else if (archive != null) {
            Recorder recorder = recorders.get(module);
            if (recorder == null || !recorder.process().isAlive()) {
                recordTo = archive.partial(instance);
                jvm.addAll(archive.recordOptions(recordTo));
            }
        }
        kafkaProperties.forEach((key, value) -> jvm.add("-Dkafka." + key + "=" + value));
        configuration.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (identities != null) {
            identities.namespaceProperties(module).forEach((key, value) -> jvm.add("-D" + key + "=" + value));
            String token = identities.serviceToken(module);
            if (token != null) {
                // Fabric8's own variable, under Quarkus' settings: Quarkus would print quarkus.kubernetes-client.token
                // in its "build time property" warning.
                env.put("KUBERNETES_AUTH_TOKEN", token);
            }
        }
        if (module.equals("spec-intake")) {
            jvm.addAll(webhookTls);
        }
        if (resync != null) {
            jvm.add("-Dmeshfleet.installer.resync-period=" + GoDuration.format(resync));
        }
        if (driftRepair != null) {
            jvm.add("-Dmeshfleet.installer.drift-repair-period=" + GoDuration.format(driftRepair));
        }
        if (otlpEndpoint != null) {
            jvm.addAll(List.of("-Dquarkus.otel.sdk.disabled=false",
                    "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + otlpEndpoint,
                    "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                    "-Dquarkus.otel.bsp.schedule.delay=200ms",
                    "-Dquarkus.otel.resource.attributes=service.instance.id=" + instance));
        }
        List<String> cmd = new ArrayList<>(JavaCommand.prefix(agentJar, name, jvm));
        cmd.addAll(List.of("-jar", jar.toString()));
        env.putAll(moduleEnvironment.getOrDefault(module, Map.of()));
        ChildProcess process = ChildProcess.start(name, cmd, env, runDir.resolve("logs").resolve(name + ".log"),
                runDir.resolve("pids"));
        Running r = new Running(module, process, port, Instant.now());
        running.put(instance, r);
        if (recordTo != null) {
            recorders.put(module, new Recorder(instance, process, recordTo));
        }
        return r;
    }

    /** Waits until GET /q/health/ready answers 200; on timeout or exit, the message carries the log tail. */
    public void awaitReady(String module, Duration timeout) throws InterruptedException {
        awaitReady(List.of(module), timeout, null);
    }

    /**
     * Waits until every one of the modules is ready, polling them side by side so that one that fails to
     * start is reported at once rather than after the others' timeouts.
     */
    public void awaitReady(List<String> modules, Duration timeout, java.io.PrintStream progress)
            throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Instant nextReport = start.plus(Duration.ofSeconds(10));
        Map<String, String> pending = new LinkedHashMap<>();
        modules.forEach(m -> pending.put(m, "no answer"));
        while (!pending.isEmpty()) {
            for (String module : List.copyOf(pending.keySet())) {
                Running r = running(module);
                if (!r.process().isAlive()) {
                    throw new IllegalStateException(module + " exited with " + r.process().process().exitValue()
                            + " before it was ready; " + r.process().logFile() + " ends with:\n" + r.process().logTail(40));
                }
                if (failedToStart(r)) {
                    // Quarkus logs this and may keep non-daemon threads alive; do not wait for a timeout.
                    r.process().kill();
                    throw new IllegalStateException(module + " failed to start; " + r.process().logFile()
                            + " ends with:\n" + r.process().logTail(40));
                }
                String answer = probe(r);
                if (answer == null) {
                    pending.remove(module);
                    synchronized (this) {
                        firstStart.putIfAbsent(module, Duration.between(r.launched(), Instant.now()));
                        r.process().process().info().totalCpuDuration().ifPresent(cpu -> {
                            firstStartCpu.putIfAbsent(module, cpu);
                            latestStartCpu.put(module, cpu);
                        });
                    }
                } else {
                    pending.put(module, answer);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (progress != null && Instant.now().isAfter(nextReport)) {
                progress.println("  ... " + Duration.between(start, Instant.now()).toSeconds() + "s: waiting for "
                        + String.join(", ", pending.keySet()) + " to be ready");
                nextReport = Instant.now().plus(Duration.ofSeconds(10));
            }
            if (Instant.now().isAfter(deadline)) {
                String module = pending.keySet().iterator().next();
                Running r = running(module);
                throw new IllegalStateException(String.join(", ", pending.keySet()) + " not ready within " + timeout
                        + " (" + module + ": " + pending.get(module) + "); " + r.process().logFile() + " ends with:\n"
                        + r.process().logTail(40));
            }
            Thread.sleep(300);
        }
    }

    /** The module's archive, made once per run; null when the cache directory cannot be written. */
    private synchronized ClassDataArchive archive(String module, Path appDir) {
        if (!archives.containsKey(module)) {
            ClassDataArchive archive = null;
            try {
                archive = ClassDataArchive.of(layout.classDataArchives(), module, appDir);
            } catch (IOException e) {
                System.err.println("sandbox: no class data archive for " + module + ": " + e.getMessage());
            }
            archives.put(module, archive);
        }
        return archives.get(module);
    }

    /** null when ready, else what the endpoint answered. */
    private static String probe(Running r) throws InterruptedException {
        String answer = readiness(r);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return answer.startsWith("HTTP 200 ") ? null : answer;
    }

    /** What the readiness endpoint answers, on one line (its data says where the service stands). */
    private static String readiness(Running r) {
        URI ready = URI.create("http://127.0.0.1:" + r.httpPort() + "/q/health/ready");
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return "HTTP " + response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static boolean failedToStart(Running r) {
        return r.process().logTail(60).contains("Failed to start application");
    }

    /** Every service process started and not replaced by a restart, in start order. */
    public synchronized List<Running> all() {
        return List.copyOf(running.values());
    }

    public synchronized Running running(String module) {
        Running r = running.get(module);
        if (r == null) {
            throw new IllegalArgumentException("no service " + module + " was started");
        }
        return r;
    }

    /** How long the instance took to be ready at its first start; null when it has not been ready yet. */
    public synchronized Duration firstStart(String instance) {
        return firstStart.get(instance);
    }

    /**
     * The CPU time the instance had used when it was ready, at its first start and at its latest (a restart); null
     * when not measured. Unlike the time to ready, it hardly depends on what else the machine runs.
     */
    public synchronized FaultReport.StartCpu startCpu(String instance) {
        Duration first = firstStartCpu.get(instance);
        Duration latest = latestStartCpu.get(instance);
        return first == null || latest == null ? null : new FaultReport.StartCpu(first, latest);
    }

    /** SIGKILL, as a crash: for the E2E tests of recovery. */
    public void kill(String module) {
        running(module).process().kill();
    }

    /**
     * The last lines of every service log, for a timeout report: the installers' first, then the aggregator's, the
     * translator's and spec-intake's. A step that does not settle is most often waiting for an installer, and a
     * report cut short (a CI console keeps the head of a long failure) should still show that log.
     */
    public synchronized String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        List<Map.Entry<String, Running>> byRelevance = new ArrayList<>(running.entrySet());
        byRelevance.sort(Comparator.comparingInt(e -> REPORT_ORDER.indexOf(e.getValue().module())));
        for (Map.Entry<String, Running> e : byRelevance) {
            if (e.getValue().process().isAlive()) {
                out.append("==> ").append(e.getKey()).append(" readiness: ").append(readiness(e.getValue()))
                        .append('\n');
            }
        }
        for (Map.Entry<String, Running> e : byRelevance) {
            Running r = e.getValue();
            out.append("==> ").append(r.process().logFile()).append(" <==\n").append(r.process().logTail(lines))
                    .append("\n");
        }
        return out.toString();
    }

    /** What the instance's readiness endpoint answers now, on one line. */
    public String readiness(String instance) {
        return readiness(running(instance));
    }

    @Override
    public synchronized void close() {
        // SIGTERM all first so they shut down in parallel, then wait for each.
        running.values().forEach(r -> {
            if (r.process().isAlive()) {
                r.process().process().destroy();
            }
        });
        running.values().forEach(r -> {
            Recorder recorder = recorders.get(r.module());
            if (recorder != null && recorder.process() == r.process()) {
                // It writes its module's class data archive as it exits: seconds more (ADR 0047).
                writeClassDataArchive(recorder, r.process().stop(Duration.ofSeconds(90)));
            } else {
                r.process().stop(Duration.ofSeconds(20));
            }
        });
    }

    private void writeClassDataArchive(Recorder recorder, boolean exitedByItself) {
        String module = moduleOf(recorder.instance());
        try {
            if (archives.get(module).complete(recorder.partial(), exitedByItself)) {
                System.err.println("sandbox: class data archive of " + module + " written by " + recorder.instance()
                        + " as it stopped (" + archives.get(module).file() + "): later starts of this build map it");
            }
        } catch (IOException e) {
            System.err.println("sandbox: no class data archive of " + module + ": " + e.getMessage());
        }
    }
}
