package dev.meshfleet.translation;

import dev.meshfleet.translator.plan.Manifests;
import dev.meshfleet.translator.plan.PlanDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The golden cases: src/test/resources/golden/<rule>/input.yaml, and example-<name> reading ../examples/<name>.yaml. */
public final class Golden {
    public static final Path DIR = Path.of("src/test/resources/golden");
    public static final Path EXAMPLES = Path.of("../examples");
    public static final boolean UPDATE = Boolean.getBoolean("meshfleet.golden.update");

    public record Case(String name, Path input, Path expected) {
    }

    private Golden() {
    }

    /** Plan documents as a golden file holds them: each YAML document after a {@code ---} line. */
    static String documents(List<? extends com.fasterxml.jackson.databind.JsonNode> trees) {
        StringBuilder sb = new StringBuilder();
        trees.forEach(t -> sb.append("---\n").append(PlanDocument.yaml(t)));
        return sb.toString();
    }

    /** {@code actual} equals the expected file; with -Dmeshfleet.golden.update=true the file is rewritten first. */
    static void matches(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual);
        }
        org.assertj.core.api.Assertions.assertThat(expected).as("expected file (regenerate with"
                + " -Dmeshfleet.golden.update=true)").exists();
        org.assertj.core.api.Assertions.assertThat(actual).isEqualTo(Files.readString(expected));
    }

    /** The case directories under {@code dir}, sorted. */
    static List<Path> dirs(Path dir) {
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Case> cases() {
        try (Stream<Path> dirs = Files.list(DIR)) {
            return dirs.filter(Files::isDirectory).sorted().map(dir -> {
                String name = dir.getFileName().toString();
                Path input = name.startsWith("example-") ? EXAMPLES.resolve(name.substring(8) + ".yaml")
                        : dir.resolve("input.yaml");
                return new Case(name, input, dir.resolve("expected.yaml"));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The defaults, with the chart sources of the helm-global cases allowed (meshfleet.translator.allowed-chart-sources). */
    static final TranslatorSettings SETTINGS = TranslatorSettings.defaults()
            .allowing(List.of("https://charts.example/istio", "oci://registry.example/istio-charts"));

    public static List<Translation> translate(Path input) throws IOException {
        Translator translator = new Translator(SETTINGS);
        List<Translation> out = new ArrayList<>();
        try (var reader = Files.newBufferedReader(input)) {
            Manifests.Read read = Manifests.readAll(reader, input.toString());
            if (!read.unreadable().isEmpty()) {
                throw new IOException(read.unreadable().get(0).describe());
            }
            if (!read.externalControlPlanes().isEmpty()) {
                throw new IOException(input + ": an ExternalControlPlane; translate it with EcpTranslator");
            }
            for (Manifests.Resource r : read.resources()) {
                // A ServiceMeshController with its namespace's gloo-extensions-config when the file has one (ADR 0045),
                // and its NodePort annotation (ADR 0046), as the plan preview.
                out.add(translator.translate(r.owner(), r.generation(), r.spec(), EcpFacts.NONE,
                        read.extensionsOf(r.owner().namespace()), r.peering()));
            }
        }
        return out;
    }

    public static String render(List<Translation> translations) {
        StringBuilder sb = new StringBuilder();
        for (Translation t : translations) {
            sb.append("---\n").append(PlanDocument.yaml(PlanDocument.tree(t)));
        }
        return sb.toString();
    }
}
