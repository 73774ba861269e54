package dev.meshfleet.translator.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON of the translator's internal records, in its state stores and on its repartition topics (the owner memo,
 * the kept plans, the claims' refusals, the ECP inputs, the mesh join's records): JSON of Java records with Jackson's
 * defaults, no Avro, because nothing outside this service reads them and no schema is released for them. An added field
 * must be nullable or have a default in its record, or the stores written before it no longer read.
 */
public final class StoreJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoreJson() {
    }

    /** {@code value} as JSON; {@code what} names it in the error, which only a bug can raise. */
    public static String write(Object value, String what) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " always serializes", e);
        }
    }

    /** The record of {@code type} in {@code json}; a store or topic that holds something else is named as corrupt. */
    public static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    /** As {@link #read(String, Class, String)}, for a generic type. */
    public static <T> T read(String json, TypeReference<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt " + what + ": " + e.getOriginalMessage(), e);
        }
    }
}
