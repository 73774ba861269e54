package dev.meshfleet.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translation.Owner;

/** One example manifest, cut down to its first cluster: what the translator does per cluster. */
record Specs(Owner owner, JsonNode spec) {
    private static final YAMLMapper YAML = new YAMLMapper();

    static Specs firstClusterOf(String file) {
        JsonNode manifest;
        try {
            manifest = YAML.readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("run from the repository root: cannot read " + file, e);
        }
        ObjectNode spec = (ObjectNode) manifest.get("spec").deepCopy();
        for (JsonNode installation : spec.withArray("installations")) {
            ArrayNode clusters = (ArrayNode) installation.get("clusters");
            while (clusters.size() > 1) {
                clusters.remove(clusters.size() - 1);
            }
        }
        JsonNode meta = manifest.get("metadata");
        Owner owner = new Owner(ResourceKind.valueOf(manifest.get("kind").asText()), meta.get("namespace").asText(),
                meta.get("name").asText(), "bench-uid");
        return new Specs(owner, spec);
    }
}
