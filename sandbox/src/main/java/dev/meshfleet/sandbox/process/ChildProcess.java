package dev.meshfleet.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the sandbox (the broker, a service): its output goes to a log file, its pid to a
 * pid file that the next sandbox run reads to clean up after a run that could not (see
 * {@link PidFiles}).
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;

    private ChildProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts the command with stdout and stderr appended to logFile; records the pid in pidDir. */
    public static ChildProcess start(String name, List<String> command, Path logFile, Path pidDir) throws IOException {
        return start(name, command, java.util.Map.of(), logFile, pidDir);
    }

    /** As {@link #start(String, List, Path, Path)}, with these variables added to the inherited environment. */
    public static ChildProcess start(String name, List<String> command, java.util.Map<String, String> environment,
            Path logFile, Path pidDir) throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.createDirectories(pidDir);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = pb.start();
        Path pidFile = pidDir.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new ChildProcess(name, process, logFile, pidFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGKILL, as a crash would: no shutdown hooks run. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitQuietly(Duration.ofSeconds(10));
        deletePidFile();
    }

    /** SIGTERM, then SIGKILL after the grace period; returns whether it exited by itself (false: it was killed). */
    public boolean stop(Duration grace) {
        boolean byItself = true;
        if (process.isAlive()) {
            process.destroy();
            if (!waitQuietly(grace)) {
                byItself = false;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                waitQuietly(Duration.ofSeconds(10));
            }
        }
        deletePidFile();
        return byItself;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
        return String.join(System.lineSeparator(), last);
    }

    private boolean waitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // A stale pid file is harmless: the next run checks the command line before killing.
        }
    }
}
