package dev.meshfleet.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
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
 * rolling upgrade). To release a version, add its full schema under
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
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, now).getType())
                    .as("a released reader of %s reads records written with the current version", released.getName())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
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
