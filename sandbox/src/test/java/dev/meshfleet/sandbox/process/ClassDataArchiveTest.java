package dev.meshfleet.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aStartMapsTheArchiveOrRecordsItAtExitAlwaysAllowingTheParentWatchAgent() {
        Path file = Path.of("/cache/installer-service-0123456789abcdef.jsa");
        assertThat(ClassDataArchive.options(file, null)).containsExactly("-XX:+UnlockDiagnosticVMOptions",
                "-XX:+AllowArchivingWithJavaAgent", "-XX:SharedArchiveFile=/cache/installer-service-0123456789abcdef.jsa");
        assertThat(ClassDataArchive.options(file, Path.of("/cache/p"))).containsExactly("-XX:+UnlockDiagnosticVMOptions",
                "-XX:+AllowArchivingWithJavaAgent", "-XX:ArchiveClassesAtExit=/cache/p");
    }

    @Test
    void whatAKilledRecorderWroteNeverBecomesTheArchive() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("quarkus-run.jar"), "run");
        ClassDataArchive archive = ClassDataArchive.of(dir.resolve("cds"), "installer-service", app);
        Path partial = Files.writeString(archive.partial("installer-1"), "half an archive");

        assertThat(archive.complete(partial, false)).isFalse();

        assertThat(partial).doesNotExist();
        assertThat(archive.file()).doesNotExist();
        Files.writeString(partial, "a whole archive");
        assertThat(archive.complete(partial, true)).isTrue();
        assertThat(archive.file()).hasContent("a whole archive");
    }

    @Test
    void anotherBuildOrAnotherJvmHasAnotherArchive() throws Exception {
        Path app = dir.resolve("quarkus-app");
        Files.createDirectories(app.resolve("lib"));
        Files.writeString(app.resolve("quarkus-run.jar"), "run");
        Path lib = app.resolve("lib/a.jar");
        Files.writeString(lib, "aaaa");
        Files.setLastModifiedTime(lib, FileTime.from(Instant.parse("2026-11-30T10:00:00Z")));

        String key = ClassDataArchive.key(app, "17.0.15");
        assertThat(key).hasSize(16).isEqualTo(ClassDataArchive.key(app, "17.0.15"));
        assertThat(ClassDataArchive.key(app, "17.0.16")).as("another JVM").isNotEqualTo(key);

        Files.setLastModifiedTime(lib, FileTime.from(Instant.parse("2026-11-30T11:00:00Z")));
        String rebuilt = ClassDataArchive.key(app, "17.0.15");
        assertThat(rebuilt).as("a file rewritten by a build").isNotEqualTo(key);

        Files.writeString(app.resolve("lib/b.jar"), "b");
        assertThat(ClassDataArchive.key(app, "17.0.15")).as("a file added").isNotEqualTo(rebuilt);
    }

    @Test
    void theBrokersClassPathOfTwoDirectoriesIsKeyedByBoth() throws Exception {
        Path kafkaLib = Files.createDirectories(dir.resolve("kafka-lib"));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(kafkaLib.resolve("kafka_2.13.jar"), "kafka");
        Path other = Files.writeString(lib.resolve("slf4j-simple.jar"), "slf4j");
        Files.setLastModifiedTime(other, FileTime.from(Instant.parse("2026-11-30T10:00:00Z")));

        String key = ClassDataArchive.key(List.of(kafkaLib, lib), "17.0.15");
        assertThat(key).hasSize(16).isNotEqualTo(ClassDataArchive.key(List.of(kafkaLib), "17.0.15"));

        Files.setLastModifiedTime(other, FileTime.from(Instant.parse("2026-11-30T11:00:00Z")));
        assertThat(ClassDataArchive.key(List.of(kafkaLib, lib), "17.0.15")).as("a jar of the second directory rebuilt")
                .isNotEqualTo(key);
        assertThat(ClassDataArchive.of(dir.resolve("cds"), "kafka", kafkaLib, lib).file().getFileName().toString())
                .startsWith("kafka-").endsWith(".jsa");
    }

    @Test
    void theArchivesOfAModulesOtherBuildsAreDeletedAndOtherModulesKept() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("quarkus-run.jar"), "run");
        Path cache = dir.resolve("cds");
        Files.createDirectories(cache);
        Path oldBuild = Files.writeString(cache.resolve("installer-service-00000000000000aa.jsa"), "old");
        Path otherModule = Files.writeString(cache.resolve("translator-service-00000000000000bb.jsa"), "other");

        ClassDataArchive archive = ClassDataArchive.of(cache, "installer-service", app);

        assertThat(oldBuild).doesNotExist();
        assertThat(otherModule).exists();
        assertThat(archive.present()).isFalse();
        assertThat(archive.file().getFileName().toString()).startsWith("installer-service-").endsWith(".jsa");
    }
}
