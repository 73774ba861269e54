package dev.meshfleet.schemas;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka client configuration a user gives a service, the Quarkus way: every key under {@code kafka.} is a
 * Kafka client property ({@code kafka.security.protocol=SASL_SSL} is {@code security.protocol}), and every
 * producer, consumer, admin client and Kafka Streams instance of the service gets all of them. As environment
 * variables, {@code KAFKA_SECURITY_PROTOCOL} is {@code security.protocol} (lower case, {@code _} read as
 * {@code .}), for the Kafka client configurations only: Kubernetes' service links put {@code KAFKA_PORT} and
 * {@code KAFKA_SERVICE_HOST} into every pod of a namespace with a Service named {@code kafka}, and those are no
 * client settings. A {@code kafka.} property and a variable for the same key: the property's value (Quarkus
 * already resolves it against the environment). Blank values are no setting (an unset Helm value).
 *
 * <p>A client's own settings win over the user's ({@link #with}): they are what the service relies on (acks=all
 * and idempotence, the translator's exactly_once_v2, the installer's group, assignor and uncommitted offsets,
 * each service's client ids, the timeouts a service waits on) or they have a {@code meshfleet.*} key of their
 * own (group instance id, session timeout, replication). A user key a client replaces is logged by name, never
 * by value: {@code sasl.jaas.config} and the {@code ssl.*} passwords are secrets ({@link #describe}).
 */
public final class KafkaClientSettings {
    /** Where Quarkus users put Kafka client properties. */
    public static final String PREFIX = "kafka.";
    /** Without {@code kafka.bootstrap.servers}: a broker on this host, as Kafka's own tools assume. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    private static final String ENV_PREFIX = "kafka_";
    private static final String HIDDEN = "[hidden]";
    /**
     * The prefixes by which a Kafka Streams setting goes to one of its clients only; a service setting
     * {@code producer.acks} replaces a user's {@code acks} for the Streams producer.
     */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of("producer.", "consumer.", "main.consumer.",
            "restore.consumer.", "global.consumer.", "admin.");
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientSettings.class);
    private static final Map<String, ConfigDef.ConfigKey> CLIENT_CONFIGS = clientConfigs();

    private final Map<String, String> user;

    private KafkaClientSettings(Map<String, String> user) {
        this.user = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(user));
    }

    /** Client properties as they are, without the prefix ({@code security.protocol}, not {@code kafka.security.protocol}). */
    public static KafkaClientSettings of(Map<String, String> clientProperties) {
        return new KafkaClientSettings(clientProperties);
    }

    /** Only a broker address: an unsecured listener, as the sandbox and most tests have. */
    public static KafkaClientSettings bootstrap(String bootstrapServers) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The service's configuration: MicroProfile Config's property names (environment variables among them). */
    public static KafkaClientSettings fromConfig(org.eclipse.microprofile.config.Config config) {
        return from(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
    }

    /**
     * The client properties among configuration names, each looked up by {@code value}: the rule of the class
     * comment, without a configuration library.
     */
    public static KafkaClientSettings from(Iterable<String> names, Function<String, Optional<String>> value) {
        Map<String, String> properties = new TreeMap<>();
        Map<String, String> fromEnvironment = new TreeMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(PREFIX) && lower.length() > PREFIX.length()) {
                value.apply(name).filter(v -> !v.isBlank())
                        .ifPresent(v -> properties.put(lower.substring(PREFIX.length()), v));
            } else if (lower.startsWith(ENV_PREFIX) && name.equals(name.toUpperCase(Locale.ROOT))) {
                String key = lower.substring(ENV_PREFIX.length()).replace('_', '.');
                if (CLIENT_CONFIGS.containsKey(key)) {
                    value.apply(name).filter(v -> !v.isBlank()).ifPresent(v -> fromEnvironment.put(key, v));
                }
            }
        }
        fromEnvironment.forEach(properties::putIfAbsent);
        return new KafkaClientSettings(properties);
    }

    /** Every client property the user gave, by key (without the prefix). */
    public Map<String, String> user() {
        return user;
    }

    public String bootstrapServers() {
        return user.getOrDefault(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
    }

    /** The user's properties with a client's own settings on top: what the client is built with. */
    public Map<String, Object> with(Map<String, ?> own) {
        Map<String, Object> merged = new LinkedHashMap<>(user);
        merged.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        merged.putAll(own);
        return merged;
    }

    /**
     * The user's keys that a client's own settings replace with another value: the same key, or (for a Kafka
     * Streams instance) the key under one of its clients' prefixes.
     */
    public SortedSet<String> ignoredBy(Map<String, ?> own) {
        SortedSet<String> ignored = new TreeSet<>();
        user.forEach((key, value) -> {
            if (differs(own, key, value)) {
                ignored.add(key);
            }
            for (String prefix : STREAMS_CLIENT_PREFIXES) {
                if (differs(own, prefix + key, value)) {
                    ignored.add(key);
                }
            }
        });
        return ignored;
    }

    private static boolean differs(Map<String, ?> own, String key, String userValue) {
        return own.containsKey(key) && !String.valueOf(own.get(key)).equals(userValue);
    }

    /**
     * For a log line: each key with its value, except the value of a password-type Kafka configuration
     * ({@code sasl.jaas.config}, {@code ssl.keystore.password}, ...) and of any key Kafka's clients do not know
     * (a plug-in's own setting may hold a secret), which read {@code [hidden]}.
     */
    public String describe() {
        return user.entrySet().stream()
                .map(e -> e.getKey() + "=" + (shown(e.getKey()) ? e.getValue() : HIDDEN))
                .collect(Collectors.joining(", "));
    }

    private static boolean shown(String key) {
        ConfigDef.ConfigKey known = CLIENT_CONFIGS.get(key);
        return known != null && known.type != ConfigDef.Type.PASSWORD;
    }

    /**
     * {@link #with} as Properties for a Kafka client constructor, logging (once per client, at WARN) the user's
     * keys that the client's own settings replace, by name only.
     */
    public Properties forClient(String client, Map<String, ?> own) {
        SortedSet<String> ignored = ignoredBy(own);
        if (!ignored.isEmpty()) {
            LOG.warn("{}: {} of the kafka.* settings not used; the service sets {} itself", client,
                    String.join(", ", ignored), ignored.size() == 1 ? "it" : "them");
        }
        Properties p = new Properties();
        p.putAll(with(own));
        return p;
    }

    private static Map<String, ConfigDef.ConfigKey> clientConfigs() {
        Map<String, ConfigDef.ConfigKey> keys = new TreeMap<>();
        for (ConfigDef def : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef())) {
            def.configKeys().forEach(keys::putIfAbsent);
        }
        return Map.copyOf(keys);
    }

    /** The Kafka client configurations by name (producer, consumer, admin), for tests. */
    static Set<String> clientConfigNames() {
        return new HashSet<>(CLIENT_CONFIGS.keySet());
    }

    @Override
    public String toString() {
        return "KafkaClientSettings[" + describe() + "]";
    }
}
