package dev.meshfleet.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A dynamic AppCDS archive of one service build (JDK 17: JEP 350 with {@code jcmd VM.cds dynamic_dump}): the classes
 * a service loaded by the time it was first ready, parsed, verified and laid out so that a later start of the same
 * build maps them instead of loading them again. A restarted service is back sooner by what its class loading cost.
 *
 * <p>One archive per module and build, named by {@link #key}: a digest of the JVM and of every file of the service's
 * {@code quarkus-app} (path, size, modification time), so a rebuild or another JDK gets a new archive and never a
 * stale one (the JVM checks too: a class whose bytes differ from the archived one is loaded as usual). A start with
 * no archive yet records ({@code -XX:+RecordDynamicDumpInfo}); once it is ready, {@link #dumpFrom} asks it to write
 * the archive, which it does without stopping. Without {@code jcmd} (a JRE), nothing is recorded or used.
 */
public final class ClassDataArchive {

    private static final String SUFFIX = ".jsa";
    private static final String RECORD = "-XX:+RecordDynamicDumpInfo";
    private static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";
    private static final String WITH_AGENT = "-XX:+AllowArchivingWithJavaAgent";

    private final Path file;
    private final Path jcmd;

    private ClassDataArchive(Path file, Path jcmd) {
        this.file = file;
        this.jcmd = jcmd;
    }

    /**
     * The archive of the build of {@code module} in {@code appDir}, kept in {@code cacheDir}; archives of the module's
     * other builds there are deleted (a running JVM keeps the file it mapped).
     */
    public static ClassDataArchive of(Path cacheDir, String module, Path appDir) throws IOException {
        Files.createDirectories(cacheDir);
        String name = module + "-" + key(appDir, System.getProperty("java.home") + " "
                + System.getProperty("java.vm.version")) + SUFFIX;
        try (Stream<Path> files = Files.list(cacheDir)) {
            for (Path other : files.toList()) {
                String n = other.getFileName().toString();
                if (n.startsWith(module + "-") && n.endsWith(SUFFIX) && !n.equals(name)) {
                    Files.deleteIfExists(other);
                }
            }
        }
        return new ClassDataArchive(cacheDir.resolve(name), Path.of(System.getProperty("java.home"), "bin", "jcmd"));
    }

    /** A digest of the JVM and of every file under appDir (relative path, size, modification time); 16 hex digits. */
    static String key(Path appDir, String jvm) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(jvm.getBytes(StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(appDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String entry = "\n" + appDir.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
            sha.update(entry.getBytes(StandardCharsets.UTF_8));
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

    /** Whether a JVM started now can record what {@link #dumpFrom} writes: this JDK has {@code jcmd}. */
    public boolean canRecord() {
        return Files.isExecutable(jcmd);
    }

    /** The options of a JVM started now: map the archive when there is one, else record for a dump; else none. */
    public List<String> jvmOptions() {
        return options(present(), canRecord(), file);
    }

    /** Whether a JVM started now with {@link #jvmOptions()} records its classes for {@link #dumpFrom}. */
    public boolean records() {
        return options(present(), canRecord(), file).contains(RECORD);
    }

    static List<String> options(boolean present, boolean canRecord, Path file) {
        // Every sandbox child runs the parent watch agent (JavaCommand), which a recording JVM must be allowed, and a
        // JVM maps an archive only when it has the setting the archive was written with.
        if (present) {
            return List.of(UNLOCK, WITH_AGENT, "-XX:SharedArchiveFile=" + file.toAbsolutePath());
        }
        // The attach listener up from the start: jcmd's usual way to wake it, SIGQUIT, is taken in a JVM that has
        // loaded a Go library (the installer's Helm), and no dump could be asked for.
        return canRecord ? List.of(UNLOCK, WITH_AGENT, RECORD, "-XX:+StartAttachListener") : List.of();
    }

    /**
     * Asks the JVM {@code pid}, started with {@link #jvmOptions()} while there was no archive, to write it. The JVM
     * writes it at a safepoint and goes on; the file appears under its name only once complete. Returns null when
     * written, else why not.
     */
    public String dumpFrom(long pid, Duration timeout) throws InterruptedException {
        if (present()) {
            return null;
        }
        Path partial = file.resolveSibling(file.getFileName() + ".part-" + pid);
        try {
            // jcmd gives a JVM 10 s to answer its attach request, which a JVM starved of CPU (a loaded sandbox) misses.
            Process p = new ProcessBuilder(jcmd.toString(), "-J-Dsun.tools.attach.attachTimeout=" + timeout.toMillis(),
                    Long.toString(pid), "VM.cds", "dynamic_dump", partial.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "jcmd " + pid + " VM.cds dynamic_dump did not finish within " + timeout;
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                return "jcmd " + pid + " VM.cds dynamic_dump failed: " + output.replaceAll("\\s+", " ");
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
        } catch (IOException e) {
            return "jcmd " + pid + " VM.cds dynamic_dump failed: " + e.getMessage();
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // A partial archive left behind is never mapped (it does not carry the archive's name).
            }
        }
    }
}
