package dev.meshfleet.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.meshfleet.sandbox.Sandbox;
import dev.meshfleet.sandbox.cli.Main;
import dev.meshfleet.sandbox.fleet.ChartRbac;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.audit.TopicScan;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Issue 11's acceptance on a fleet with the admission webhook: the seed ILM applied as platform-admin, then a tag
 * upgrade as mesh-operator; {@code history} names both users, the tag old -> new and each cluster's transitions;
 * {@code fleet --at} between the two shows the old tag HEALTHY; {@code history --verify} passes, and after a record
 * is forged on the topic it fails naming that record. One fleet, one test: the steps build on each other.
 */
class AuditE2E {
    static final String KEY = "IstioLifecycleManager/gloo-mesh/istiod-control-plane";
    static Fleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = Fleet.startWithAdmission(List.of("cluster1", "cluster2"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", fleet.sandbox.broker().bootstrapServers()));
        int exit = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whoChangedTheControlPlaneWhatChangedAndWhatEachClusterDidAndTheFleetBetweenTheChanges() throws Exception {
        String seed = Files.readString(fleet.example("ilm-minimal.yaml"));
        assertThat(fleet.sandbox.tryApply(fleet.example("ilm-minimal.yaml"), ChartRbac.PLATFORM_ADMIN))
                .isInstanceOf(Sandbox.Applied.Done.class);
        assertThat(fleet.settle().allHealthy()).isTrue();
        Instant between = Instant.now();
        assertThat(fleet.sandbox.tryApply(fleet.manifest("upgrade.yaml", seed.replace("tag: 1.24.2-solo",
                "tag: 1.24.3-solo")), ChartRbac.MESH_OPERATOR)).isInstanceOf(Sandbox.Applied.Done.class);
        assertThat(fleet.settle().allHealthy()).isTrue();

        Run history = run("history", KEY);
        assertThat(history.exit()).as(history.err()).isZero();
        List<String> lines = history.out().lines().toList();
        System.err.print(history.out());
        assertThat(lines.stream().filter(l -> l.startsWith("GENERATION ")).toList()).hasSize(2)
                .satisfies(g -> assertThat(g.get(0)).startsWith("GENERATION 1 ").contains(" by platform-admin"))
                .satisfies(g -> assertThat(g.get(1)).startsWith("GENERATION 2 ").contains(" by mesh-operator"));
        assertThat(history.out()).contains(
                "spec.installations[0].istioOperatorSpec.tag: \"1.24.2-solo\" -> \"1.24.3-solo\"");
        String generation2 = history.out().substring(history.out().indexOf("GENERATION 2 "));
        for (String cluster : List.of("cluster1", "cluster2")) {
            assertThat(generation2.lines().filter(l -> l.startsWith("  " + cluster + "/1-24: ")).toList())
                    .singleElement().satisfies(l -> assertThat(l).containsPattern("HEALTHY \\d{4}-\\d\\d-\\d\\dT")
                            .contains("(HEALTHY after ").endsWith("ended HEALTHY"));
        }

        Run fleetThen = run("fleet", "--at", between.toString());
        assertThat(fleetThen.exit()).as(fleetThen.err()).isZero();
        System.err.print(fleetThen.out());
        for (String cluster : List.of("cluster1", "cluster2")) {
            assertThat(fleetThen.out().lines().filter(l -> l.startsWith(KEY + " ") && l.contains(" " + cluster + " "))
                    .toList()).singleElement().satisfies(l -> assertThat(l.split(" +")).containsSubsequence(
                            KEY, cluster, "1-24", "1", "1.24.2-solo", "HEALTHY"));
        }

        Run verified = run("history", KEY, "--verify");
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("chain intact: meshfleet.spec-changes " + KEY + ": ",
                "chain intact: meshfleet.admissions " + KEY + ": ");

        // By hand on the topic: generation 2 again, its spec back to the old tag, its chain hash copied.
        KafkaClientSettings kafka = KafkaClientSettings.bootstrap(fleet.sandbox.broker().bootstrapServers());
        List<TopicScan.Read<SpecChange>> changes = new TopicScan(kafka, java.time.Duration.ofSeconds(10))
                .read(Topics.SPEC_CHANGES, java.util.Optional.of(KEY), SpecChange.class, c -> c).records();
        SpecChange last = changes.get(changes.size() - 1).value();
        SpecChange forged = SpecChange.newBuilder(last).setSpecJson(last.getSpecJson().replace("1.24.3-solo",
                "1.24.2-solo")).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.sandbox.broker().bootstrapServers());
        var written = new Object() {
            org.apache.kafka.clients.producer.RecordMetadata meta;
        };
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(SpecChange.class).serializer())) {
            written.meta = producer.send(new ProducerRecord<>(Topics.SPEC_CHANGES, KEY, forged)).get();
        }
        Run broken = run("history", KEY, "--verify");
        assertThat(broken.exit()).as(broken.out() + broken.err()).isEqualTo(1);
        assertThat(broken.out()).contains("chain broken: meshfleet.spec-changes-" + written.meta.partition() + "@"
                + written.meta.offset() + " (generation 2 UPSERT observed " + last.getObservedAt() + "): its chain hash"
                + " does not match its content and the record before it: it was altered or forged");
    }
}
