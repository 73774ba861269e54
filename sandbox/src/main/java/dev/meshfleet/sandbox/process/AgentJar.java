package dev.meshfleet.sandbox.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the {@link ParentWatchAgent} jar at run time from our own class bytes, so the agent needs no
 * build step of its own and is always the version of the running sandbox.
 */
public final class AgentJar {

    private AgentJar() {
    }

    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("meshfleet-parent-watch.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatchAgent.class.getName());
        String entry = ParentWatchAgent.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ParentWatchAgent.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IOException("class file " + entry + " not found on the class path");
            }
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
                jos.putNextEntry(new JarEntry(entry));
                in.transferTo(jos);
                jos.closeEntry();
            }
        }
        return jar;
    }
}
