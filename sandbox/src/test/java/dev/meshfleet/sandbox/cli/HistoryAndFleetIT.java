package dev.meshfleet.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.TopicAdmin;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.OwnerRef;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.InProcessKafka;
import dev.meshfleet.translation.Canonical;

/**
 * {@code ./meshfleet history} and {@code fleet} against the real in-process broker, over records as spec-intake, its
 * webhook and the installer write them: a resource created by platform-admin and upgraded by mesh-operator. Its name
 * and clusters are this run's own, so records of other tests on the shared broker do not matter.
 */
class HistoryAndFleetIT {
    static final String BOOTSTRAP = InProcessKafka.shared().bootstrapServers();
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String NAME = "it-" + RUN;
    static final String KEY = "IstioLifecycleManager/gloo-mesh/" + NAME;
    static final String C1 = "c1-" + RUN;
    static final String C2 = "c2-" + RUN;
    static final String V1 = "{\"installations\":[{\"clusters\":[{\"name\":\"" + C1 + "\"},{\"name\":\"" + C2
            + "\"}],\"istioOperatorSpec\":{\"tag\":\"1.24.2-solo\"},\"revision\":\"1-24\"}]}";
    static final String V2 = V1.replace("1.24.2-solo", "1.24.3-solo");
    /**
     * The resource's story, in seconds from T0: created at 1, HEALTHY on both by 5, upgraded at 20, HEALTHY again by 24.
     * Its records are stamped when sent, minutes after: within the time an event may take to reach the topic
     * ({@code HistoryTopics.LATEST_ARRIVAL}, ADR 0036), as the services' events do.
     */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(5, ChronoUnit.MINUTES);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static Instant t(int s) {
        return T0.plusSeconds(s);
    }

