package dev.meshfleet.sandbox.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

import dev.meshfleet.schemas.KafkaClientSettings;
import picocli.CommandLine.Option;

/**
 * How the commands that read the topics connect, the way Kafka's own tools do: {@code --bootstrap-server HOST:PORT}
 * and {@code --command-config FILE}, a properties file of Kafka client settings ({@code security.protocol},
 * {@code ssl.*}, {@code sasl.*}). Without an address (given, or {@code bootstrap.servers} in the file), the broker of
 * the newest running sandbox.
 */
public final class KafkaOptions {
    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka. Default: bootstrap.servers of --command-config, else the broker of the sandbox running"
                    + " now (./meshfleet sandbox up).")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (TLS, SASL: security.protocol, ssl.truststore.location,"
                    + " sasl.mechanism, sasl.jaas.config ...), as for Kafka's own tools.")
    Path commandConfig;

    /** The client settings. @throws UsageException naming the file or saying where no broker was found */
    KafkaClientSettings settings(String command) throws UsageException {
        Map<String, String> properties = new TreeMap<>();
        if (commandConfig != null) {
            properties.putAll(read(command, commandConfig));
        }
        String given = bootstrapServer != null ? bootstrapServer
                : properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                KafkaAddress.of(given, command, "--bootstrap-server"));
        return KafkaClientSettings.of(properties);
    }

    static Map<String, String> read(String command, Path file) throws UsageException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException(command + ": --command-config " + file + " cannot be read as a properties file ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> {
            String v = p.getProperty(k).trim();
            if (!v.isEmpty()) {
                out.put(k.trim(), v);
            }
        });
        return out;
    }
}
