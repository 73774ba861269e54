package dev.meshfleet.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka broker (one combined broker and controller) inside the test JVM. Tests talk
 * to it over loopback exactly as services talk to a production cluster. One per test JVM: take it
 * with {@link #shared()}.
 */
public final class InProcessKafka implements AutoCloseable {
    private static InProcessKafka shared;
    private final KafkaClusterTestKit cluster;

    private InProcessKafka() {
        try {
            cluster = small(new KafkaClusterTestKit.Builder(oneNode().build())).build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker: " + e, e);
        }
    }

    /** One node, broker and controller in one. */
    static TestKitNodes.Builder oneNode() {
        return new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1);
    }

    /**
     * Small and quick: one replica of everything, few internal partitions, no rebalance delay, no topic created by a
     * typo.
     */
    static KafkaClusterTestKit.Builder small(KafkaClusterTestKit.Builder builder) {
        return builder.setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("num.partitions", "1")
                .setConfigProp("default.replication.factor", "1");
    }

    /**
     * The broker of this JVM, started on first use. It is stopped by {@link TestSessionEnd} once the
     * JUnit session is over, not by a JVM shutdown hook: stopping a broker while the JVM is already
     * exiting raced with the other shutdown hooks and left test forks with a non-zero exit code
     * after every test had passed.
     */
    public static synchronized InProcessKafka shared() {
        if (shared == null) {
            shared = new InProcessKafka();
        }
        return shared;
    }

    /** Stops the shared broker if one was started; a later {@link #shared()} starts a new one. */
    static synchronized void closeShared() {
        if (shared != null) {
            System.err.println("testkit: JUnit session over, stopping the in-process Kafka broker at "
                    + shared.bootstrapServers());
            shared.close();
            shared = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // the JVM is going away; nothing depends on a clean broker stop
        }
    }
}
