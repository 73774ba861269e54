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

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.serde.AvroSerde;
import dev.meshfleet.schemas.trace.TraceHeaders;
import dev.meshfleet.schemas.v1.SpecChange;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Writes SpecChange records synchronously: the worker only marks a change as published once the
 * broker has acknowledged it to all in-sync replicas, so a Kafka outage re-queues the key instead of
 * losing the change.
 *
 * <p>Each publish is the root span of the change's trace ({@code spec-change UPSERT|DELETE}), and the record carries
 * its W3C context in its headers ({@link TraceHeaders}) for the translator, the installer and the aggregator.
 */
public final class SpecChangePublisher implements AutoCloseable {
    /** Bounds one send so that a worker gives the key back to the queue's backoff instead of hanging. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    /** What Kafka names a producer's I/O thread, before {@code " | <client id>"}. */
    static final String IO_THREAD_PREFIX = "kafka-producer-network-thread";

    private final Producer<String, SpecChange> producer;
    private final String topic;
    private final Tracer tracer;
    /** The producer's I/O thread (Kafka names it after the client id); null when the producer has none. */
    private final String ioThread;
    /** The audit chain's heads (docs/adr/0033); null: records go without a chain hash (tests of other concerns). */
    private final ChainHeads chain;
    /** Set once the producer refused a send because it is closed: it never sends again (liveness). */
    private volatile Throwable unusable;

    public SpecChangePublisher(Producer<String, SpecChange> producer, String topic) {
        this(producer, topic, OpenTelemetry.noop().getTracer("spec-intake"), null);
    }

    private SpecChangePublisher(Producer<String, SpecChange> producer, String topic, Tracer tracer, ChainHeads chain) {
        this.producer = producer;
        this.topic = topic;
        this.tracer = tracer;
        this.chain = chain;
        this.ioThread = producer.metrics().keySet().stream().map(m -> m.tags().get("client-id"))
                .filter(java.util.Objects::nonNull).findFirst().map(id -> IO_THREAD_PREFIX + " | " + id).orElse(null);
    }

    /** The same producer, each publish traced with {@code tracer}. */
    public SpecChangePublisher tracedBy(Tracer tracer) {
        return new SpecChangePublisher(producer, topic, tracer, chain);
    }

    /** The same producer, each record chained to the previous one of its key (docs/adr/0033). */
    public SpecChangePublisher chainedBy(ChainHeads heads) {
        return new SpecChangePublisher(producer, topic, tracer, heads);
    }

    /** The Kafka producer, for its client metrics. */
    public Producer<String, SpecChange> producer() {
        return producer;
    }

    /**
     * A producer with the user's kafka.* client settings and, over them, what publishing relies on: acks=all and
     * idempotence (a change is never lost or written twice), and timeouts within the wait of {@link #publish}.
     */
    public static SpecChangePublisher create(KafkaClientSettings kafka, String topic) {
        var props = kafka.forClient("spec-intake producer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "spec-intake",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0));
        KafkaProducer<String, SpecChange> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerde.of(SpecChange.class).serializer());
        return new SpecChangePublisher(producer, topic);
    }

    /** Returns once the record is acknowledged; throws {@link PublishFailed} otherwise. */
    public void publish(String key, SpecChange change) {
        Span span = tracer.spanBuilder("spec-change " + change.getOperation()).setNoParent()
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .setAttribute("meshfleet.owner", key).setAttribute("meshfleet.generation", change.getGeneration())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            if (chain == null) {
                send(key, change);
            } else {
                chain.append(topic, key, AuditChain.content(change), hash -> {
                    change.setChainHash(hash);
                    send(key, change);
                });
            }
        } catch (Sent e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw failed(span, cause instanceof ExecutionException ? cause.getCause() : cause);
        } catch (RuntimeException e) {
            throw failed(span, e instanceof PublishFailed ? e.getCause() : e);
        } finally {
            span.end();
        }
    }

    private void send(String key, SpecChange change) {
        ProducerRecord<String, SpecChange> record = new ProducerRecord<>(topic, key, change);
        TraceHeaders.inject(Context.current(), record.headers());
        try {
            producer.send(record).get(DELIVERY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // Kafka's producer throws this only once it is closed: nothing will ever be sent again.
            unusable = e;
            throw new Sent(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new Sent(e);
        }
    }

    /** A failure of one send, carried through the chain's append. */
    private static final class Sent extends RuntimeException {
        Sent(Exception cause) {
            super(cause);
        }
    }

    private PublishFailed failed(Span span, Throwable cause) {
        span.recordException(cause);
        span.setStatus(StatusCode.ERROR);
        return new PublishFailed(topic, cause);
    }

    /**
     * Why the producer can never send again, empty while it can (liveness): its I/O thread has ended (an Error kills
     * it, and closing the producer ends it; every send would then only time out), or it refused a send as closed.
     */
    public java.util.Optional<String> dead() {
        Throwable refused = unusable;
        if (refused != null) {
            return java.util.Optional.of("the producer refused a send: " + refused.getMessage());
        }
        if (ioThread != null && Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(ioThread) && t.isAlive())) {
            return java.util.Optional.of("the producer's I/O thread '" + ioThread + "' has ended");
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Kafka did not take the record; always worth retrying later. */
    public static final class PublishFailed extends RuntimeException {
        public PublishFailed(String topic, Throwable cause) {
            super("cannot publish to " + topic + ": " + cause, cause);
        }
    }
}