    @BeforeAll
    static void theRecordsOfACreateAndAnUpgrade() throws Exception {
        TopicAdmin.ensure(BOOTSTRAP, TopicAdmin.definitions(3), (short) 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (var changes = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(SpecChange.class).serializer());
                var admissions = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(AdmissionRecord.class).serializer());
                var events = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(InstallationEvent.class).serializer())) {
            // Chained as spec-intake writes them (ADR 0033; AuditChainIT holds the intake to that).
            AdmissionRecord created = chained(admission(1, V1, "CREATE", "platform-admin", 0), AuditChain.GENESIS);
            SpecChange generation1 = chained(change(1, V1, 1), AuditChain.GENESIS);
            admissions.send(new ProducerRecord<>(Topics.ADMISSIONS, KEY, created)).get();
            changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, KEY, generation1)).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(1, C1, "INSTALL_PENDING", 1))).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(1, C1, "HEALTHY", 4))).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(1, C2, "HEALTHY", 5))).get();
            admissions.send(new ProducerRecord<>(Topics.ADMISSIONS, KEY, chained(admission(2, V2, "UPDATE",
                    "mesh-operator", 19), created.getChainHash()))).get();
            changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, KEY, chained(change(2, V2, 20),
                    generation1.getChainHash()))).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(2, C1, "UPDATING_CONTROL_PLANE", 21))).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(2, C1, "HEALTHY", 24))).get();
            events.send(new ProducerRecord<>(Topics.INSTALLATION_EVENTS, KEY, event(2, C2, "HEALTHY", 23))).get();
        }
    }

    static SpecChange chained(SpecChange c, String previous) {
        c.setChainHash(AuditChain.link(previous, AuditChain.content(c)));
        return c;
    }

    static AdmissionRecord chained(AdmissionRecord a, String previous) {
        a.setChainHash(AuditChain.link(previous, AuditChain.content(a)));
        return a;
    }

    static SpecChange change(long generation, String spec, int second) {
        return change(NAME, generation, spec, second);
    }

    static SpecChange change(String name, long generation, String spec, int second) {
        return SpecChange.newBuilder().setUid("uid-" + RUN).setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("gloo-mesh").setName(name).setGeneration(generation).setResourceVersion("" + generation)
                .setOperation(Operation.UPSERT).setActor("kubectl-client-side-apply").setObservedAt(t(second))
                .setSpecJson(spec).build();
    }

    static AdmissionRecord admission(long generation, String spec, String operation, String user, int second) {
        return AdmissionRecord.newBuilder().setRequestUid("req-" + generation).setUid("uid-" + RUN)
                .setKind(ResourceKind.IstioLifecycleManager).setNamespace("gloo-mesh").setName(NAME)
                .setGeneration(generation).setSpecHash(Canonical.specHash(Canonical.parse(spec))).setOperation(operation)
                .setUsername(user).setGroups(List.of()).setAdmittedAt(t(second)).build();
    }

    static InstallationEvent event(long generation, String cluster, String state, int second) {
        return InstallationEvent.newBuilder().setOwner(OwnerRef.newBuilder().setKind(ResourceKind.IstioLifecycleManager)
                .setNamespace("gloo-mesh").setName(NAME).setUid("uid-" + RUN).build()).setGeneration(generation)
                .setCluster(cluster).setRevision("1-24").setState(state).setSource("installer/installer-0")
                .setTime(t(second)).build();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void historyThroughACommandConfigFileShowsBothUsersTheTagAndEachClustersTransitions() throws Exception {
        Path config = Files.createTempFile("command-config", ".properties");
        Files.writeString(config, "bootstrap.servers=" + BOOTSTRAP + "\nsecurity.protocol=PLAINTEXT\n");
        assertThat(run("history", KEY, "--command-config", config.toString())).as(err.toString()).isZero();
        assertThat(out()).contains("GENERATION 1  " + t(0) + "  by platform-admin\n",
                "GENERATION 2  " + t(19) + "  by mesh-operator\n",
                "spec.installations[0].istioOperatorSpec.tag: \"1.24.2-solo\" -> \"1.24.3-solo\"",
                C1 + "/1-24: INSTALL_PENDING " + t(1) + ", HEALTHY " + t(4),
                C1 + "/1-24: UPDATING_CONTROL_PLANE " + t(21) + ", HEALTHY " + t(24));
    }

    @Test
    void historyOfOneClusterAcrossResources() {
        assertThat(run("history", "--cluster", C2, "--bootstrap-server", BOOTSTRAP)).as(err.toString()).isZero();
        assertThat(out()).startsWith("== " + KEY + "\n").contains(C2 + "/1-24: HEALTHY " + t(5))
                .doesNotContain(C1 + "/1-24");
        assertThat(run("history", "--cluster", "nowhere-" + RUN, "--bootstrap-server", BOOTSTRAP)).isZero();
        assertThat(out()).isEqualTo("no change touched cluster nowhere-" + RUN + " in the time asked\n");
    }

    @Test
    void theFleetBetweenTheTwoChangesHasTheOldTagHealthyAndTheDiffNamesTheUpgrade() {
        assertThat(run("fleet", "--at", t(10).toString(), "--cluster", C1, "--bootstrap-server", BOOTSTRAP))
                .as(err.toString()).isZero();
        assertThat(out().lines().toList()).containsExactly("fleet at " + t(10),
                "RESOURCE" + " ".repeat(KEY.length() - 5) + "CLUSTER" + " ".repeat(C1.length() - 4) + "REVISION   GENERATION   TAG           STATE     SINCE",
                KEY + "   " + C1 + "   1-24       1            1.24.2-solo   HEALTHY   " + t(4));
        assertThat(run("fleet", "--diff", t(10).toString(), t(30).toString(), "--cluster", C2, "-o", "json",
                "--bootstrap-server", BOOTSTRAP)).isZero();
        assertThat(out()).contains("\"before\" : \"generation 1 tag 1.24.2-solo HEALTHY\"",
                "\"after\" : \"generation 2 tag 1.24.3-solo HEALTHY\"");
    }

    @Test
    void theChainOfAnUntouchedResourceIsIntact() {
        assertThat(run("history", KEY, "--verify", "--bootstrap-server", BOOTSTRAP)).as(err.toString()).isZero();
        assertThat(out().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("chain intact: "))
                .anySatisfy(l -> assertThat(l).startsWith("chain intact: meshfleet.spec-changes " + KEY
                        + ": 2 record(s) chained, head "))
                .anySatisfy(l -> assertThat(l).startsWith("chain intact: meshfleet.admissions " + KEY
                        + ": 2 record(s) chained, head "));
    }

    @Test
    void aRecordForgedOnTheTopicIsNamedByVerify() throws Exception {
        String name = "forged-" + RUN;
        String key = "IstioLifecycleManager/gloo-mesh/" + name;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (var changes = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(SpecChange.class).serializer())) {
            SpecChange genuine = chained(change(name, 1, V1, 1), AuditChain.GENESIS);
            changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key, genuine)).get();
            assertThat(run("history", key, "--verify", "--bootstrap-server", BOOTSTRAP)).as(out()).isZero();
            // By hand: a generation 2 nobody asked for, with no hash, and one with a well-formed link.
            var bare = changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key, change(name, 2, V2, 2))).get();
            assertThat(run("history", key, "--verify", "--bootstrap-server", BOOTSTRAP)).isEqualTo(1);
            assertThat(out()).contains("chain broken: meshfleet.spec-changes-" + bare.partition() + "@" + bare.offset()
                    + " (generation 2 UPSERT observed " + t(2) + "): it has no chain hash, yet records before it have one:"
                    + " it was not written by spec-intake");
        }
        String key2 = key + "-2";
        try (var changes = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(SpecChange.class).serializer())) {
            SpecChange genuine = chained(change(name + "-2", 1, V1, 1), AuditChain.GENESIS);
            changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key2, genuine)).get();
            var forged = changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key2,
                    chained(change(name + "-2", 2, V2, 2), genuine.getChainHash()))).get();
            // spec-intake, which never saw the forged record, writes the next change on its own head.
            changes.send(new ProducerRecord<>(Topics.SPEC_CHANGES, key2, chained(change(name + "-2", 2, V2.replace(
                    "1.24.3", "1.24.4"), 3), genuine.getChainHash()))).get();
            assertThat(run("history", key2, "--verify", "--bootstrap-server", BOOTSTRAP)).isEqualTo(1);
            assertThat(out()).contains("chain broken: meshfleet.spec-changes-" + forged.partition() + "@"
                    + forged.offset() + " (generation 2 UPSERT observed " + t(2) + "): the record after it chains to"
                    + " the one before it: it was written outside the chain (forged or replayed)");
        }
    }

    @Test
    void aResourceThatNeverExistedAndABrokerThatDoesNotAnswerAreNamed() {
        String never = "IstioLifecycleManager/gloo-mesh/never-" + RUN;
        assertThat(run("history", never, "--bootstrap-server", BOOTSTRAP)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("history: " + never + " has no change on the topics at "
                + BOOTSTRAP + " (it never existed, or its name is misspelt)").doesNotContain("Exception");
        assertThat(run("fleet", "--bootstrap-server", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Kafka at 127.0.0.1:1 did not answer within 10s")
                .doesNotContain("Exception");
    }
}
