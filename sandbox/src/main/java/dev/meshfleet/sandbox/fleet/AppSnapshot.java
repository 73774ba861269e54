package dev.meshfleet.sandbox.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's own copy of a service's {@code target/quarkus-app}, made of hard links (a plain copy where links
 * are not possible). A rebuild of the module replaces the files under target/ while a sandbox runs; with
 * links the running and restarted services keep the files they started with.
 */
final class AppSnapshot {

    private AppSnapshot() {
    }

    /** Snapshots source into target once per run; returns target. */
    static Path of(Path source, Path target) throws IOException {
        if (Files.isRegularFile(target.resolve("quarkus-run.jar"))) {
            return target;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.toList();
        }
        for (Path from : files) {
            Path to = target.resolve(source.relativize(from).toString());
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
                continue;
            }
            Files.createDirectories(to.getParent());
            try {
                Files.createLink(to, from);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isRegularFile(target.resolve("quarkus-run.jar"))) {
            throw new IOException(source + " has no quarkus-run.jar (a build under way?); run the sandbox again");
        }
        return target;
    }
}
