package dev.meshfleet.sandbox.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshfleet.aggregator.fold.Installation;
import dev.meshfleet.aggregator.fold.Status;
import dev.meshfleet.aggregator.fold.StatusFold;
import dev.meshfleet.aggregator.stream.AvroStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.Operation;
import dev.meshfleet.schemas.v1.SpecChange;
import dev.meshfleet.testkit.MockApiServer;
import dev.meshfleet.translator.plan.Manifests;
import dev.meshfleet.intake.admission.AdmissionRequest;
import dev.meshfleet.intake.admission.AdmissionRules;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translator.stream.TranslatorTopology;
import dev.meshfleet.translation.TranslatorSettings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-spec corpus (issue 4, item 14): src/test/resources/bad-specs/<case>.yaml, each a header
 * ({@code # expect: STATE at cluster/revision}, {@code # path: field path}, {@code # message: substring})
 * and one or more ILM/GLM documents. Every document goes through the real topology (translator and
 * cross-resource claims) in order, and the last document's events through the aggregator's real
 * fold; the folded status must show the state at cluster/revision with a message that starts with
 * the field path and contains the substring.
 *
 * <p>These are the specs a real API server lets through (they pass the CRDs' structural schema,
 * checked by {@link #everyCaseHereIsAdmittedByTheApiServerSoOnlyTheTranslatorCanReportIt}); those it
 * refuses at apply are in {@link RefusedAtApplyCorpusTest}. It lives in sandbox because it joins
 * two services (translator and aggregator), which never import each other (issue 8, item 13).
 */
class BadSpecCorpusTest {
    static final Path DIR = Path.of("src/test/resources/bad-specs");

    record Case(String name, String state, String cluster, String revision, String path, String message, String yaml) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    Path stateDir;

    static MockApiServer server;

    @BeforeAll
    static void start() {
        server = RefusedAtApplyCorpusTest.startWithCrds();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Case> cases() throws IOException {
        return CorpusFiles.yamlFiles(DIR).stream().map(BadSpecCorpusTest::read);
    }

    /** The cases of one resource: at least 40 of them, so the webhook's test covers the corpus. */
    static Stream<Case> singleResourceCases() throws IOException {
        List<Case> single = cases().filter(c -> {
            try {
                return Manifests.read(new StringReader(c.yaml()), c.name()).size() == 1;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertThat(single).hasSizeGreaterThanOrEqualTo(40);
        return single.stream();
    }

    static Case read(Path file) {
        try {
            String yaml = Files.readString(file);
            Map<String, String> header = CorpusFiles.header(yaml);
            String[] expect = header.get("expect").split(" at ", 2);
            String at = expect[1];
            int slash = at.indexOf('/');
            String name = file.getFileName().toString().replace(".yaml", "");
            return new Case(name, expect[0], at.substring(0, slash), at.substring(slash + 1), header.get("path"),
                    header.get("message"), yaml);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + ": not a corpus case (" + e + ")", e);
        }
    }

    @Test
    void theCorpusHasAtLeastFortyCasesCoveringBothKindsAndConflictsBetweenResources() throws IOException {
        List<Case> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        assertThat(all).filteredOn(c -> c.name().startsWith("ilm-")).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).filteredOn(c -> c.name().startsWith("glm-")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(all).filteredOn(c -> c.name().startsWith("two-")).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseHereIsAdmittedByTheApiServerSoOnlyTheTranslatorCanReportIt(Case c) throws IOException {
        List<ObjectNode> docs = RefusedAtApplyCorpusTest.documents(c.yaml(), c.name());
        assertThat(docs).as("documents of %s", c.name()).isNotEmpty();
        for (ObjectNode doc : docs) {
            RefusedAtApplyCorpusTest.Answer answer = RefusedAtApplyCorpusTest.create(server, doc);
            assertThat(answer.code()).as("%s: %s should be admitted (a refused case belongs in refused-specs): %s",
                    c.name(), doc.path("metadata").path("name").asText(), answer.body()).isEqualTo(201);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadSpecEndsInItsStateWithAMessageNamingTheField(Case c) throws IOException {
        List<Manifests.Resource> resources = Manifests.read(new StringReader(c.yaml()), c.name());
        assertThat(resources).as("documents of %s", c.name()).isNotEmpty();

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "corpus");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        var topics = new TranslatorTopology.Topics(Topics.SPEC_CHANGES, Topics.INSTALL_PLANS, Topics.INSTALLATION_EVENTS);
        List<InstallationEvent> events;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                TranslatorTopology.build(topics, new Translator(TranslatorSettings.defaults())), props)) {
            var in = driver.createInputTopic(Topics.SPEC_CHANGES, new StringSerializer(), AvroSerde.of(SpecChange.class));
            var out = driver.createOutputTopic(Topics.INSTALLATION_EVENTS, new StringDeserializer(),
                    AvroSerde.of(InstallationEvent.class));
            int n = 0;
            for (Manifests.Resource r : resources) {
                n++;
                in.pipeInput(r.owner().key(), SpecChange.newBuilder().setUid("uid-" + n).setKind(r.owner().kind())
                        .setNamespace(r.owner().namespace()).setName(r.owner().name()).setGeneration(1)
                        .setResourceVersion("1").setOperation(Operation.UPSERT).setActor("corpus")
                        .setObservedAt(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n))
                        .setSpecJson(r.spec().toString()).build());
            }
            String owner = resources.get(resources.size() - 1).owner().key();
            events = out.readKeyValuesToList().stream().filter(kv -> kv.key.equals(owner)).map(kv -> kv.value).toList();
        }

        Status status = StatusFold.foldAll(null, events.stream().map(AvroStatus::event).toList());
        assertThat(status.installation(c.cluster(), c.revision()))
                .as("%s: status entry %s/%s among %s", c.name(), c.cluster(), c.revision(), status.clusters())
                .get().satisfies(i -> assertEntry(c, i));
    }

    /**
     * One validator (ADR 0023): spec-intake's admission webhook judges a resource with the translator's own rules, so
     * every case whose error lies in the resource itself (one document; conflicts between resources are only known
     * where a cluster's owners meet, in the translator's stream) is refused at apply, naming the same field with the
     * same words.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("singleResourceCases")
    void theAdmissionWebhookRefusesEverySingleResourceCaseNamingItsField(Case c) throws IOException {
        Manifests.Resource r = Manifests.read(new StringReader(c.yaml()), c.name()).get(0);
        ObjectNode object = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        object.putObject("metadata").put("name", r.owner().name()).put("namespace", r.owner().namespace())
                .put("uid", "uid-1").put("generation", 1);
        object.set("spec", r.spec());
        var decision = new AdmissionRules(new Translator(TranslatorSettings.defaults())).decide(new AdmissionRequest("req",
                r.owner().kind(), r.owner().namespace(), r.owner().name(), AdmissionRequest.Operation.CREATE, "someone",
                List.of(), object, null, false), Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(decision).as(c.name()).isInstanceOf(AdmissionRules.Denied.class);
        assertThat(((AdmissionRules.Denied) decision).message()).as(c.name()).contains(c.path() + ": ")
                .contains(c.message());
    }

    private static void assertEntry(Case c, Installation i) {
        assertThat(i.state().name()).as("%s: state", c.name()).isEqualTo(c.state());
        assertThat(i.message()).as("%s: message", c.name()).startsWith(c.path() + ": ").contains(c.message());
    }
}
