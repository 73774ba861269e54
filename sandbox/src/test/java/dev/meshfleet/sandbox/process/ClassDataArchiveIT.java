package dev.meshfleet.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On this JDK, a JVM started as the sandbox starts a service (the parent watch agent included) while its build has
 * no archive records its classes and writes the archive when it stops on SIGTERM, and the next JVM of the same build
 * loads those classes from the archive (JDK 17's dynamic CDS).
 */
class ClassDataArchiveIT {

    private static final String LOADED = ClassDataProbe.class.getName() + "$Loaded";

    @TempDir
    Path dir;

    @Test
    void aRestartLoadsTheClassesItsFirstStartArchived() throws Exception {
        Path app = dir.resolve("app");
        Path jar = probeJar(app);
        ClassDataArchive archive = ClassDataArchive.of(dir.resolve("cds"), "probe", app);

        assertThat(archive.present()).isFalse();
        Path agent = AgentJar.write(dir);
        Path partial = archive.partial("probe-0");
        Process first = start(agent, archive.recordOptions(partial), jar, List.of());
        boolean exited;
        try {
            readUntilReady(first);
        } finally {
            first.destroy();
            exited = first.waitFor(2, TimeUnit.MINUTES);
        }
        assertThat(exited).as("the recording JVM exits on SIGTERM").isTrue();
        assertThat(archive.complete(partial, true)).as("the archive written as it exited").isTrue();
        assertThat(ClassDataArchive.of(dir.resolve("cds"), "probe", app).present()).isTrue();

        Process restart = start(agent, archive.mapOptions(), jar, List.of("-Xlog:class+load=info"));
        List<String> lines;
        try {
            lines = readUntilReady(restart);
        } finally {
            restart.destroyForcibly().waitFor();
        }
        assertThat(lines).filteredOn(l -> l.contains(LOADED + " source:"))
                .singleElement().asString().contains("source: shared objects file (top)");
    }

    /** As the sandbox starts a service: with the parent watch agent (JavaCommand) and the archive's options. */
    private static Process start(Path agent, List<String> options, Path jar, List<String> more) throws IOException {
        List<String> cmd = new ArrayList<>(JavaCommand.prefix(agent, "class-data-probe", options));
        cmd.addAll(more);
        cmd.addAll(List.of("-cp", jar.toString(), ClassDataProbe.class.getName()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** The probe's output up to its "ready"; fails with what it printed if it ends before. */
    private static List<String> readUntilReady(Process p) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.equals("ready")) {
                return lines;
            }
        }
        throw new AssertionError("the probe ended before it was ready: " + lines);
    }

    /** CDS archives classes from jars only, not from directories: the probe's two classes in a jar. */
    private static Path probeJar(Path app) throws IOException {
        Files.createDirectories(app);
        Path jar = app.resolve("probe.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String name : List.of(ClassDataProbe.class.getName(), LOADED)) {
                String entry = name.replace('.', '/') + ".class";
                try (InputStream in = ClassDataArchiveIT.class.getClassLoader().getResourceAsStream(entry)) {
                    assertThat(in).as(entry).isNotNull();
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
