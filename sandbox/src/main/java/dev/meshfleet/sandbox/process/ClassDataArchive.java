package dev.meshfleet.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dynamic AppCDS archive of one service build (JDK 17, JEP 350): the classes a service loaded in its first run,
 * parsed, verified and laid out so that a later start of the same build maps them instead of loading them again. A
 * restarted service is back sooner by what its class loading cost.
 *
 * <p>One archive per module and build, named by {@link #key}: a digest of the JVM and of every file of the service's
 * {@code quarkus-app} (path, size, modification time), so a rebuild or another JDK gets a new archive and never a
 * stale one (the JVM checks too: a class whose bytes differ from the archived one is loaded as usual). One start of a
 * build that has no archive yet records ({@code -XX:ArchiveClassesAtExit}) and writes it when it exits by itself
 * (SIGTERM at the sandbox's end; a killed JVM writes nothing). Asking a running JVM for it ({@code jcmd VM.cds
 * dynamic_dump}) was tried: JDK 17 ended the installer's JVM in the middle of it.
 */
public final class ClassDataArchive {

    private static final String SUFFIX = ".jsa";
    private static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";
    private static final String WITH_AGENT = "-XX:+AllowArchivingWithJavaAgent";

    private final Path file;

    private ClassDataArchive(Path file) {
        this.file = file;
    }

    /**
     * The archive of the build of {@code module} whose class path is the files under {@code appDirs}, kept in
     * {@code cacheDir}; archives of the module's other builds there are deleted (a running JVM keeps the file it
     * mapped).
     */
    public static ClassDataArchive of(Path cacheDir, String module, Path... appDirs) throws IOException {
        Files.createDirectories(cacheDir);
        String name = module + "-" + key(List.of(appDirs), System.getProperty("java.home") + " "
                + System.getProperty("java.vm.version")) + SUFFIX;
        try (Stream<Path> files = Files.list(cacheDir)) {
            for (Path other : files.toList()) {
                String n = other.getFileName().toString();
                if (n.startsWith(module + "-") && !n.startsWith(name)) {
                    Files.deleteIfExists(other);
                }
            }
        }
        return new ClassDataArchive(cacheDir.resolve(name));
    }

    /** A digest of the JVM and of every file under appDir (relative path, size, modification time); 16 hex digits. */
    static String key(Path appDir, String jvm) throws IOException {
        return key(List.of(appDir), jvm);
    }

    /** {@link #key(Path, String)} over several directories (a class path of jars in two directories, say). */
    static String key(List<Path> appDirs, String jvm) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(jvm.getBytes(StandardCharsets.UTF_8));
        for (Path appDir : appDirs) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(appDir)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            sha.update(("\n" + appDir.getFileName() + "/").getBytes(StandardCharsets.UTF_8));
            for (Path f : files) {
                String entry = "\n" + appDir.relativize(f) + " " + Files.size(f) + " "
                        + Files.getLastModifiedTime(f).toMillis();
                sha.update(entry.getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    public Path file() {
        return file;
    }

    /** Whether the archive has been written (by this run or an earlier one). */
    public boolean present() {
        return Files.isRegularFile(file);
    }

    /** Where a recording JVM writes the archive as it exits; it becomes the archive by {@link #complete}. */
    public Path partial(String instance) {
        return file.resolveSibling(file.getFileName() + ".part-" + instance);
    }

    /** The options of a JVM that maps the archive: present or not (a JVM without it loads its classes as usual). */
    public List<String> mapOptions() {
        return options(file, null);
    }

    /** The options of a JVM that records its classes and writes them to {@code partial} when it exits. */
    public List<String> recordOptions(Path partial) {
        return options(file, partial);
    }

    static List<String> options(Path file, Path recordTo) {
        // Every sandbox child runs the parent watch agent (JavaCommand), which a recording JVM must be allowed, and a
        // JVM maps an archive only when it has the setting the archive was written with.
        return List.of(UNLOCK, WITH_AGENT, recordTo == null ? "-XX:SharedArchiveFile=" + file.toAbsolutePath()
                : "-XX:ArchiveClassesAtExit=" + recordTo.toAbsolutePath());
    }

    /**
     * After the recording JVM exited by itself (not killed: a JVM killed while writing leaves a partial file), makes
     * what it wrote the archive. Returns whether there is an archive now.
     */
    public boolean complete(Path partial, boolean exitedByItself) throws IOException {
        try {
            if (exitedByItself && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return present();
    }
}
