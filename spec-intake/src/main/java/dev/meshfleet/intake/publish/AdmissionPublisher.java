package dev.meshfleet.intake.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.meshfleet.intake.admission.Admitted;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.OwnerKeys;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.v1.AdmissionRecord;

/**
 * Writes one {@link AdmissionRecord} per admitted request, keyed by its resource, and waits for the acknowledgement at
 * most {@code wait}: the API server is waiting for the webhook's answer (its {@code timeoutSeconds}), so a Kafka that
 * does not answer in time fails the publish instead of the request (docs/adr/0023).
 */
public final class AdmissionPublisher implements AutoCloseable {
    private final Producer<String, AdmissionRecord> producer;
    private final String topic;
    private final Duration wait;
    /** The audit chain's heads (docs/adr/0033). */
    private final ChainHeads chain;

    public AdmissionPublisher(Producer<String, AdmissionRecord> producer, String topic, Duration wait, ChainHeads chain) {
        this.producer = producer;
        this.topic = topic;
        this.wait = wait;
        this.chain = chain;
    }

    /** A producer with the user's kafka.* settings and, over them, acks=all, idempotence and timeouts within wait. */
    public static AdmissionPublisher create(KafkaClientSettings kafka, String topic, Duration wait) {
        int millis = (int) Math.max(1_000, wait.toMillis());
        var props = kafka.forClient("spec-intake admissions producer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "spec-intake-admissions",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.LINGER_MS_CONFIG, 0));
        return new AdmissionPublisher(new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(AdmissionRecord.class).serializer()), topic, wait,
                ChainHeads.of(kafka, topic, AdmissionRecord.class, AdmissionRecord::getChainHash));
    }

    /** The heads of the chain, to be read once before the first publish. */
    public ChainHeads chain() {
        return chain;
    }

    /** Returns once the record is acknowledged; throws {@link SpecChangePublisher.PublishFailed} otherwise. */
    public void publish(Admitted admitted) {
        AdmissionRecord record = AdmissionRecord.newBuilder().setRequestUid(admitted.requestUid()).setUid(admitted.uid())
                .setKind(admitted.kind()).setNamespace(admitted.namespace()).setName(admitted.name())
                .setGeneration(admitted.generation().isPresent() ? admitted.generation().getAsLong() : null)
                .setSpecHash(admitted.specHash()).setOperation(admitted.operation().name())
                .setUsername(admitted.username()).setGroups(admitted.groups()).setAdmittedAt(admitted.admittedAt())
                .build();
        String key = OwnerKeys.of(admitted.kind(), admitted.namespace(), admitted.name());
        try {
            chain.append(topic, key, AuditChain.content(record), hash -> {
                record.setChainHash(hash);
                send(key, record);
            });
        } catch (SpecChangePublisher.PublishFailed e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SpecChangePublisher.PublishFailed(topic, e);
        }
    }

    private void send(String key, AdmissionRecord record) {
        try {
            producer.send(new ProducerRecord<>(topic, key, record)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpecChangePublisher.PublishFailed(topic, e);
        } catch (ExecutionException e) {
            throw new SpecChangePublisher.PublishFailed(topic, e.getCause());
        } catch (TimeoutException e) {
            throw new SpecChangePublisher.PublishFailed(topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
