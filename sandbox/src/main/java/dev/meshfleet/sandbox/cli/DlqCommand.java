package dev.meshfleet.sandbox.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.dlq.DeadLetter;
import dev.meshfleet.schemas.dlq.DeadLetterQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./meshfleet dlq list|replay TOPIC}: the dead letters of a topic, shown or written back to their source. */
@Command(name = "dlq", description = "The dead-letter topics: what a service could not decode or process. Say 'list'"
        + " or 'replay'.")
public final class DlqCommand implements Callable<Integer> {
    /** Added to a replayed record: the DLQ position it came from, so a second failure can be traced to the first. */
    public static final String REPLAYED_FROM = "meshfleet.replayed-from";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("dlq: say 'list' or 'replay', e.g. ./meshfleet dlq list meshfleet.spec-changes");
    }

    /** What list and replay share: the topic and where Kafka is. */
    abstract static class OnTopic implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TOPIC", description = "The source topic (meshfleet.spec-changes) or its"
                + " DLQ (meshfleet.spec-changes.dlq).")
        String topic;
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "Kafka. Default: the broker of the sandbox running now (./meshfleet sandbox up).")
        String bootstrapServers;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        final PrintStream out;

        OnTopic(PrintStream out) {
            this.out = out;
        }

        String dlqTopic() {
            return topic.endsWith(Topics.DLQ_SUFFIX) ? topic : Topics.dlq(topic);
        }

        String bootstrap() throws UsageException {
            return KafkaAddress.of(bootstrapServers, "dlq", "--bootstrap-servers");
        }

        List<DeadLetter> read(String bootstrap) throws UsageException {
            try {
                return DeadLetterQueue.read(bootstrap, dlqTopic(), TIMEOUT);
            } catch (IllegalArgumentException e) {
                throw new UsageException("dlq: there is no topic " + dlqTopic() + " at " + bootstrap);
            }
        }
    }

    @Command(name = "list", description = {"Show every dead letter of TOPIC's DLQ: its offset, when it was written,"
            + " where it came from (topic-partition@offset), the service that gave up on it and why.",
            "Exit status: 0 (also when the DLQ is empty), 2 no such topic or Kafka unreachable."})
    public static final class ListLetters extends OnTopic {
        ListLetters(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() throws UsageException {
            String bootstrap = bootstrap();
            out.print(table(dlqTopic(), read(bootstrap)));
            return Main.HEALTHY;
        }
    }

    @Command(name = "replay", description = {"Write every dead letter of TOPIC's DLQ back to the topic it came from"
            + " (its key, value and a " + REPLAYED_FROM + " header), then remove them from the DLQ. A record that"
            + " fails again comes back to the DLQ as a new dead letter.",
            "Exit status: 0, 2 no such topic or Kafka unreachable."})
    public static final class Replay extends OnTopic {
        Replay(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() throws Exception {
            String bootstrap = bootstrap();
            List<DeadLetter> letters = read(bootstrap);
            if (letters.isEmpty()) {
                out.println(dlqTopic() + " is empty: nothing to replay");
                return Main.HEALTHY;
            }
            Map<String, Integer> perTopic = new TreeMap<>();
            Map<TopicPartition, Long> replayedUpTo = new HashMap<>();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                List<Future<RecordMetadata>> sent = new java.util.ArrayList<>();
                for (DeadLetter d : letters) {
                    String target = d.replayTopic(Topics.DLQ_SUFFIX);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(target, d.key(), d.value());
                    record.headers().add(REPLAYED_FROM, (d.topic() + "-" + d.partition() + "@" + d.offset())
                            .getBytes(StandardCharsets.UTF_8));
                    sent.add(producer.send(record));
                    perTopic.merge(target, 1, Integer::sum);
                    replayedUpTo.merge(new TopicPartition(d.topic(), d.partition()), d.offset() + 1, Math::max);
                }
                for (Future<RecordMetadata> f : sent) {
                    f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            // Only what was written back, and only once the broker confirmed all of it, leaves the DLQ.
            Properties a = new Properties();
            a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(a)) {
                Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
                replayedUpTo.forEach((tp, offset) -> delete.put(tp, RecordsToDelete.beforeOffset(offset)));
                admin.deleteRecords(delete).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            StringBuilder where = new StringBuilder();
            perTopic.forEach((t, n) -> where.append(where.isEmpty() ? "" : ", ").append(n).append(" to ").append(t));
            out.println("replayed " + letters.size() + " dead letter(s) from " + dlqTopic() + " (" + where
                    + ") and removed them from " + dlqTopic());
            return Main.HEALTHY;
        }
    }

    /** The dead letters as a table, one per line, and a closing count. */
    static String table(String dlqTopic, List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return dlqTopic + ": no dead letters\n";
        }
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"OFFSET", "TIME", "SOURCE", "SERVICE", "ERROR"});
        for (DeadLetter d : letters) {
            rows.add(new String[] {d.partition() + "@" + d.offset(),
                    TIME.format(d.time().truncatedTo(ChronoUnit.MILLIS)),
                    d.sourceTopic().isEmpty() ? "?" : d.sourceTopic() + "-" + d.sourcePartition() + "@" + d.sourceOffset(),
                    d.service().isEmpty() ? "?" : d.service(),
                    (d.errorClass().isEmpty() ? "" : simpleName(d.errorClass()) + ": ") + d.error()});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                s.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            s.append(row[4]).append('\n');
        }
        s.append(letters.size()).append(" dead letter(s) in ").append(dlqTopic).append('\n');
        return s.toString();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
