package dev.meshfleet.translator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshfleet.schemas.v1.ResourceKind;
import dev.meshfleet.translator.translate.Owner;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** ILM/GLM manifests from (multi-document) YAML, as `kubectl apply -f` would take them. */
public final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();

    /** One lifecycle resource: who it is, its generation (1 when not given) and its spec. */
    public record Resource(Owner owner, long generation, JsonNode spec) {
    }

    private Manifests() {
    }

    /** Every ILM and GLM document; other kinds are skipped. Throws IOException on YAML that does not parse. */
    public static List<Resource> read(Reader reader, String source) throws IOException {
        List<Resource> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(reader)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || !doc.isObject()) {
                    continue;
                }
                String kind = doc.path("kind").asText("");
                ResourceKind rk;
                try {
                    rk = ResourceKind.valueOf(kind);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                JsonNode meta = doc.path("metadata");
                String name = meta.path("name").asText("");
                if (name.isEmpty()) {
                    throw new IOException(source + ": a " + kind + " has no metadata.name");
                }
                Owner owner = new Owner(rk, meta.path("namespace").asText("default"), name, meta.path("uid").asText(""));
                out.add(new Resource(owner, meta.path("generation").asLong(1), doc.get("spec")));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        return out;
    }
}
