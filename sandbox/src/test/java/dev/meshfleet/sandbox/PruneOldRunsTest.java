package dev.meshfleet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneOldRunsTest {

    @TempDir
    Path root;

    @Test
    void theOldestRunsAreDeletedAndTheClassDataArchivesKept() throws Exception {
        for (String run : new String[] {"20261130-100000-1", "20261130-110000-2", "20261130-120000-3"}) {
            Files.createDirectories(root.resolve(run).resolve("logs"));
        }
        Path archive = Files.createDirectories(root.resolve(RepoLayout.CLASS_DATA_ARCHIVES))
                .resolve("installer-service-0123456789abcdef.jsa");
        Files.writeString(archive, "archive");

        Sandbox.pruneOldRuns(root, 1);

        assertThat(root.resolve("20261130-120000-3")).isDirectory();
        assertThat(root.resolve("20261130-110000-2")).doesNotExist();
        assertThat(root.resolve("20261130-100000-1")).doesNotExist();
        assertThat(archive).hasContent("archive");
    }
}
