package dev.meshfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 10 item 6, the images themselves: the tarballs {@code mvn package -Pimages} writes into
 * {@code target/images} (ADR 0041), opened as a container runtime would read them ({@code docker load}'s
 * format: {@code manifest.json}, the config, one gzipped tar per layer). Not a {@code *Test} or {@code *IT}: only
 * the {@code images} profile builds the tarballs, and it runs this class after them (deploy's pom).
 * Any base image will do ({@code -Dimages.base=scratch} where none can be pulled): only Meshfleet's layers are read.
 */
class ImageTarballsCheck {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path IMAGES = Path.of("target", "images").toAbsolutePath();
    /** Chart component to the Maven module whose application the image carries. */
    private static final Map<String, String> MODULES = Map.of("spec-intake", "spec-intake", "translator",
            "translator-service", "installer", "installer-service", "status-aggregator", "status-aggregator");

    @Test
    void eachImageIsTheChartsImageRunningItsServicesFastJarFromWorkAsTheChartsUser() throws Exception {
        Chart.Rendered chart = Chart.defaults();
        for (var e : MODULES.entrySet()) {
            var pod = Workloads.pod(chart, e.getKey());
            Image image = Image.read(IMAGES.resolve(e.getValue() + ".tar"));

            assertThat(image.tags()).as(e.getValue()).containsExactly(ChartTest.container(pod).getImage());
            JsonNode config = image.config().get("config");
            assertThat(strings(config.get("Entrypoint"))).as(e.getValue())
                    .containsSubsequence("java", "-jar", "/work/quarkus-run.jar");
            assertThat(config.get("WorkingDir").asText()).isEqualTo("/work");
            assertThat(config.get("User").asText()).as("the chart's runAsUser")
                    .isEqualTo(String.valueOf(pod.getSpec().getSecurityContext().getRunAsUser()));

            // The whole fast-jar under /work, as the module's build left it.
            Path app = ROOT.resolve(e.getValue()).resolve("target/quarkus-app");
            Set<String> appFiles = files(app, "work/");
            assertThat(appFiles).as(app.toString()).contains("work/quarkus-run.jar");
            assertThat(image.files()).as(e.getValue()).containsAll(appFiles);
            // ... and no second copy of its libraries elsewhere (Jib's own layout puts them under /app/libs).
            assertThat(image.files().stream().filter(f -> f.endsWith(".jar") && !f.startsWith("work/")).toList())
                    .as(e.getValue() + ": jars outside /work").isEmpty();
        }
    }

    @Test
    void theInstallersImageCarriesTheDefaultChartsUnderWorkAndNoOtherImageDoes() throws Exception {
        Set<String> charts = files(ROOT.resolve("charts"), "work/charts/");
        charts.remove("work/charts/README.md");
        assertThat(charts).contains("work/charts/istiod/Chart.yaml", "work/charts/base/Chart.yaml",
                "work/charts/gateway/Chart.yaml");

        Set<String> installer = Image.read(IMAGES.resolve("installer-service.tar")).files();
        assertThat(installer).containsAll(charts).doesNotContain("work/charts/README.md");
        for (String module : List.of("spec-intake", "translator-service", "status-aggregator")) {
            assertThat(Image.read(IMAGES.resolve(module + ".tar")).files()).as(module)
                    .noneMatch(f -> f.startsWith("work/charts/"));
        }
    }

    /** Regular files under {@code dir}, as paths in the image below {@code into}. */
    private static Set<String> files(Path dir, String into) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> out.add(into + dir.relativize(p).toString().replace('\\', '/')));
            return out;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** One image tarball in {@code docker save}'s format. */
    private record Image(List<String> tags, JsonNode config, Set<String> files) {
        static Image read(Path tarball) throws IOException {
            assertThat(tarball).as("built by mvn package -Pimages").isRegularFile();
            Map<String, byte[]> entries = Tar.read(Files.newInputStream(tarball), true);
            ObjectMapper json = new ObjectMapper();
            JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
            Set<String> files = new TreeSet<>();
            for (JsonNode layer : manifest.get("Layers")) {
                byte[] gz = entries.get(layer.asText());
                assertThat(gz).as("layer " + layer.asText()).isNotNull();
                files.addAll(Tar.read(new GZIPInputStream(new ByteArrayInputStream(gz)), false).keySet());
            }
            return new Image(strings(manifest.get("RepoTags")), json.readTree(entries.get(manifest.get("Config")
                    .asText())), files);
        }
    }

    /** Just enough of ustar to list a layer and read the outer archive's files: pax and GNU long names included. */
    private static final class Tar {
        static Map<String, byte[]> read(InputStream in, boolean keepContent) throws IOException {
            Map<String, byte[]> out = new LinkedHashMap<>();
            try (in) {
                byte[] header = new byte[512];
                String longName = null;
                while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                    String size = field(header, 124, 12);
                    long length = size.isEmpty() ? 0 : Long.parseLong(size, 8);
                    char type = (char) header[156];
                    byte[] content = in.readNBytes((int) length);
                    in.skipNBytes((512 - length % 512) % 512);
                    if (type == 'x') {
                        longName = paxPath(new String(content, StandardCharsets.UTF_8), longName);
                    } else if (type == 'L') {
                        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    } else {
                        String prefix = field(header, 345, 155);
                        String name = longName != null ? longName
                                : prefix.isEmpty() ? field(header, 0, 100) : prefix + "/" + field(header, 0, 100);
                        longName = null;
                        if (type == '0' || type == 0) {
                            out.put(name, keepContent ? content : new byte[0]);
                        }
                    }
                }
            }
            return out;
        }

        /** The {@code path} record of a pax extended header ("LENGTH path=VALUE\n" lines), else {@code current}. */
        private static String paxPath(String records, String current) {
            for (String line : records.split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0 && line.startsWith("path=", space + 1)) {
                    return line.substring(space + 1 + "path=".length());
                }
            }
            return current;
        }

        private static String field(byte[] header, int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) {
                end++;
            }
            return new String(header, offset, end - offset, StandardCharsets.US_ASCII).strip();
        }
    }
}
