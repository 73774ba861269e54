package dev.meshfleet.sandbox.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.meshfleet.sandbox.process.PidFiles;

/**
 * Finds the broker of a sandbox that is running now ({@code ./meshfleet sandbox up} in another shell), for
 * commands that talk to Kafka without starting a fleet ({@code dlq}): the newest run directory whose broker
 * process is alive, and the address its {@code server.properties} advertises.
 */
public final class RunningBroker {
    private static final String ADVERTISED = "advertised.listeners=";

    private RunningBroker() {
    }

    /** The bootstrap servers of the newest live sandbox broker under sandboxRoot, if there is one. */
    public static Optional<String> find(Path sandboxRoot) {
        if (!Files.isDirectory(sandboxRoot)) {
            return Optional.empty();
        }
        List<Path> runs;
        try (Stream<Path> dirs = Files.list(sandboxRoot)) {
            runs = dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path run : runs) {
            if (alive(run.resolve("pids/kafka.pid"))) {
                try {
                    Optional<String> bootstrap = bootstrapOf(Files.readString(run.resolve("kafka/server.properties")));
                    if (bootstrap.isPresent()) {
                        return bootstrap;
                    }
                } catch (IOException e) {
                    // a run directory being pruned or written: look at the next one
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The kubeconfig of the newest live sandbox under sandboxRoot ({@code sandbox up} writes {@code kubeconfig} in its
     * run directory once its steps have run), if there is one: for the commands that read the management cluster.
     */
    public static Optional<Path> kubeconfig(Path sandboxRoot) {
        if (!Files.isDirectory(sandboxRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(sandboxRoot)) {
            return dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder())
                    .filter(run -> alive(run.resolve("pids/kafka.pid")))
                    .map(run -> run.resolve("kubeconfig")).filter(Files::isRegularFile).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** host:port of the first advertised listener of a server.properties, e.g. PLAINTEXT://127.0.0.1:9092. */
    static Optional<String> bootstrapOf(String serverProperties) {
        for (String line : serverProperties.split("\n")) {
            String l = line.trim();
            if (l.startsWith(ADVERTISED)) {
                String first = l.substring(ADVERTISED.length()).split(",")[0].trim();
                int scheme = first.indexOf("://");
                String address = scheme < 0 ? first : first.substring(scheme + 3);
                return address.isEmpty() ? Optional.empty() : Optional.of(address);
            }
        }
        return Optional.empty();
    }

    private static boolean alive(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(PidFiles.MARKER)).orElse(false))
                    .isPresent();
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
