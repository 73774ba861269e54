package dev.meshfleet.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import dev.meshfleet.schemas.AvroTrust;

/**
 * Avro single-object encoding (a marker, the writer schema's fingerprint, the body) for one
 * generated record type. Usable as a Kafka client serializer/deserializer and as a Kafka Streams
 * serde. Records written with any released schema version decode to the current class; a record
 * that cannot be decoded raises {@link SerializationException} with the reason, for the caller's
 * dead-letter handling. A null payload (a tombstone) is null both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        AvroTrust.install();
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        // A logical type inside a union (an optional time, InstallationEvent.caRotateAt) is resolved by the model, not
        // by the record's own field conversions: without this the writer meets an Instant it cannot place.
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, ReleasedSchemas.store());
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (IOException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + topic + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + topic + ": "
                    + e, e);
        }
    }

    /** Encodes without a topic, for hashing and tests. */
    public byte[] encode(T data) {
        return serialize(null, data);
    }

    public T decode(byte[] data) {
        return deserialize(null, data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the type and the released schemas fix everything
    }

    @Override
    public void close() {
        // stateless
    }

}
