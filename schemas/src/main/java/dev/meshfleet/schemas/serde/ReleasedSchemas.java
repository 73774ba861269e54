package dev.meshfleet.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version ever released, read from {@code meshfleet/released/index.txt} on the class
 * path. A decoder resolves a record written with any of them to the current generated class.
 */
public final class ReleasedSchemas {
    private static final String ROOT = "meshfleet/released/";
    private static final List<Schema> ALL = load();
    private static final SchemaStore.Cache STORE = new SchemaStore.Cache();

    static {
        ALL.forEach(STORE::addSchema);
    }

    private ReleasedSchemas() {
    }

    public static List<Schema> all() {
        return ALL;
    }

    public static SchemaStore store() {
        return STORE;
    }

    private static List<Schema> load() {
        List<Schema> schemas = new ArrayList<>();
        for (String path : read(ROOT + "index.txt").split("\n")) {
            String trimmed = path.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                schemas.add(new Schema.Parser().parse(read(ROOT + trimmed)));
            }
        }
        return List.copyOf(schemas);
    }

    private static String read(String resource) {
        try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
