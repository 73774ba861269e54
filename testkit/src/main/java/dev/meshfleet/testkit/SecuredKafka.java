package dev.meshfleet.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft broker (one combined broker and controller) inside the test JVM whose client listener is secured as
 * production listeners are: SASL/PLAIN over plaintext, or TLS with client certificates required. Unlike
 * {@link InProcessKafka} it is not shared: a test starts one and closes it. {@link #clientProperties()} are the
 * Kafka client properties a client with credentials needs (what a service gets as {@code kafka.*}); a client
 * without them is refused.
 *
 * <p>Kafka's test kit (4.1) builds SASL listeners only with the PLAIN mechanism, and writes a JAAS file for the
 * broker that it names in the JVM-wide {@code java.security.auth.login.config}; the listener here takes its users
 * from its own {@code listener.name.external.plain.sasl.jaas.config} instead, and a client without
 * {@code sasl.jaas.config} finds no client section in that file. The kit refuses an SSL broker protocol, so the TLS
 * listener is made SSL through {@code listener.security.protocol.map}.
 */
public final class SecuredKafka implements AutoCloseable {
    private static final String LISTENER = "EXTERNAL";
    private static final String BROKER_USER = "broker";

    private final KafkaClusterTestKit cluster;
    private final Map<String, String> clientProperties;
    private final Map<String, Map<String, String>> users;

    private SecuredKafka(KafkaClusterTestKit cluster, Map<String, String> clientProperties,
            Map<String, Map<String, String>> users) {
        this.cluster = cluster;
        this.clientProperties = Map.copyOf(clientProperties);
        this.users = Map.copyOf(users);
    }

    /** A SASL_PLAINTEXT listener (mechanism PLAIN) that knows one user besides the broker's own; no authorizer. */
    public static SecuredKafka saslPlain(String user, String password) {
        // Authentication only: the kit would add an authorizer that also refuses the broker's own registration on
        // the plaintext controller listener. ACLs: saslPlainAuthorizing.
        return saslPlain(user, Map.of(user, password), Map.of("authorizer.class.name", ""));
    }

    /**
     * A SASL_PLAINTEXT listener (mechanism PLAIN) with Kafka's KRaft authorizer ({@code StandardAuthorizer}): every
     * request needs an ACL, as on a Strimzi cluster with {@code authorization: simple}. {@code superUser} may do
     * anything (it creates the topics and the ACLs, as Strimzi's operators do); each of {@code users} (name to
     * password) only what its ACLs allow, as principal {@code User:<name>}. {@link #clientProperties()} are the
     * super user's, {@link #clientProperties(String)} a user's.
     *
     * <p>The broker registers with its controller over the kit's plaintext controller listener, as principal
     * {@code User:ANONYMOUS}, which is therefore a super user too; clients never reach that listener (it is not in
     * {@link #bootstrapServers()}), and on the client listener every principal is an authenticated user.
     */
    public static SecuredKafka saslPlainAuthorizing(String superUser, String superUserPassword, Map<String, String> users) {
        Map<String, String> all = new LinkedHashMap<>(users);
        all.put(superUser, superUserPassword);
        return saslPlain(superUser, all, Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "false",
                "super.users", "User:" + BROKER_USER + ";User:" + superUser + ";User:ANONYMOUS"));
    }

    /** A PLAIN listener knowing {@code users} (name to password) and the broker; clientProperties() are client's. */
    private static SecuredKafka saslPlain(String client, Map<String, String> users, Map<String, String> authorization) {
        String brokerPassword = "broker-" + java.util.UUID.randomUUID();
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\"");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        TestKitNodes nodes = InProcessKafka.oneNode().setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        KafkaClusterTestKit.Builder builder = InProcessKafka.small(new KafkaClusterTestKit.Builder(nodes))
                .setConfigProp("listener.name." + LISTENER.toLowerCase() + ".plain.sasl.jaas.config", jaas + ";");
        authorization.forEach(builder::setConfigProp);
        Map<String, Map<String, String>> clients = new LinkedHashMap<>();
        users.forEach((user, password) -> clients.put(user, plainClient(user, password)));
        return start(builder, clients.get(client), clients);
    }

    private static Map<String, String> plainClient(String user, String password) {
        Map<String, String> client = new LinkedHashMap<>();
        client.put("security.protocol", "SASL_PLAINTEXT");
        client.put("sasl.mechanism", "PLAIN");
        client.put("sasl.jaas.config", plainJaas(user, password));
        return client;
    }

    /**
     * A TLS listener that requires a client certificate; the CA, the broker's and the client's key stores are
     * written under dir (PKCS12, every store with the given password).
     */
    public static SecuredKafka tls(Path dir, String storePassword) {
        TestCertificates ca = TestCertificates.authority("meshfleet-test-ca");
        Path truststore = ca.writeTrustStore(dir.resolve("truststore.p12"), storePassword);
        Path brokerKeys = ca.writeKeyStore("broker", dir.resolve("broker.p12"), storePassword);
        Path clientKeys = ca.writeKeyStore("meshfleet", dir.resolve("client.p12"), storePassword);
        KafkaClusterTestKit.Builder builder = InProcessKafka.small(new KafkaClusterTestKit.Builder(InProcessKafka.oneNode().build()))
                .setConfigProp("listener.security.protocol.map", LISTENER + ":SSL,CONTROLLER:PLAINTEXT")
                .setConfigProp("ssl.client.auth", "required")
                .setConfigProp("ssl.keystore.type", "PKCS12")
                .setConfigProp("ssl.keystore.location", brokerKeys.toString())
                .setConfigProp("ssl.keystore.password", storePassword)
                .setConfigProp("ssl.key.password", storePassword)
                .setConfigProp("ssl.truststore.type", "PKCS12")
                .setConfigProp("ssl.truststore.location", truststore.toString())
                .setConfigProp("ssl.truststore.password", storePassword);
        Map<String, String> client = new LinkedHashMap<>();
        client.put("security.protocol", "SSL");
        client.put("ssl.truststore.type", "PKCS12");
        client.put("ssl.truststore.location", truststore.toString());
        client.put("ssl.truststore.password", storePassword);
        client.put("ssl.keystore.type", "PKCS12");
        client.put("ssl.keystore.location", clientKeys.toString());
        client.put("ssl.keystore.password", storePassword);
        return start(builder, client, Map.of());
    }

    private static SecuredKafka start(KafkaClusterTestKit.Builder builder, Map<String, String> client,
            Map<String, Map<String, String>> users) {
        KafkaClusterTestKit cluster = null;
        try {
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new SecuredKafka(cluster, client, users);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot start the secured in-process Kafka broker: " + e, e);
        }
    }

    static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** What a client needs besides {@code bootstrap.servers}: security protocol and credentials. */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** What a client needs to connect as one of the SASL users this broker was started with. */
    public Map<String, String> clientProperties(String user) {
        Map<String, String> client = users.get(user);
        if (client == null) {
            throw new IllegalArgumentException("no user " + user + " on this broker; users: " + users.keySet());
        }
        return client;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // a test is over; nothing depends on a clean broker stop
        }
    }
}
