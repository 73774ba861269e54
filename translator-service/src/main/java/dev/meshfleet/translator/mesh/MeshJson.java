package dev.meshfleet.translator.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON of the mesh join's records, in its state stores and on its two repartition topics: the translator's
 * internal values are JSON of Java records, as its memo and ECP inputs are (no Avro: nothing outside this service reads
 * them, so no schema is released for them; an added field must be nullable or have a default in its record).
 */
final class MeshJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private MeshJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a mesh record always serializes", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt translator mesh record (" + type.getSimpleName() + "): "
                    + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt translator mesh record: " + e.getOriginalMessage(), e);
        }
    }
}
