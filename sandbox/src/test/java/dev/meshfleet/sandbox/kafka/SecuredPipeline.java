package dev.meshfleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.awaitility.core.ConditionTimeoutException;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.fleet.Registration;
import dev.meshfleet.sandbox.fleet.Services;
import dev.meshfleet.sandbox.process.AgentJar;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.crd.IstioLifecycleManager;
import dev.meshfleet.schemas.crd.LifecycleManagerStatus;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.testkit.PoisonRecords;
import dev.meshfleet.testkit.SecuredKafka;
import dev.meshfleet.testkit.WorkloadSimulator;

/**
 * The four services as processes, from their jars, against a secured in-process broker, with the management and
 * workload API servers in this JVM: the sandbox's fleet, with the Kafka client settings a user gives
 * ({@code -Dkafka.*} and {@code KAFKA_*} variables) instead of the sandbox's plaintext broker.
 */
final class SecuredPipeline implements AutoCloseable {
    static final List<String> CLUSTERS = List.of("cluster1", "cluster2");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration REFUSAL_TIMEOUT_MS = Duration.ofSeconds(5);

    private final RepoLayout layout = RepoLayout.locate();
    private final Path runDir;
    private MockApiServer api;
    private WorkloadSimulator simulator;
    private Services services;

    private SecuredPipeline(Path runDir) {
        this.runDir = runDir;
    }

    /**
     * Starts the API servers, registers {@link #CLUSTERS} and starts every service with the given Kafka client
     * settings; returns once all four are ready (which each is only once it has reached Kafka).
     */
    static SecuredPipeline start(String name, SecuredKafka kafka, Map<String, String> properties,
            Map<String, String> environment) throws Exception {
        return start(name, kafka, properties, environment, Map.of(), Map.of());
    }

