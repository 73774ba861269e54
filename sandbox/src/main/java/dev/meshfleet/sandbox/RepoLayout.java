package dev.meshfleet.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where things are in a checkout: the repository root (system property {@code meshfleet.repo}, else the
 * nearest directory above the working directory that holds the {@code meshfleet} launcher), the
 * services' Quarkus jars, the charts, the class paths copied by the sandbox build.
 */
public record RepoLayout(Path root) {

    public static final String REPO_PROPERTY = "meshfleet.repo";

    /** The four services, in the order they are started. */
    public static final List<String> SERVICES = List.of("spec-intake", "translator-service", "installer-service",
            "status-aggregator");

    public static RepoLayout locate() {
        String configured = System.getProperty(REPO_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new RepoLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("meshfleet")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return new RepoLayout(p);
            }
        }
        throw new IllegalStateException("cannot find the Meshfleet checkout above " + dir
                + " (no directory with the 'meshfleet' launcher); set -D" + REPO_PROPERTY + "=<checkout>");
    }

    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path charts() {
        return root.resolve("charts");
    }

    /** Meshfleet's own Helm chart: what the sandbox takes each service's RBAC from. */
    public Path meshfleetChart() {
        return root.resolve("deploy/helm/meshfleet");
    }

    /**
     * The installer's identity and role in each workload cluster, as users apply it to theirs: what the sandbox's
     * workload clusters enforce.
     */
    public Path workloadClusterRole() {
        return root.resolve("deploy/workload-cluster/installer-role.yaml");
    }

    public Path examples() {
        return root.resolve("examples");
    }

    /** The broker's class path: kafka_2.13 and what only it needs, then the sandbox's own runtime jars. */
    public String brokerClassPath() {
        return brokerClassPathDirs().stream().map(d -> d + "/*")
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The directories whose jars are the broker's class path. */
    public List<Path> brokerClassPathDirs() {
        Path target = root.resolve("sandbox/target");
        return List.of(target.resolve("kafka-lib"), target.resolve("lib"));
    }

    /** .sandbox at the root: one subdirectory per run (gitignored). */
    public Path sandboxRoot() {
        return root.resolve(".sandbox");
    }

    /**
     * .sandbox/cds: the services' class data archives, one per module and build ({@code process.ClassDataArchive}),
     * kept across runs.
     */
    public Path classDataArchives() {
        return sandboxRoot().resolve(CLASS_DATA_ARCHIVES);
    }

    /** The name of {@link #classDataArchives()} under {@link #sandboxRoot()}: not a run, never pruned as one. */
    public static final String CLASS_DATA_ARCHIVES = "cds";

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
