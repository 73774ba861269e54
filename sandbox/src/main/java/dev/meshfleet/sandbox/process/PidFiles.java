package dev.meshfleet.sandbox.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cleans up after an earlier sandbox run that could not stop its children (for example a JVM crash
 * before the parent watch was loaded). Only processes whose command line carries the sandbox marker
 * are touched, so a recycled pid of an unrelated process is never killed.
 */
public final class PidFiles {

    /** A system property every child JVM carries; its presence identifies our processes. */
    public static final String MARKER = "-Dmeshfleet.sandbox.child=";

    private PidFiles() {
    }

    /** Kills the leftover children recorded under sandboxRoot/{run}/pids; returns their descriptions. */
    public static List<String> killLeftovers(Path sandboxRoot) {
        List<String> killed = new ArrayList<>();
        if (!Files.isDirectory(sandboxRoot)) {
            return killed;
        }
        try (Stream<Path> runs = Files.list(sandboxRoot)) {
            for (Path run : runs.toList()) {
                Path pids = run.resolve("pids");
                if (!Files.isDirectory(pids)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(pids)) {
                    for (Path pidFile : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                        killIfOurs(pidFile).ifPresent(killed::add);
                        Files.deleteIfExists(pidFile);
                    }
                }
            }
        } catch (IOException e) {
            // Best effort: a leftover that we cannot see will exit through its parent watch anyway.
        }
        return killed;
    }

    private static java.util.Optional<String> killIfOurs(Path pidFile) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(MARKER)).orElse(false))
                .map(h -> {
                    h.destroyForcibly();
                    return pidFile.getFileName() + " (pid " + pid + ")";
                });
    }
}
