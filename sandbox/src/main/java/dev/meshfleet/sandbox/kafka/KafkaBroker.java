package dev.meshfleet.sandbox.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.process.ChildProcess;
import dev.meshfleet.sandbox.process.ClassDataArchive;
import dev.meshfleet.sandbox.process.JavaCommand;

/**
 * A real single-node KRaft broker (combined broker and controller) in a child JVM, its data and log under
 * one directory. Started in two steps as Kafka's own scripts do: format the storage, then run the server.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String MAIN = "kafka.Kafka";

    private volatile ChildProcess process;
    private final String bootstrapServers;
    private final Path dir;
    /** The server's command up to its main class, without the class data archive's options. */
    private final List<String> serverJvm;
    private final Path config;
    private final Path pidDir;
    /** The broker build's class data archive (ADR 0047); null for none. */
    private final ClassDataArchive archive;
    /** Where the running server records its classes as it exits, when it records; null when it maps or has none. */
    private volatile Path recording;
    private Duration firstStart;

    private KafkaBroker(String bootstrapServers, Path dir, List<String> serverJvm, Path config, Path pidDir,
            ClassDataArchive archive) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.serverJvm = List.copyOf(serverJvm);
        this.config = config;
        this.pidDir = pidDir;
        this.archive = archive;
    }

    /**
     * Formats dir/data and starts the broker; returns once it answers describeCluster.
     *
     * @param classPath the broker JVM's class path (kafka_2.13 and its runtime dependencies)
     */
    public static KafkaBroker start(Path dir, String classPath, Path agentJar, Path pidDir, Duration timeout)
            throws IOException, InterruptedException {
        return start(dir, classPath, agentJar, pidDir, timeout, null);
    }

    /**
     * As {@link #start(Path, String, Path, Path, Duration)}, with the broker build's class data archive: a start maps
     * it when it is there, and records it otherwise, written when the broker stops by itself at {@link #close()}. A
     * broker restarted after a kill starts sooner by its class loading, on a machine busy with the fleet (ADR 0047).
     *
     * @param archive null for none
     */
    public static KafkaBroker start(Path dir, String classPath, Path agentJar, Path pidDir, Duration timeout,
            ClassDataArchive archive) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int brokerPort = RepoLayout.freePort();
        int controllerPort = RepoLayout.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, controllerPort));
        Path log = dir.resolve("broker.log");
        List<String> jvm = new ArrayList<>(JavaCommand.SHORT_LIVED_JIT);
        jvm.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                // The broker logs through slf4j-simple: with the time of each line, a restart's log says where it went.
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", classPath));

        List<String> format = new ArrayList<>(JavaCommand.prefix(agentJar, "kafka-format", jvm));
        format.addAll(List.of("kafka.tools.StorageTool", "format", "--config", config.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--standalone", "--ignore-formatted"));
        ChildProcess formatter = ChildProcess.start("kafka-format", format, dir.resolve("format.log"), pidDir);
        if (!formatter.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                || formatter.process().exitValue() != 0) {
            formatter.kill();
            throw new IllegalStateException("formatting the Kafka storage failed:\n" + formatter.logTail(30));
        }
        formatter.stop(Duration.ZERO);

        Instant started = Instant.now();
        KafkaBroker broker = new KafkaBroker("127.0.0.1:" + brokerPort, dir, JavaCommand.prefix(agentJar, "kafka", jvm),
                config, pidDir, archive);
        broker.launch();
        try {
            broker.awaitReady(timeout);
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        broker.firstStart = Duration.between(started, Instant.now());
        return broker;
    }

    /** SIGKILL, as a crash: no controlled shutdown; the next start recovers the logs. */
    public void kill() {
        process.kill();
    }

    /**
     * Starts the broker again, on the same data directory, ports and cluster id (the storage is formatted once),
     * as a restarted pod with its volume; returns once it answers. A broker still running is killed first.
     */
    public synchronized void restart(Duration timeout) throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.kill();
        }
        launch();
        awaitReady(timeout);
    }

    /** Starts the server process: mapping the class data archive when there is one, else recording it. */
    private void launch() throws IOException {
        List<String> command = new ArrayList<>(serverJvm);
        recording = null;
        if (archive != null) {
            if (archive.present()) {
                command.addAll(archive.mapOptions());
            } else {
                recording = archive.partial("kafka");
                command.addAll(archive.recordOptions(recording));
            }
        }
        command.addAll(List.of(MAIN, config.toString()));
        process = ChildProcess.start("kafka", command, dir.resolve("broker.log"), pidDir);
    }

    /** How long the first start took, from the server's launch until it answered. */
    public Duration firstStart() {
        return firstStart;
    }

    static String serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        return String.join("\n",
                "# Written by the Meshfleet sandbox: one node, broker and controller in one process.",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + dataDir.toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=12",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Consumers of a fresh sandbox should get their partitions at once, not after 3s.
                "group.initial.rebalance.delay.ms=0",
                // A restarted node finds its previous incarnation's broker registration in the metadata log, and its
                // own registration is refused (DUPLICATE_BROKER_REGISTRATION) until that one's session has timed out:
                // 9 s of a restart's 13 s at the default, 3 s at 3 s. One node in one process: 2 s is four heartbeats.
                "broker.session.timeout.ms=2000",
                "broker.heartbeat.interval.ms=500",
                // Topics are created by TopicAdmin with their cleanup policies; a typo must not create one.
                "auto.create.topics.enable=false",
                "")
                ;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        ChildProcess process = this.process;
        Instant deadline = Instant.now().plus(timeout);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        String lastError = "";
        try (Admin admin = Admin.create(props)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with " + process.process().exitValue()
                            + ":\n" + process.logTail(40));
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                            .get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    lastError = e.toString();
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer within " + timeout + " (" + lastError
                + "); its log ends with:\n" + process.logTail(40));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public ChildProcess process() {
        return process;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Stops the broker (SIGTERM: a controlled shutdown); a broker that recorded its classes writes the archive as it
     * exits. Returns the archive written, else null.
     */
    public Path stopAndArchive() {
        Path partial = recording;
        boolean byItself = process.stop(Duration.ofSeconds(partial == null ? 15 : 60));
        if (partial == null) {
            return null;
        }
        try {
            return archive.complete(partial, byItself) ? archive.file() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stopAndArchive();
    }
}
