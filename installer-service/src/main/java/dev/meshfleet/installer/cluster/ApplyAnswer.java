package dev.meshfleet.installer.cluster;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.installer.model.LiveVersion;

/**
 * The {@link LiveVersion} of an object the API server answered a write with, read from the answer's JSON without
 * binding the object: the metadata's uid, resourceVersion, generation, labels and annotations, and the status as a
 * tree; everything else (a Deployment's pod template, a CRD's schema) is skipped token by token. Pure.
 *
 * <p>Binding every answer to its Fabric8 model was the largest single cost of an installer replica in a
 * 1,000-cluster rollout (17 % of its samples, JFR, session 27), for five fields. The status is digested from the
 * server's JSON as a listed object's is ({@link ClusterOps#liveVersion}), so the two digests agree.
 */
public final class ApplyAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private ApplyAnswer() {
    }

    /**
     * The answer's live version; null when it has no metadata (no object: nothing to remember).
     *
     * @throws IOException when the answer is not a JSON object
     */
    public static LiveVersion read(byte[] answer) throws IOException {
        try (JsonParser p = FACTORY.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the API server's answer is not a JSON object");
            }
            Meta meta = null;
            JsonNode status = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    meta = metadata(p);
                } else if (field.equals("status")) {
                    status = JSON.readTree(p);
                } else {
                    p.skipChildren();
                }
            }
            if (meta == null) {
                return null;
            }
            return new LiveVersion(meta.uid, meta.resourceVersion, meta.generation,
                    ClusterOps.metadataDigest(meta.labels, meta.annotations), ClusterOps.statusDigest(status));
        }
    }

    private static final class Meta {
        String uid;
        String resourceVersion;
        long generation;
        Map<String, String> labels;
        Map<String, String> annotations;
    }

    /** The metadata object, the parser at its START_OBJECT; leaves it at its END_OBJECT. */
    private static Meta metadata(JsonParser p) throws IOException {
        Meta meta = new Meta();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "uid" -> meta.uid = text(p, value);
                case "resourceVersion" -> meta.resourceVersion = text(p, value);
                case "generation" -> meta.generation = value.isNumeric() ? p.getLongValue() : 0;
                case "labels" -> meta.labels = strings(p, value);
                case "annotations" -> meta.annotations = strings(p, value);
                default -> p.skipChildren();
            }
        }
        return meta;
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        String text = p.getValueAsString();
        p.skipChildren();
        return text;
    }

    private static Map<String, String> strings(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            map.put(key, v == JsonToken.VALUE_NULL ? null : p.getValueAsString());
            p.skipChildren();
        }
        return map;
    }
}
