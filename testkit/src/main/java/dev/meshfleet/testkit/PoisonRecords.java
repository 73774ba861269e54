package dev.meshfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Records no Meshfleet consumer can decode, of the two kinds a real topic gets: garbage bytes (a client
 * that writes JSON, a truncated write), and a well-formed Avro single-object encoding whose writer schema
 * fingerprint no released schema has (a producer on a schema that was never released). The sandbox's
 * {@code --poison} and the services' tests write them.
 */
public final class PoisonRecords {
    /** A schema that is none of ours, so its fingerprint is unknown to every decoder. */
    private static final Schema UNKNOWN = SchemaBuilder.record("NeverReleased").namespace("dev.meshfleet.poison")
            .fields().requiredString("text").endRecord();

    private PoisonRecords() {
    }

    /** The i-th poison value: even i garbage, odd i an unknown fingerprint (half of each in a run of n). */
    public static byte[] value(int i) {
        return i % 2 == 0 ? garbage(i) : unknownFingerprint(i);
    }

    public static byte[] garbage(int i) {
        return ("{\"not\": \"avro\", \"poison\": " + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] unknownFingerprint(int i) {
        GenericRecord record = new GenericData.Record(UNKNOWN);
        record.put("text", "poison " + i);
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), UNKNOWN).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String key(int i) {
        return "poison-" + i;
    }
}
