package dev.meshfleet.sandbox.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the corpus tests share: the YAML files of a folder in name order, and a case's {@code # key: value} header. */
final class CorpusFiles {

    private CorpusFiles() {
    }

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The leading comment lines of a case, {@code # key: value} each, by key in order. */
    static Map<String, String> header(String yaml) {
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : yaml.lines().takeWhile(l -> l.startsWith("#")).toList()) {
            int colon = line.indexOf(':');
            header.put(line.substring(1, colon).trim(), line.substring(colon + 1).trim());
        }
        return header;
    }
}
