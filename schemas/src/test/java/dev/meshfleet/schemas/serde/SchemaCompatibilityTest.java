package dev.meshfleet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;

import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.ClusterDesiredState;
import dev.meshfleet.schemas.v1.InstallationEvent;
import dev.meshfleet.schemas.v1.LifecycleStatus;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * Fails the build on an incompatible schema change: every released version of every topic record
 * must be readable by the current schema (old writers, new readers: a service upgraded before the
 * topic is drained) and the current one by every released version (new writers, old readers: a
 * rolling upgrade), with one named exception ({@link #EXCUSED_SYMBOLS}). To release a version, add its full schema under
 * src/main/resources/meshfleet/released and list it in index.txt.
 */
class SchemaCompatibilityTest {

    static final List<Schema> CURRENT = List.of(SpecChange.getClassSchema(), ClusterDesiredState.getClassSchema(),
            InstallationEvent.getClassSchema(), LifecycleStatus.getClassSchema(), AdmissionRecord.getClassSchema());

    @Test
    void everyReleasedSchemaIsMutuallyCompatibleWithTheCurrentOne() {
        Map<String, Schema> current = CURRENT.stream().collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        assertThat(ReleasedSchemas.all()).isNotEmpty();
        for (Schema released : ReleasedSchemas.all()) {
            Schema now = current.get(released.getFullName());
            assertThat(now).as("released record %s still exists", released.getFullName()).isNotNull();
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(now, released).getType())
                    .as("current %s reads records written with a released version", released.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            assertThat(notExcused(SchemaCompatibility.checkReaderWriterCompatibility(released, now)))
                    .as("a released reader of %s reads records written with the current version", released.getName())
                    .isEmpty();
        }
    }

    /**
     * The one accepted forward exception (docs/adr/0027): a reader released before v2 has {@code ResourceKind} without
     * a default, so it cannot read the symbols v2 added, {@code ServiceMeshController} and {@code Unknown}, nor
     * {@code ExternalControlPlane}, which v3 added (docs/adr/0031; a reader from v2 on reads it as {@code Unknown}, a
     * compatible change). Such a reader fails to decode the record and dead-letters it (nothing is misread), and the
     * upgrade order (consumers before spec-intake) keeps it from meeting one. Any other incompatibility, or any other
     * symbol, is not excused: each kind added is named here by the change that adds it.
     */
    static final String EXCUSED_ENUM = "dev.meshfleet.schemas.v1.ResourceKind";
    static final Set<String> EXCUSED_SYMBOLS = Set.of("ServiceMeshController", "Unknown", "ExternalControlPlane");

    static List<Incompatibility> notExcused(SchemaPairCompatibility check) {
        return check.getResult().getIncompatibilities().stream().filter(i -> !excused(i)).toList();
    }

    private static boolean excused(Incompatibility i) {
        if (i.getType() != SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS
                || !EXCUSED_ENUM.equals(i.getReaderFragment().getFullName())) {
            return false;
        }
        String list = i.getMessage().replaceAll("^\\[|\\]$", "");
        return EXCUSED_SYMBOLS.containsAll(List.of(list.split(",\\s*")));
    }

    @Test
    void theExceptionIsOnlyTheKindsAddedSinceV1ForReadersReleasedBeforeV2() {
        Schema v1 = released("v1", SpecChange.getClassSchema().getFullName());
        SchemaPairCompatibility check = SchemaCompatibility.checkReaderWriterCompatibility(v1, SpecChange.getClassSchema());
        assertThat(check.getType()).as("v1 readers do not know the new kinds").isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(check.getResult().getIncompatibilities()).singleElement().satisfies(i -> {
            assertThat(i.getType()).isEqualTo(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
            assertThat(i.getMessage()).isEqualTo("[ExternalControlPlane, ServiceMeshController, Unknown]");
        });
        assertThat(notExcused(check)).isEmpty();
    }

    @Test
    void anotherNewKindOrAnotherNewEnumSymbolIsNotExcused() {
        Schema v1 = released("v1", SpecChange.getClassSchema().getFullName());
        String current = SpecChange.getClassSchema().toString();
        Schema thirdKind = new Schema.Parser().parse(current.replace("\"ExternalControlPlane\"]", "\"ExternalControlPlane\",\"MeshPeering\"]"));
        assertThat(notExcused(SchemaCompatibility.checkReaderWriterCompatibility(v1, thirdKind))).isNotEmpty();
        Schema newOperation = new Schema.Parser().parse(current.replace("\"DELETE\"]", "\"DELETE\",\"PATCH\"]"));
        assertThat(newOperation.toString()).contains("PATCH");
        assertThat(notExcused(SchemaCompatibility.checkReaderWriterCompatibility(v1, newOperation))).isNotEmpty();
    }

    @Test
    void theNextKindIsACompatibleChangeForEveryReaderFromV2On() {
        Schema nextKind = new Schema.Parser().parse(SpecChange.getClassSchema().toString()
                .replace("\"ExternalControlPlane\"]", "\"ExternalControlPlane\",\"MeshPeering\"]"));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(SpecChange.getClassSchema(), nextKind).getType())
                .as("the current reader reads a kind added later (as Unknown)").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released("v2", SpecChange.getClassSchema().getFullName()),
                nextKind).getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    /** ADR 0031: a service released with v2 meets an ExternalControlPlane as Unknown, and none acts on Unknown. */
    @Test
    void aReaderReleasedWithV2ReadsAnExternalControlPlaneAsUnknown() throws Exception {
        SpecChange ecp = SpecChange.newBuilder().setUid("u-1").setKind(dev.meshfleet.schemas.v1.ResourceKind.ExternalControlPlane)
                .setNamespace("gloo-mesh").setName("mesh1").setGeneration(1).setResourceVersion("7")
                .setOperation(dev.meshfleet.schemas.v1.Operation.UPSERT).setActor("kubectl").setObservedAt(java.time.Instant.EPOCH)
                .setSpecJson("{}").build();
        var bytes = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(SpecChange.class).write(ecp, encoder);
        encoder.flush();
        Schema v2 = released("v2", SpecChange.getClassSchema().getFullName());
        var read = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                SpecChange.getClassSchema(), v2).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.get("kind").toString()).isEqualTo("Unknown");
        assertThat(read.get("name").toString()).isEqualTo("mesh1");
    }

    private static Schema released(String version, String fullName) {
        try (var in = SchemaCompatibilityTest.class.getClassLoader()
                .getResourceAsStream("meshfleet/released/" + version + "/" + fullName.substring(fullName.lastIndexOf('.') + 1) + ".avsc")) {
            assertThat(in).as("released %s of %s", version, fullName).isNotNull();
            return new Schema.Parser().parse(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyTopicRecordHasAReleasedVersion() {
        assertThat(ReleasedSchemas.all()).extracting(Schema::getFullName)
                .containsAll(CURRENT.stream().map(Schema::getFullName).toList());
    }

    @Test
    void everyFieldOfEveryRecordIsDocumented() {
        for (Schema schema : CURRENT) {
            assertDocumented(schema, new java.util.HashSet<>());
        }
    }

    @Test
    void aFieldRemovedWithoutADefaultWouldBeCaughtByTheCheck() {
        Schema released = SpecChange.getClassSchema();
        Schema withoutActorDefault = new Schema.Parser().parse(released.toString()
                .replace("\"name\":\"generation\",\"type\":\"long\"", "\"name\":\"generation2\",\"type\":\"long\""));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(withoutActorDefault, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static void assertDocumented(Schema schema, java.util.Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                assertThat(schema.getDoc()).as("doc of record %s", schema.getFullName()).isNotBlank();
                for (Schema.Field field : schema.getFields()) {
                    assertThat(field.doc()).as("doc of %s.%s", schema.getName(), field.name()).isNotBlank();
                    assertDocumented(field.schema(), seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> assertDocumented(t, seen));
            case ARRAY -> assertDocumented(schema.getElementType(), seen);
            case MAP -> assertDocumented(schema.getValueType(), seen);
            default -> {
            }
        }
    }
}