    /**
     * As {@link #start(String, SecuredKafka, Map, Map)}, each module with variables of its own over the common ones
     * (module name to variables) and every service with further configuration keys.
     */
    static SecuredPipeline start(String name, SecuredKafka kafka, Map<String, String> properties,
            Map<String, String> environment, Map<String, Map<String, String>> moduleEnvironment,
            Map<String, String> configuration) throws Exception {
        RepoLayout layout = RepoLayout.locate();
        Path runDir = layout.root().resolve("sandbox/target/secured-kafka-it").resolve(name);
        // The last run's logs stay for a reader; its Streams state must not: a store ahead of the new broker's
        // empty changelogs would swallow this run's records as duplicates.
        deleteRecursively(runDir);
        SecuredPipeline fleet = new SecuredPipeline(runDir);
        try {
            fleet.api = MockApiServer.start();
            Registration.installCrds(fleet.api.client());
            // The workload clusters authorize no one here (these tests are about Kafka's security): the admin's kubeconfig.
            Registration.registerClusters(fleet.api, CLUSTERS, MockApiServer.ADMIN_TOKEN);
            fleet.simulator = WorkloadSimulator.start(fleet.api, CLUSTERS, Duration.ofMillis(200));
            fleet.services = new Services(layout, runDir, AgentJar.write(runDir), kafka.bootstrapServers(),
                    fleet.api.url());
            fleet.services.kafkaClient(properties, environment, moduleEnvironment, configuration);
            fleet.services.startAll(TIMEOUT, System.err);
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** Applies the example and waits until the resource is HEALTHY on every cluster: the whole pipeline ran. */
    LifecycleManagerStatus applyAndAwaitHealthy(String example) throws IOException {
        IstioLifecycleManager ilm = example(example);
        api.client().resource(ilm).create();
        String expected = CLUSTERS.size() + "/" + CLUSTERS.size();
        try {
            return await(example + " HEALTHY " + expected).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(ilm), s -> s != null && s.summary() != null
                            && "HEALTHY".equals(s.summary().state()) && expected.equals(s.summary().healthy()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; status now " + status(ilm) + "\n" + services.logTails(30), e);
        }
    }

    /** Deletes the example's resource without waiting (it stays, marked deleted, until the pipeline releases it). */
    IstioLifecycleManager delete(String example) throws IOException {
        IstioLifecycleManager ilm = example(example);
        api.client().resource(ilm).delete();
        return ilm;
    }

    /** Waits until the resource is gone from the API server. */
    void awaitGone(IstioLifecycleManager ilm) {
        try {
            await(ilm.getMetadata().getName() + " gone").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.client().resource(ilm).get() == null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; status now " + status(ilm) + "\n" + services.logTails(30), e);
        }
    }

    /** Waits until the module's log contains the text; returns the first line that does. */
    String awaitLogLine(String module, String text) {
        try {
            return await(module + " logs " + text).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> logs().getOrDefault(module, "").lines().filter(l -> l.contains(text)).findFirst()
                            .orElse(null), java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + services.logTails(30), e);
        }
    }

    private IstioLifecycleManager example(String example) throws IOException {
        try (InputStream in = Files.newInputStream(layout.examples().resolve(example))) {
            return api.client().getKubernetesSerialization().unmarshal(in, IstioLifecycleManager.class);
        }
    }

    private LifecycleManagerStatus status(IstioLifecycleManager ilm) {
        IstioLifecycleManager now = api.client().resources(IstioLifecycleManager.class)
                .inNamespace(ilm.getMetadata().getNamespace()).withName(ilm.getMetadata().getName()).get();
        return now == null ? null : now.getStatus();
    }

    /**
     * Every kind of client of the four services worked with the settings: they created the topics (admin clients),
     * took {@code examples/ilm-minimal.yaml} to HEALTHY (the intake's producer, the translator's and the aggregator's
     * Streams, the installer's consumer and producer), and dead-lettered a poison record each (the dead-letter
     * producers).
     */
    void assertEveryClientReachesTheBroker(String bootstrapServers, Map<String, String> settings) throws Exception {
        assertThat(listTopics(bootstrapServers, settings)).contains(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS,
                Topics.INSTALLATION_EVENTS, Topics.LIFECYCLE_STATUS);
        applyAndAwaitHealthy("ilm-minimal.yaml");
        assertPoisonIsDeadLetteredByEachConsumer(bootstrapServers, settings);
    }

    /** Each service's log shows the settings it read (the startup line) and never the secret. */
    void assertLogsNameTheSettingsButNever(String secret, String... shown) throws IOException {
        Map<String, String> logs = logs();
        assertThat(logs).containsOnlyKeys("spec-intake", "translator-service", "installer-service", "status-aggregator");
        logs.forEach((service, log) -> {
            assertThat(log).as(service + " log names the settings it read").contains(shown);
            assertThat(log).as(service + " log never shows the secret").doesNotContain(secret);
        });
    }

    /**
     * A poison record on each consumed topic ends in its DLQ, written by each consuming service: the dead-letter
     * producers of the translator, the installer and the aggregator reach the secured broker too. The translator
     * also reads the installation events, but only those keyed by an ExternalControlPlane (its facts, ADR 0031): a
     * poison record under another key is the aggregator's alone.
     */
    private static void assertPoisonIsDeadLetteredByEachConsumer(String bootstrapServers, Map<String, String> settings)
            throws InterruptedException {
        Map<String, String> all = new HashMap<>(settings);
        all.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        KafkaClientSettings kafka = KafkaClientSettings.of(all);
        Map<String, java.util.Set<String>> consumers = Map.of(Topics.SPEC_CHANGES, java.util.Set.of("translator-service"),
                Topics.INSTALL_PLANS, java.util.Set.of("installer-service"),
                Topics.INSTALLATION_EVENTS, java.util.Set.of("status-aggregator"));
        Map<String, List<PoisonRecords.Written>> written = new HashMap<>();
        consumers.keySet().forEach(topic -> written.put(topic, PoisonRecords.write(kafka, topic, 1)));
        for (var consumer : consumers.entrySet()) {
            List<DeadLetter> letters = PoisonRecords.awaitDeadLetters(kafka, written.get(consumer.getKey()), TIMEOUT);
            assertThat(letters).as("dead letter of the poison on " + consumer.getKey()).hasSize(1).doesNotContainNull();
            List<PoisonRecords.Written> poison = written.get(consumer.getKey());
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                    dev.meshfleet.schemas.dlq.DeadLetterQueue.read(kafka, Topics.dlq(consumer.getKey()),
                            Duration.ofSeconds(10)).stream()
                            .filter(letter -> PoisonRecords.deadLettersOf(poison, List.of(letter)).get(0) != null)
                            .map(DeadLetter::service).toList())
                    .as("services that dead-lettered the poison on " + consumer.getKey())
                    .containsExactlyInAnyOrderElementsOf(consumer.getValue()));
        }
    }

    /** Every service's log so far, one string per service. */
    private Map<String, String> logs() throws IOException {
        Map<String, String> logs = new HashMap<>();
        for (Services.Running r : services.all()) {
            logs.put(r.module(), Files.readString(r.process().logFile()));
        }
        return logs;
    }

    /** An admin client with these settings (and short timeouts) lists the topics. */
    static List<String> listTopics(String bootstrapServers, Map<String, String> settings) throws Exception {
        try (Admin admin = Admin.create(adminProperties(bootstrapServers, settings))) {
            return List.copyOf(admin.listTopics(new ListTopicsOptions().timeoutMs((int) REFUSAL_TIMEOUT_MS.toMillis()))
                    .names().get());
        }
    }

    /** An admin client with these settings is refused; returns the cause, for the caller to check its kind. */
    static Throwable refused(String bootstrapServers, Map<String, String> settings) {
        Throwable[] cause = new Throwable[1];
        assertThatThrownBy(() -> listTopics(bootstrapServers, settings)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> cause[0] = e.getCause());
        assertThat(cause[0]).isNotNull();
        return cause[0];
    }

    private static Properties adminProperties(String bootstrapServers, Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT_MS.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT_MS.toMillis());
        return p;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
